// A fixed-capacity first-in-first-out buffer: pushing past capacity evicts the oldest items, so a
// log pane holds at most N lines however fast they arrive.

export class RingBuffer<T> {
  private items: (T | undefined)[];
  private start = 0;
  private count = 0;
  private evictedTotal = 0;

  constructor(private cap: number) {
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`ring buffer capacity must be a positive integer, not ${cap}`);
    this.items = new Array<T | undefined>(cap);
  }

  get capacity(): number {
    return this.cap;
  }

  get size(): number {
    return this.count;
  }

  /** How many items were pushed out by newer ones since creation (clear does not reset it). */
  get evicted(): number {
    return this.evictedTotal;
  }

  push(value: T): void {
    this.items[(this.start + this.count) % this.cap] = value;
    if (this.count < this.cap) {
      this.count += 1;
    } else {
      this.start = (this.start + 1) % this.cap;
      this.evictedTotal += 1;
    }
  }

  pushAll(values: Iterable<T>): void {
    for (const value of values) this.push(value);
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i += 1) out.push(this.items[(this.start + i) % this.cap] as T);
    return out;
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.count === 0 ? undefined : this.items[(this.start + this.count - 1) % this.cap];
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap);
    this.start = 0;
    this.count = 0;
  }

  /** Changes the capacity, keeping the newest items that fit. */
  resize(capacity: number): void {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`ring buffer capacity must be a positive integer, not ${capacity}`);
    const kept = this.toArray().slice(-capacity);
    const evictedNow = this.count - kept.length;
    this.cap = capacity;
    this.clear();
    this.pushAll(kept);
    this.evictedTotal += evictedNow;
  }
}
