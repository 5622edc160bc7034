// Every namespace the bench makes carries the run's prefix (bench-<id>-), is tracked here, and is
// deleted at the end of its measure: all DELETEs at once, then optionally one wait for them all.
import type { FloorClient } from './floorClient';

export class BenchNamespaces {
  private readonly made = new Set<string>();
  private counter = 0;

  constructor(private readonly floor: FloorClient, readonly prefix: string) {}

  /** A fresh cluster name (its namespace is name + "-ns"), tracked for cleanup. */
  clusterName(label: string): string {
    this.counter += 1;
    const name = `${this.prefix}${label}-${this.counter}`;
    this.made.add(`${name}-ns`);
    return name;
  }

  track(namespace: string): void {
    this.made.add(namespace);
  }

  /** Deletes every tracked namespace, and any other with the run's prefix; waits only when asked. */
  async deleteAll(wait: boolean, timeoutMs = 180_000): Promise<void> {
    const existing = await this.existing();
    const names = [...new Set([...this.made].filter((n) => existing.has(n)).concat([...existing].filter((n) => n.startsWith(this.prefix))))];
    this.made.clear();
    await Promise.all(names.map((name) => this.floor.request('DELETE', `/api/v1/namespaces/${name}`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' })));
    if (!wait) return;
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const left = await this.existing();
      if (!names.some((n) => left.has(n))) return;
      await new Promise((done) => setTimeout(done, 1000));
    }
  }

  private async existing(): Promise<Set<string>> {
    const list = await this.floor.json<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/namespaces');
    return new Set(list.items.map((n) => n.metadata.name).filter((n) => n.startsWith(this.prefix)));
  }
}
