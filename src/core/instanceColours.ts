// Which colour each instance's prefix gets in a cluster-wide log pane: the lowest colour no live
// instance holds, kept while the instance lives and freed when it leaves, so neighbours differ.

/** Colours the webview can draw (its CSS defines .colour-0 … .colour-(n-1)). */
export const logColourCount = 8;

export class ColourAssigner {
  private readonly held = new Map<string, number>();

  constructor(private readonly size = logColourCount) {}

  /** The instance's colour: kept if it has one, else the lowest free one, else one by its name. */
  colourOf(name: string): number {
    const current = this.held.get(name);
    if (current !== undefined) return current;
    const used = new Set(this.held.values());
    let colour = 0;
    while (colour < this.size && used.has(colour)) colour += 1;
    // More instances than colours: share, but deterministically, so a name keeps its colour.
    if (colour === this.size) colour = hashOf(name) % this.size;
    this.held.set(name, colour);
    return colour;
  }

  release(name: string): void {
    this.held.delete(name);
  }

  entries(): { name: string; colour: number }[] {
    return [...this.held].map(([name, colour]) => ({ name, colour }));
  }
}

function hashOf(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (hash * 31 + text.charCodeAt(i)) >>> 0;
  return hash;
}
