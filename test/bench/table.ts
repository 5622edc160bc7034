// Renders benchmark rows as a Markdown table (readable in a terminal, pasteable into README.md):
// measure, ours median (spread), kubectl, floor, ours/floor, kubectl/ours, goal, met?.
import type { Row, Unit } from './benchTypes';
import { ratio, type Summary } from './stats';

function num(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'MB' || unit === 'MB/s' || (unit === 'ms' && value < 10)) return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

function cell(summary: Summary | undefined, unit: Unit, withSpread: boolean): string {
  if (!summary) return '—';
  const main = `${num(summary.median, unit)} ${unit}`;
  if (!withSpread || summary.n < 2) return main;
  return `${main} (${num(summary.low, unit)}–${num(summary.high, unit)})`;
}

function times(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(value < 10 ? 2 : 1)}×`;
}

export function renderTable(rows: readonly Row[]): string {
  const header = ['measure', 'ours median (spread)', 'kubectl', 'floor', 'ours/floor', 'kubectl/ours', 'goal', 'met?'];
  const lines = rows.map((row) => [
    row.measure,
    cell(row.ours, row.unit, true),
    cell(row.kubectl, row.unit, false),
    cell(row.floor, row.unit, false),
    times(ratio(row.ours, row.floor)),
    times(ratio(row.kubectl, row.ours)),
    row.goal ?? '—',
    row.met === undefined ? '—' : row.met ? 'yes' : '**no**',
  ]);
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.map(escape).join(' | ')} |`).join('\n');
}

/** Footnotes: each row's note, and which spread each ours cell shows. */
export function renderNotes(rows: readonly Row[]): string {
  return rows.filter((r) => r.note || r.ours).map((r) => `- ${r.measure}: ${r.ours ? `ours n=${r.ours.n}, spread ${r.ours.spread}` : ''}${r.note ? `${r.ours ? '; ' : ''}${r.note}` : ''}`).join('\n');
}
