// What a log pane holds: numbered entries (lines, gap and info markers) in a ring buffer, plus the
// entries not yet sent to the webview. A flood only ever costs `capacity` entries of memory.
import { RingBuffer } from './ringBuffer';

export const logEntryKinds = ['line', 'gap', 'info', 'error'] as const;
export type LogEntryKind = (typeof logEntryKinds)[number];

export interface LogEntry {
  /** Increasing per pane, so the webview can tell what it has. */
  seq: number;
  kind: LogEntryKind;
  text: string;
  /** Timestamp key (see logLines.ts) of a line. */
  ts?: string;
  /** The instance a line came from, in a cluster-wide pane. */
  source?: string;
  colour?: number;
}

export type NewLogEntry = Omit<LogEntry, 'seq'>;

export class LogPaneBuffer {
  private readonly kept: RingBuffer<LogEntry>;
  private pending: RingBuffer<LogEntry>;
  private nextSeq = 1;
  private skippedBefore = 0;

  constructor(capacity: number) {
    this.kept = new RingBuffer(capacity);
    this.pending = new RingBuffer(capacity);
  }

  get capacity(): number {
    return this.kept.capacity;
  }

  get size(): number {
    return this.kept.size;
  }

  add(entry: NewLogEntry): LogEntry {
    const numbered = { ...entry, seq: this.nextSeq++ };
    this.kept.push(numbered);
    this.pending.push(numbered);
    return numbered;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** What arrived since the last batch; `skipped` counts entries that were overwritten before being sent. */
  takeBatch(): { entries: LogEntry[]; skipped: number } {
    const entries = this.pending.toArray();
    const skipped = this.pending.evicted - this.skippedBefore;
    this.pending.clear();
    this.skippedBefore = this.pending.evicted;
    return { entries, skipped };
  }

  /** Everything kept, oldest first, leaving the pending batch alone (for saving). */
  all(): LogEntry[] {
    return this.kept.toArray();
  }

  /** Everything kept, oldest first: what a (re)loaded webview starts from. Clears the pending batch. */
  snapshot(): LogEntry[] {
    this.takeBatch();
    return this.kept.toArray();
  }

  clear(): void {
    this.kept.clear();
    this.takeBatch();
  }
}

/** One entry as a line of text, for saving: "[instance-0] 2026-01-01T00:00:00.000000000Z text". */
export function formatLogEntry(entry: LogEntry, options: { timestamps: boolean; sources: boolean }): string {
  const parts: string[] = [];
  if (options.sources && entry.source) parts.push(`[${entry.source}]`);
  if (options.timestamps && entry.ts) parts.push(entry.ts);
  parts.push(entry.kind === 'line' ? entry.text : `--- ${entry.text} ---`);
  return parts.join(' ');
}
