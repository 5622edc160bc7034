// Resuming a log follow without repeats: remember the last timestamp seen and which texts carried
// it; after a reconnect from that second, drop every replayed line up to that (timestamp, text).
import type { LogLine } from './logLines';

export class ResumePoint {
  private lastTs: string | undefined;
  /** How many lines with each text carried lastTs: several lines may share one timestamp. */
  private atLast = new Map<string, number>();

  get timestamp(): string | undefined {
    return this.lastTs;
  }

  /** Notes a line that was delivered. Lines without a timestamp do not move the point. */
  record(line: LogLine): void {
    if (!line.ts) return;
    if (this.lastTs === undefined || line.ts > this.lastTs) {
      this.lastTs = line.ts;
      this.atLast = new Map([[line.text, 1]]);
    } else if (line.ts === this.lastTs) {
      this.atLast.set(line.text, (this.atLast.get(line.text) ?? 0) + 1);
    }
  }

  /** A filter for the lines of the next connection, which starts at or before this point. */
  replayFilter(): ReplayFilter {
    return new ReplayFilter(this.lastTs, new Map(this.atLast));
  }
}

export class ReplayFilter {
  private caughtUp: boolean;

  constructor(private readonly lastTs: string | undefined, private readonly seen: Map<string, number>) {
    this.caughtUp = lastTs === undefined;
  }

  /** True when the line is new; false when the previous connection already delivered it. */
  accept(line: LogLine): boolean {
    if (this.caughtUp || !line.ts || this.lastTs === undefined) return true;
    if (line.ts < this.lastTs) return false;
    if (line.ts === this.lastTs) {
      const left = this.seen.get(line.text) ?? 0;
      if (left === 0) return true;
      this.seen.set(line.text, left - 1);
      return false;
    }
    this.caughtUp = true;
    return true;
  }
}
