// The typed protocol of the Events pane: the webview's commands and replies, the host's
// notifications (full reset, batched changes, status) and requests, each with a guard used on both sides.
import type { EventRow } from '../core/eventRows';
import { isArrayOf, isCount, isOptionalText, isRecord, isRequestId, isText, isTextArray } from './guards';

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

/** Host → webview. */
export type EventsHostMessage =
  | { type: 'host/reset'; info: EventsPaneInfo; rows: EventRow[]; status: EventsStatus }
  | { type: 'host/changes'; upserts: EventRow[]; deletes: string[] }
  | { type: 'host/status'; status: EventsStatus }
  | { type: 'host/inspect'; requestId: number };

export function isEventRow(value: unknown): value is EventRow {
  if (!isRecord(value)) return false;
  return isText(value.key, 512) && isText(value.type, 256) && isText(value.reason, 1024) && isText(value.object, 1024)
    && isText(value.message, 8192) && isCount(value.count) && isText(value.firstSeen, 64) && isText(value.lastSeen, 64) && isText(value.source, 1024);
}

function isStatus(value: unknown): value is EventsStatus {
  return isRecord(value) && (eventsStates as readonly unknown[]).includes(value.state) && isOptionalText(value.message, 4096);
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
