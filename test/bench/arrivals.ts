// When each observer first saw a given object version ("namespace/name/resourceVersion"), so a
// change's latency can be read whether the event arrived before or after the write's response.

export class Arrivals {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, () => void>();

  record(key: string, at: number): void {
    if (this.seen.has(key)) return;
    this.seen.set(key, at);
    this.waiters.get(key)?.();
  }

  /** The arrival time of key, waiting up to timeoutMs; undefined if it never came. */
  when(key: string, timeoutMs: number): Promise<number | undefined> {
    const known = this.seen.get(key);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.set(key, () => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolve(this.seen.get(key));
      });
    });
  }

  /** Forgets what is older than the current change, so the map stays small over many changes. */
  clear(): void {
    this.seen.clear();
  }
}

export function versionKey(namespace: string | undefined, name: string, resourceVersion: string | undefined): string {
  return `${namespace ?? ''}/${name}/${resourceVersion ?? ''}`;
}
