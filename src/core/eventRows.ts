// Kubernetes events as one row type, whichever API served them: core/v1 (involvedObject, message,
// count, first/lastTimestamp) and events.k8s.io/v1 (regarding, note, series, deprecated* fields).

export interface EventRow {
  /** The event's uid, else namespace/name: the key rows are replaced and deleted by. */
  key: string;
  type: string;
  reason: string;
  /** "Pod/instance-0" */
  object: string;
  message: string;
  count: number;
  /** RFC 3339 times, as the API gave them; empty when the event has none. */
  firstSeen: string;
  lastSeen: string;
  /** Who reported it: the reporting controller or the old source component. */
  source: string;
}

type Json = Record<string, unknown>;

const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const positive = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined);
const firstText = (...values: unknown[]): string => values.map(text).find((v) => v !== '') ?? '';
/** Longest message kept; the API itself caps events.k8s.io notes at 1 KiB, core/v1 has no cap. */
export const maxEventMessageLength = 4096;

/** One row from an event object of either API; undefined for anything that is not an event. */
export function eventRow(value: unknown): EventRow | undefined {
  if (!isRecord(value) || !isRecord(value.metadata)) return undefined;
  const meta = value.metadata;
  const key = text(meta.uid) || `${text(meta.namespace)}/${text(meta.name)}`;
  if (key === '/') return undefined;
  const modern = text(value.apiVersion).startsWith('events.k8s.io/') || 'regarding' in value || 'note' in value;
  const regarding = isRecord(modern ? value.regarding : value.involvedObject) ? ((modern ? value.regarding : value.involvedObject) as Json) : {};
  const series = isRecord(value.series) ? value.series : {};
  const first = modern
    ? firstText(value.deprecatedFirstTimestamp, value.eventTime, meta.creationTimestamp)
    : firstText(value.firstTimestamp, value.eventTime, meta.creationTimestamp);
  const last = firstText(series.lastObservedTime, modern ? value.deprecatedLastTimestamp : value.lastTimestamp, value.eventTime, first);
  // core/v1 keeps the old reporter in source; events.k8s.io/v1 serves the same field as deprecatedSource.
  const sourceField = modern ? value.deprecatedSource : value.source;
  const source = isRecord(sourceField) ? sourceField : {};
  const message = firstText(modern ? value.note : value.message, modern ? value.message : value.note);
  return {
    key,
    type: text(value.type) || 'Normal',
    reason: text(value.reason),
    object: [text(regarding.kind), text(regarding.name)].filter(Boolean).join('/'),
    message: message.length > maxEventMessageLength ? `${message.slice(0, maxEventMessageLength)}…` : message,
    count: positive(series.count) ?? positive(modern ? value.deprecatedCount : value.count) ?? 1,
    firstSeen: first,
    lastSeen: last,
    source: firstText(value.reportingController, value.reportingComponent, source.component),
  };
}

/** Milliseconds since the epoch, 0 when the time is missing or not a time. */
export function timeOf(rfc3339: string): number {
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? 0 : ms;
}

/** Newest last-seen first; ties by newest first-seen, then by key so the order is stable. */
export function compareEventRows(a: EventRow, b: EventRow): number {
  return timeOf(b.lastSeen) - timeOf(a.lastSeen) || timeOf(b.firstSeen) - timeOf(a.firstSeen) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export interface EventFilter {
  warningsOnly: boolean;
  /** Case-insensitive text matched against type, reason, object, message and source. */
  text: string;
}

export function matchesEventFilter(row: EventRow, filter: EventFilter): boolean {
  if (filter.warningsOnly && row.type !== 'Warning') return false;
  const needle = filter.text.trim().toLowerCase();
  if (!needle) return true;
  return [row.type, row.reason, row.object, row.message, row.source].some((field) => field.toLowerCase().includes(needle));
}

/** The rows to show: filtered, newest first, at most `limit` of them. */
export function visibleEventRows(rows: Iterable<EventRow>, filter: EventFilter, limit = Infinity): { rows: EventRow[]; matching: number } {
  const matching = [...rows].filter((row) => matchesEventFilter(row, filter)).sort(compareEventRows);
  return { rows: matching.slice(0, limit), matching: matching.length };
}
