// Container log lines as the API sends them with timestamps=true: "<RFC3339Nano> <text>". Splits a
// stream into lines, reads the timestamp into a key that sorts and compares to the nanosecond.

export interface LogLine {
  /** UTC "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ", comparable as a string; absent when the line has none. */
  ts?: string;
  text: string;
}

/** Longer lines are cut here so one runaway line cannot stall rendering. */
export const maxLogLineLength = 16_384;

const stampPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) ?/;

/** The nanosecond key of an RFC 3339 time with any offset and 0–9 fraction digits. */
export function timestampKey(rfc3339: string): string | undefined {
  const match = stampPattern.exec(rfc3339);
  return match ? keyOf(match) : undefined;
}

function keyOf(match: RegExpExecArray): string | undefined {
  const [, seconds = '', fraction = '', zone = 'Z'] = match;
  const ms = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction.padEnd(9, '0')}Z`;
}

/** One raw line: its leading timestamp (if any) and the rest, cut to maxLogLineLength. */
export function parseLogLine(raw: string): LogLine {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const match = stampPattern.exec(line);
  const ts = match ? keyOf(match) : undefined;
  const rest = ts && match ? line.slice(match[0].length) : line;
  const text = rest.length > maxLogLineLength ? `${rest.slice(0, maxLogLineLength)} … (line cut at ${maxLogLineLength} characters)` : rest;
  return ts ? { ts, text } : { text };
}

/** The sinceTime to resume from: the API reads whole seconds, so the key's second, rounded down. */
export function sinceTimeOf(key: string): string {
  return `${key.slice(0, 19)}Z`;
}

/** "12:00:01.250" in UTC, for markers and the timestamp column. */
export function shortTime(key: string): string {
  return key.slice(11, 23);
}

/** Cuts a stream of text chunks into complete lines; a partial last line waits for the next chunk. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    // A line with no end in sight is cut rather than held: memory stays bounded.
    if (this.rest.length > maxLogLineLength * 4) {
      lines.push(this.rest);
      this.rest = '';
    }
    return lines;
  }

  /** The unterminated rest, when the stream ends. */
  flush(): string[] {
    const rest = this.rest;
    this.rest = '';
    return rest ? [rest] : [];
  }
}
