// The typed protocol of the Events pane: the webview's commands and replies, the host's
// notifications (full reset, batched changes, status) and requests. Each message is described once,
// as a valibot schema: the types are inferred from it and its guard, used on both sides, checks it.
import * as v from 'valibot';
import type { EventRow } from '../core/eventRows';
import { clipText, isRecord, messageTypes, requestId, text } from './guards';

export const eventsStates = ['loading', 'live', 'reconnecting', 'stale', 'error'] as const;
export const eventsStatusMessageLimit = 4096;

const paneInfo = v.object({ namespace: text(253), cluster: text(253), contextName: text(1024) });
export type EventsPaneInfo = v.InferOutput<typeof paneInfo>;

const status = v.object({ state: v.picklist(eventsStates), message: v.optional(text(eventsStatusMessageLimit)) });
export type EventsStatus = v.InferOutput<typeof status>;

/** What the webview renders, reported on request: lets tests check the real DOM. */
const snapshot = v.object({
  total: requestId,
  matching: requestId,
  shown: requestId,
  /** textContent of each cell of the first rows shown. */
  rows: v.pipe(v.array(v.pipe(v.array(text()), v.maxLength(64))), v.maxLength(10_000)),
  /** Tag names of any elements inside table cells (there should be none: cells hold text). */
  elementsInCells: v.array(text()),
  fresh: requestId,
  /** The warning banner's text ('' when hidden): says when the pane is stale. */
  banner: text(4096),
});
export type EventsSnapshot = v.InferOutput<typeof snapshot>;

/** The longest each text field of a row may be; the host clips to these, the guard checks them. */
export const eventRowLimits = { key: 512, type: 256, reason: 1024, object: 1024, message: 8192, firstSeen: 64, lastSeen: 64, source: 1024 } as const;

const eventRow: v.GenericSchema<EventRow> = v.object({
  key: text(eventRowLimits.key), type: text(eventRowLimits.type), reason: text(eventRowLimits.reason), object: text(eventRowLimits.object),
  message: text(eventRowLimits.message), count: requestId, firstSeen: text(eventRowLimits.firstSeen), lastSeen: text(eventRowLimits.lastSeen), source: text(eventRowLimits.source),
});
export const isEventRow = (value: unknown): value is EventRow => v.is(eventRow, value);

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

/** Webview → host. */
const viewMessage = v.variant('type', [
  v.object({ type: v.literal('events/ready') }),
  v.object({ type: v.literal('events/inspected'), requestId, snapshot }),
]);
export type EventsViewMessage = v.InferOutput<typeof viewMessage>;
export const eventsViewMessageTypes = messageTypes(viewMessage);
export const isEventsViewMessage = (value: unknown): value is EventsViewMessage => v.is(viewMessage, value);

/** Host → webview. */
const hostMessage = v.variant('type', [
  v.object({ type: v.literal('host/reset'), info: paneInfo, rows: v.array(eventRow), status }),
  v.object({ type: v.literal('host/changes'), upserts: v.array(eventRow), deletes: v.array(text(eventRowLimits.key)) }),
  v.object({ type: v.literal('host/status'), status }),
  v.object({ type: v.literal('host/inspect'), requestId }),
]);
export type EventsHostMessage = v.InferOutput<typeof hostMessage>;
export const isEventsHostMessage = (value: unknown): value is EventsHostMessage => v.is(hostMessage, value);

/** What the host of an Events pane needs of this protocol. */
export const eventsProtocol = { guard: isEventsViewMessage, knownTypes: eventsViewMessageTypes, bound: boundedEventsHostMessage, readyType: 'events/ready' };
