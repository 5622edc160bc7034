// The typed protocol of the Events pane: the webview's commands and replies, the host's
// notifications (full reset, batched changes, status) and requests, each with a guard used on both sides.
import type { EventRow } from '../core/eventRows';
import { clipText, isArrayOf, isCount, isOptionalText, isRecord, isRequestId, isText, isTextArray } from './guards';

export interface EventsPaneInfo {
  namespace: string;
  cluster: string;
  contextName: string;
}

export const eventsStates = ['loading', 'live', 'reconnecting', 'stale', 'error'] as const;
export interface EventsStatus {
  state: (typeof eventsStates)[number];
  message?: string;
}

/** What the webview renders, reported on request: lets tests check the real DOM. */
export interface EventsSnapshot {
  total: number;
  matching: number;
  shown: number;
  /** textContent of each cell of the first rows shown. */
  rows: string[][];
  /** Tag names of any elements inside table cells (there should be none: cells hold text). */
  elementsInCells: string[];
  fresh: number;
  /** The warning banner's text ('' when hidden): says when the pane is stale. */
  banner: string;
}

/** Webview → host. */
export type EventsViewMessage =
  | { type: 'events/ready' }
  | { type: 'events/inspected'; requestId: number; snapshot: EventsSnapshot };

export const eventsViewMessageTypes: readonly EventsViewMessage['type'][] = ['events/ready', 'events/inspected'];

/** Host → webview. */
export type EventsHostMessage =
  | { type: 'host/reset'; info: EventsPaneInfo; rows: EventRow[]; status: EventsStatus }
  | { type: 'host/changes'; upserts: EventRow[]; deletes: string[] }
  | { type: 'host/status'; status: EventsStatus }
  | { type: 'host/inspect'; requestId: number };

/** The longest each text field of a row may be; the host clips to these, the guard checks them. */
export const eventRowLimits = { key: 512, type: 256, reason: 1024, object: 1024, message: 8192, firstSeen: 64, lastSeen: 64, source: 1024 } as const;
export const eventsStatusMessageLimit = 4096;

export function isEventRow(value: unknown): value is EventRow {
  if (!isRecord(value) || !isCount(value.count)) return false;
  return (Object.keys(eventRowLimits) as (keyof typeof eventRowLimits)[]).every((field) => isText(value[field], eventRowLimits[field]));
}

/** A row whose every field fits the guard: one core/v1 event with a 1,100-character reason must not cost a batch. */
export function boundedEventRow(row: EventRow): EventRow {
  const bounded = { ...row };
  for (const field of Object.keys(eventRowLimits) as (keyof typeof eventRowLimits)[]) bounded[field] = clipText(row[field], eventRowLimits[field]);
  return bounded;
}

/** What the host posts, cut to the guard's bounds. */
export function boundedEventsHostMessage(message: EventsHostMessage): EventsHostMessage {
  const status = (s: EventsStatus): EventsStatus => (s.message === undefined ? s : { ...s, message: clipText(s.message, eventsStatusMessageLimit) });
  switch (message.type) {
    case 'host/reset':
      return { ...message, info: { namespace: clipText(message.info.namespace, 253), cluster: clipText(message.info.cluster, 253), contextName: clipText(message.info.contextName, 1024) }, rows: message.rows.map(boundedEventRow), status: status(message.status) };
    case 'host/changes':
      return { ...message, upserts: message.upserts.map(boundedEventRow), deletes: message.deletes.map((key) => clipText(key, eventRowLimits.key)) };
    case 'host/status':
      return { ...message, status: status(message.status) };
    default:
      return message;
  }
}

/** The webview's reading of a host message: a row that fails its guard is dropped, never the batch it came in. */
export function readEventsHostMessage(value: unknown): EventsHostMessage | undefined {
  if (isRecord(value) && Array.isArray(value.rows)) value = { ...value, rows: value.rows.filter(isEventRow) };
  if (isRecord(value) && Array.isArray(value.upserts)) value = { ...value, upserts: value.upserts.filter(isEventRow) };
  return isEventsHostMessage(value) ? value : undefined;
}

function isStatus(value: unknown): value is EventsStatus {
  return isRecord(value) && (eventsStates as readonly unknown[]).includes(value.state) && isOptionalText(value.message, eventsStatusMessageLimit);
}

function isSnapshot(value: unknown): value is EventsSnapshot {
  return isRecord(value) && isCount(value.total) && isCount(value.matching) && isCount(value.shown) && isCount(value.fresh)
    && isArrayOf(value.rows, (r): r is string[] => isTextArray(r, 64), 10_000) && isTextArray(value.elementsInCells) && isText(value.banner, 4096);
}

export function isEventsViewMessage(value: unknown): value is EventsViewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'events/ready':
      return true;
    case 'events/inspected':
      return isRequestId(value.requestId) && isSnapshot(value.snapshot);
    default:
      return false;
  }
}

export function isEventsHostMessage(value: unknown): value is EventsHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'host/reset':
      return isRecord(value.info) && isText(value.info.namespace, 253) && isText(value.info.cluster, 253) && isText(value.info.contextName, 1024)
        && isArrayOf(value.rows, isEventRow) && isStatus(value.status);
    case 'host/changes':
      return isArrayOf(value.upserts, isEventRow) && isTextArray(value.deletes);
    case 'host/status':
      return isStatus(value.status);
    case 'host/inspect':
      return isRequestId(value.requestId);
    default:
      return false;
  }
}
