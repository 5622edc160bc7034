// The one HTTP/1.1 request P9 sends, and a count of its answer's body bytes as they arrive, with no
// parser: every tool's bytes are counted the same way, so the figure is the transport's, not a
// client library's.

export const getRequest = (path: string) => `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`;

export class AnswerCounter {
  private head = '';
  private body = -1;
  private expected = Infinity;

  /** Takes a chunk; true once the whole body (its content-length) has arrived. */
  add(chunk: Buffer): boolean {
    if (this.body < 0) {
      this.head += chunk.toString('latin1');
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return false;
      this.expected = Number(/content-length: (\d+)/i.exec(this.head.slice(0, end))?.[1] ?? Infinity);
      this.body = this.head.length - end - 4;
      this.head = '';
    } else this.body += chunk.length;
    return this.body >= this.expected;
  }

  get bytes(): number {
    return Math.max(this.body, 0);
  }
}
