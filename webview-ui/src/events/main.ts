// Browser side of the Events pane: holds the rows the host sent, applies batched changes, filters
// (warnings only, text) and sorts newest first, highlights new rows briefly, and keeps its filter
// across hide/show. Every message from the host is validated first.
import { provideVSCodeDesignSystem, vsCodeCheckbox, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { visibleEventRows, type EventFilter, type EventRow } from '../../../src/core/eventRows';
import { readEventsHostMessage, type EventsHostMessage, type EventsSnapshot, type EventsStatus, type EventsViewMessage } from '../../../src/protocol/events';
import { setText } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { buildEventsView } from './eventsTable';
import './style.css';

provideVSCodeDesignSystem().register(vsCodeCheckbox(), vsCodeTextField());

/** Rows drawn at most; the status line says when more match. */
const renderLimit = 500;
const freshForMs = 2_500;

const api = vscodeApi<EventFilter>();
const post = (message: EventsViewMessage) => api.postMessage(message);
const view = buildEventsView();
const rows = new Map<string, EventRow>();
const fresh = new Map<string, number>();
let filter: EventFilter = api.getState() ?? { warningsOnly: false, text: '' };
let status: EventsStatus = { state: 'loading' };
let scheduled = false;
let last = { shown: 0, matching: 0 };

document.getElementById('app')?.replaceChildren(view.root);
view.filter.value = filter.text;
view.warningsOnly.checked = filter.warningsOnly;
view.filter.addEventListener('input', () => updateFilter());
view.warningsOnly.addEventListener('change', () => updateFilter());
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = readEventsHostMessage(event.data);
  if (message) handle(message);
});
// Ages ("5m") move on with time; fresh highlights fade.
setInterval(() => schedule(), 10_000);
post({ type: 'events/ready' });

function handle(message: EventsHostMessage): void {
  switch (message.type) {
    case 'host/reset':
      rows.clear();
      fresh.clear();
      for (const row of message.rows) rows.set(row.key, row);
      document.title = `Events: ${message.info.cluster}`;
      status = message.status;
      schedule();
      return;
    case 'host/changes': {
      const now = Date.now();
      for (const key of message.deletes) rows.delete(key);
      for (const row of message.upserts) {
        const old = rows.get(row.key);
        if (!old || old.count !== row.count || old.lastSeen !== row.lastSeen) fresh.set(row.key, now + freshForMs);
        rows.set(row.key, row);
      }
      setTimeout(() => schedule(), freshForMs + 50);
      schedule();
      return;
    }
    case 'host/status':
      status = message.status;
      schedule();
      return;
    case 'host/inspect':
      render();
      post({ type: 'events/inspected', requestId: message.requestId, snapshot: snapshot() });
      return;
  }
}

function updateFilter(): void {
  filter = { warningsOnly: view.warningsOnly.checked, text: view.filter.value ?? '' };
  api.setState(filter);
  schedule();
}

/** Renders at most once per frame, however many messages arrive. */
function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => render());
}

function render(): void {
  scheduled = false;
  const now = Date.now();
  for (const [key, until] of fresh) if (until <= now) fresh.delete(key);
  const visible = visibleEventRows(rows.values(), filter, renderLimit);
  view.render(visible.rows, new Set(fresh.keys()), now);
  last = { shown: visible.rows.length, matching: visible.matching };
  const counts = visible.matching === rows.size ? `${rows.size} events` : `${visible.matching} of ${rows.size} events match`;
  const capped = visible.rows.length < visible.matching ? `; showing the newest ${visible.rows.length}, refine the filter for the rest` : '';
  const state = { loading: 'Loading…', live: 'Live', reconnecting: 'Reconnecting', stale: 'Stale', error: 'Error' }[status.state];
  setText(view.status, `${state} · ${counts}${capped}`);
  view.banner.hidden = !(status.message && status.state !== 'live');
  setText(view.banner, status.message ?? '');
  view.banner.classList.toggle('stale', status.state === 'stale');
}

function snapshot(): EventsSnapshot {
  const trs = [...view.body.rows];
  return {
    total: rows.size,
    matching: last.matching,
    shown: last.shown,
    rows: trs.slice(0, 100).map((tr) => [...tr.cells].map((td) => td.textContent ?? '')),
    elementsInCells: [...view.body.querySelectorAll('td *')].map((e) => e.tagName),
    fresh: view.body.querySelectorAll('tr.fresh').length,
    banner: view.banner.hidden ? '' : (view.banner.textContent ?? ''),
  };
}
