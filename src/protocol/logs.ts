// The typed protocol of the Logs pane: the webview's commands (previous container, save, clear) and
// replies, the host's notifications (reset, batched lines, status, sources) and requests, all guarded.
import { logColourCount } from '../core/instanceColours';
import { logEntryKinds, type LogEntry } from '../core/logPane';
import { clipText, isArrayOf, isCount, isOptionalText, isRecord, isRequestId, isText, isTextArray } from './guards';

export type LogsTarget =
  | { kind: 'instance'; namespace: string; name: string; container: string }
  | { kind: 'cluster'; namespace: string; cluster: string };

export interface LogsPaneInfo {
  title: string;
  target: LogsTarget;
  contextName: string;
  bufferLines: number;
  tailLines: number;
  /** The instance restarted, so a previous container's log exists (instance panes only). */
  canPrevious: boolean;
  restarts: number;
}

export const logsStates = ['connecting', 'live', 'reconnecting', 'ended', 'previous', 'stale', 'error'] as const;
export interface LogsStatus {
  state: (typeof logsStates)[number];
  message?: string;
}

/** An instance of a cluster-wide pane, with its prefix colour; `active` while it is followed. */
export interface LogSource {
  name: string;
  colour: number;
  active: boolean;
}

/** What the webview renders, reported on request: lets tests check the real DOM. */
export interface LogsSnapshot {
  lines: number;
  /** textContent of the text part of the first lines. */
  texts: string[];
  /** The instance prefix of the same lines ('' where there is none). */
  prefixes: string[];
  /** textContent of the text part of the newest line. */
  lastText: string;
  /** The longest time one frame's rendering took, in ms: the pane's own measure of smoothness. */
  slowestFrameMs: number;
  /** The longest task the page ran, in ms (0 where the engine does not report long tasks). */
  longestTaskMs: number;
  /** Tag names of elements inside line texts other than the search's <mark>s. */
  elementsInText: string[];
  marks: string[];
  paused: boolean;
  timestamps: boolean;
  /** The warning banner's text ('' when hidden): says when the pane is stale. */
  banner: string;
}

/** Webview → host. */
export type LogsViewMessage =
  | { type: 'logs/ready' }
  | { type: 'logs/setPrevious'; previous: boolean }
  | { type: 'logs/save'; timestamps: boolean }
  | { type: 'logs/clear' }
  /** The webview has drawn what it was sent: the host sends the next batch only then (back-pressure). */
  | { type: 'logs/rendered' }
  | { type: 'logs/inspected'; requestId: number; snapshot: LogsSnapshot };

export const logsViewMessageTypes: readonly LogsViewMessage['type'][] = ['logs/ready', 'logs/setPrevious', 'logs/save', 'logs/clear', 'logs/rendered', 'logs/inspected'];

/** Host → webview. */
export type LogsHostMessage =
  | { type: 'host/reset'; info: LogsPaneInfo; entries: LogEntry[]; status: LogsStatus; previous: boolean; sources: LogSource[] }
  | { type: 'host/append'; entries: LogEntry[]; skipped: number }
  | { type: 'host/status'; status: LogsStatus }
  | { type: 'host/info'; info: LogsPaneInfo }
  | { type: 'host/sources'; sources: LogSource[] }
  | { type: 'host/cleared' }
  | { type: 'host/inspect'; requestId: number; search?: string };

/** The longest each text may be; the host clips to these, the guards check them. */
export const logLimits = { text: 70_000, ts: 40, name: 253, title: 1024, contextName: 1024, status: 4096 } as const;

const isName = (value: unknown): value is string => isText(value, logLimits.name);
const isColour = (value: unknown): value is number => isCount(value) && value < logColourCount;

export function isLogEntry(value: unknown): value is LogEntry {
  return isRecord(value) && isCount(value.seq) && (logEntryKinds as readonly unknown[]).includes(value.kind) && isText(value.text, logLimits.text)
    && isOptionalText(value.ts, logLimits.ts) && isOptionalText(value.source, logLimits.name) && (value.colour === undefined || isColour(value.colour));
}

function isTarget(value: unknown): value is LogsTarget {
  if (!isRecord(value) || !isName(value.namespace)) return false;
  if (value.kind === 'instance') return isName(value.name) && isName(value.container);
  return value.kind === 'cluster' && isName(value.cluster);
}

function isInfo(value: unknown): value is LogsPaneInfo {
  return isRecord(value) && isText(value.title, logLimits.title) && isTarget(value.target) && isText(value.contextName, logLimits.contextName) && isCount(value.bufferLines)
    && value.bufferLines > 0 && isCount(value.tailLines) && typeof value.canPrevious === 'boolean' && isCount(value.restarts);
}

function isStatus(value: unknown): value is LogsStatus {
  return isRecord(value) && (logsStates as readonly unknown[]).includes(value.state) && isOptionalText(value.message, logLimits.status);
}

const isSource = (value: unknown): value is LogSource => isRecord(value) && isName(value.name) && isColour(value.colour) && typeof value.active === 'boolean';

function isSnapshot(value: unknown): value is LogsSnapshot {
  return isRecord(value) && isCount(value.lines) && isTextArray(value.texts, 10_000) && isTextArray(value.prefixes, 10_000) && isText(value.lastText, 70_000) && isCount(value.slowestFrameMs) && isCount(value.longestTaskMs) && isTextArray(value.elementsInText) && isTextArray(value.marks)
    && typeof value.paused === 'boolean' && typeof value.timestamps === 'boolean' && isText(value.banner, 4096);
}

export function isLogsViewMessage(value: unknown): value is LogsViewMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'logs/ready':
    case 'logs/clear':
    case 'logs/rendered':
      return true;
    case 'logs/setPrevious':
      return typeof value.previous === 'boolean';
    case 'logs/save':
      return typeof value.timestamps === 'boolean';
    case 'logs/inspected':
      return isRequestId(value.requestId) && isSnapshot(value.snapshot);
    default:
      return false;
  }
}

export function isLogsHostMessage(value: unknown): value is LogsHostMessage {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'host/reset':
      return isInfo(value.info) && isArrayOf(value.entries, isLogEntry, 1_000_000) && isStatus(value.status) && typeof value.previous === 'boolean'
        && isArrayOf(value.sources, isSource);
    case 'host/append':
      return isArrayOf(value.entries, isLogEntry, 1_000_000) && isCount(value.skipped);
    case 'host/status':
      return isStatus(value.status);
    case 'host/info':
      return isInfo(value.info);
    case 'host/sources':
      return isArrayOf(value.sources, isSource);
    case 'host/cleared':
      return true;
    case 'host/inspect':
      return isRequestId(value.requestId) && isOptionalText(value.search, 1024);
    default:
      return false;
  }
}

function boundedEntry(entry: LogEntry): LogEntry {
  const bounded: LogEntry = { ...entry, text: clipText(entry.text, logLimits.text) };
  // A timestamp or instance name past its bound is not one: dropped rather than cut.
  if (entry.ts !== undefined && entry.ts.length > logLimits.ts) delete bounded.ts;
  if (entry.source !== undefined) bounded.source = clipText(entry.source, logLimits.name);
  return bounded;
}

function boundedInfo(info: LogsPaneInfo): LogsPaneInfo {
  return { ...info, title: clipText(info.title, logLimits.title), contextName: clipText(info.contextName, logLimits.contextName) };
}

/**
 * What the host posts, cut to the guards' bounds: a marker or status built from a long server
 * error must not make the webview drop the batch (and then wait forever to draw it).
 */
export function boundedLogsHostMessage(message: LogsHostMessage): LogsHostMessage {
  const status = (s: LogsStatus): LogsStatus => (s.message === undefined ? s : { ...s, message: clipText(s.message, logLimits.status) });
  switch (message.type) {
    case 'host/reset':
      return { ...message, info: boundedInfo(message.info), entries: message.entries.map(boundedEntry), status: status(message.status) };
    case 'host/append':
      return { ...message, entries: message.entries.map(boundedEntry) };
    case 'host/status':
      return { ...message, status: status(message.status) };
    case 'host/info':
      return { ...message, info: boundedInfo(message.info) };
    default:
      return message;
  }
}

/** The webview's reading of a host message: an entry or source that fails its guard is dropped, never the batch. */
export function readLogsHostMessage(value: unknown): LogsHostMessage | undefined {
  if (isRecord(value) && Array.isArray(value.entries)) value = { ...value, entries: value.entries.filter(isLogEntry) };
  if (isRecord(value) && Array.isArray(value.sources)) value = { ...value, sources: value.sources.filter(isSource) };
  return isLogsHostMessage(value) ? value : undefined;
}
