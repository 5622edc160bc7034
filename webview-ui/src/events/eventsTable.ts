// The Events pane's DOM: toolbar (filter, Warnings only), status line and the table. Every value
// from the cluster goes in through textContent; rows are reused by key so a refresh keeps them.
import { formatAge } from '../../../src/core/clusterView';
import type { EventRow } from '../../../src/core/eventRows';
import { el } from '../shared/dom';

export interface EventsView {
  root: HTMLElement;
  filter: HTMLElement & { value: string };
  warningsOnly: HTMLElement & { checked: boolean };
  status: HTMLElement;
  banner: HTMLElement;
  body: HTMLTableSectionElement;
  render(rows: readonly EventRow[], fresh: ReadonlySet<string>, now: number): void;
}

const columns = ['Type', 'Reason', 'Object', 'Message', 'Count', 'First seen', 'Last seen'];

export function buildEventsView(): EventsView {
  const filter = el('vscode-text-field', { id: 'filter', placeholder: 'Filter by type, reason, object, message…', size: '40' }, 'Filter') as EventsView['filter'];
  const warningsOnly = el('vscode-checkbox', { id: 'warnings-only' }, 'Warnings only') as EventsView['warningsOnly'];
  const status = el('div', { class: 'status', id: 'status', role: 'status' });
  const banner = el('div', { class: 'banner', id: 'banner', role: 'alert', hidden: true });
  const body = el('tbody');
  const head = el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c))));
  const table = el('table', { class: 'events', 'aria-label': 'Events' }, head, body);
  const root = el('div', { class: 'pane' }, el('div', { class: 'toolbar' }, filter, warningsOnly), banner, status, el('div', { class: 'table-wrap' }, table));
  const rowsByKey = new Map<string, HTMLTableRowElement>();

  return {
    root, filter, warningsOnly, status, banner, body,
    render(rows, fresh, now) {
      const seen = new Set<string>();
      const ordered = rows.map((row) => {
        seen.add(row.key);
        let tr = rowsByKey.get(row.key);
        if (!tr) rowsByKey.set(row.key, (tr = el('tr', {}, ...columns.map(() => el('td')))));
        fillRow(tr, row, now);
        tr.classList.toggle('fresh', fresh.has(row.key));
        return tr;
      });
      for (const key of rowsByKey.keys()) if (!seen.has(key)) rowsByKey.delete(key);
      body.replaceChildren(...ordered);
    },
  };
}

function fillRow(tr: HTMLTableRowElement, row: EventRow, now: number): void {
  tr.dataset.key = row.key;
  tr.classList.toggle('warning', row.type === 'Warning');
  const cells = [...tr.cells];
  const values = [row.type, row.reason, row.object, row.message, String(row.count), formatAge(row.firstSeen, now), formatAge(row.lastSeen, now)];
  values.forEach((value, i) => {
    const cell = cells[i];
    if (cell && cell.textContent !== value) cell.textContent = value;
  });
  // The one-line cells may be cut short by the layout: their whole text is the tooltip.
  for (const i of [0, 1, 2]) cells[i]?.setAttribute('title', values[i] ?? '');
  cells[5]?.setAttribute('title', row.firstSeen);
  cells[6]?.setAttribute('title', row.lastSeen);
  cells[3]?.setAttribute('title', row.source ? `from ${row.source}` : '');
}
