// The log area of the Logs pane: one element per entry (prefix, timestamp, text), the text split into
// text nodes and <mark>s for the search, never parsed as markup. Holds at most `limit` lines.
import type { LogEntry } from '../../../src/core/logPane';
import { searchSegments } from '../../../src/core/logSearch';
import { el } from '../shared/dom';

export class LogLinesView {
  readonly element = el('div', { class: 'log', id: 'log', role: 'log', 'aria-live': 'off', tabindex: '0' });
  private readonly entries = new WeakMap<Element, LogEntry>();
  private query = '';

  constructor(private limit: number) {}

  get count(): number {
    return this.element.childElementCount;
  }

  setLimit(limit: number): void {
    this.limit = limit;
    this.trim();
  }

  /** Appends entries (only the newest `limit` if there are more) and drops the oldest lines beyond the limit. */
  append(entries: readonly LogEntry[]): void {
    const fragment = document.createDocumentFragment();
    for (const entry of entries.slice(-this.limit)) fragment.append(this.lineOf(entry));
    this.element.append(fragment);
    this.trim();
  }

  clear(): void {
    this.element.replaceChildren();
  }

  /** Re-marks every line for a new query; returns the number of matches. */
  search(query: string): number {
    this.query = query;
    for (const line of this.element.children) {
      const entry = this.entries.get(line);
      const text = line.querySelector('.text');
      if (entry && text) fillText(text, entry.text, query);
    }
    return this.marks().length;
  }

  marks(): HTMLElement[] {
    return [...this.element.querySelectorAll<HTMLElement>('mark')];
  }

  texts(): Element[] {
    return [...this.element.querySelectorAll('.text')];
  }

  private lineOf(entry: LogEntry): HTMLElement {
    const line = el('div', { class: `line ${entry.kind}` });
    if (entry.source !== undefined) line.append(el('span', { class: `src colour-${entry.colour ?? 0}` }, entry.source));
    if (entry.ts) line.append(el('span', { class: 'ts' }, entry.ts));
    const text = el('span', { class: 'text' });
    fillText(text, entry.kind === 'line' ? entry.text : `— ${entry.text} —`, this.query);
    line.append(text);
    this.entries.set(line, entry.kind === 'line' ? entry : { ...entry, text: `— ${entry.text} —` });
    return line;
  }

  private trim(): void {
    let excess = this.element.childElementCount - this.limit;
    while (excess > 0 && this.element.firstElementChild) {
      this.element.firstElementChild.remove();
      excess -= 1;
    }
  }
}

function fillText(target: Element, text: string, query: string): void {
  const segments = searchSegments(text, query);
  target.replaceChildren(...segments.map((s) => (s.match ? el('mark', {}, s.text) : document.createTextNode(s.text))));
}
