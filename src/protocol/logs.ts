// The typed protocol of the Logs pane: the webview's commands (previous container, save, clear) and
// replies, the host's notifications (reset, batched lines, status, sources) and requests. Each
// message is described once, as a valibot schema: the types are inferred from it, its guard checks it.
import * as v from 'valibot';
import { logColourCount } from '../core/instanceColours';
import { logEntryKinds, type LogEntry } from '../core/logPane';
import { clipText, isRecord, messageTypes, requestId, text } from './guards';

/** The longest each text may be; the host clips to these, the guards check them. */
export const logLimits = { text: 70_000, ts: 40, name: 253, title: 1024, contextName: 1024, status: 4096 } as const;

const name = text(logLimits.name);
const colour = v.pipe(requestId, v.maxValue(logColourCount - 1));

const target = v.variant('kind', [
  v.object({ kind: v.literal('instance'), namespace: name, name, container: name }),
  v.object({ kind: v.literal('cluster'), namespace: name, cluster: name }),
]);
export type LogsTarget = v.InferOutput<typeof target>;

const paneInfo = v.object({
  title: text(logLimits.title),
  target,
  contextName: text(logLimits.contextName),
  bufferLines: v.pipe(requestId, v.minValue(1)),
  tailLines: requestId,
  /** The instance restarted, so a previous container's log exists (instance panes only). */
  canPrevious: v.boolean(),
  restarts: requestId,
});
export type LogsPaneInfo = v.InferOutput<typeof paneInfo>;

export const logsStates = ['connecting', 'live', 'reconnecting', 'ended', 'previous', 'stale', 'error'] as const;
const status = v.object({ state: v.picklist(logsStates), message: v.optional(text(logLimits.status)) });
export type LogsStatus = v.InferOutput<typeof status>;

/** An instance of a cluster-wide pane, with its prefix colour; `active` while it is followed. */
const source = v.object({ name, colour, active: v.boolean() });
export type LogSource = v.InferOutput<typeof source>;

const logEntry: v.GenericSchema<LogEntry> = v.object({
  seq: requestId,
  kind: v.picklist(logEntryKinds),
  text: text(logLimits.text),
  ts: v.optional(text(logLimits.ts)),
  source: v.optional(name),
  colour: v.optional(colour),
});
export const isLogEntry = (value: unknown): value is LogEntry => v.is(logEntry, value);
const isSource = (value: unknown): value is LogSource => v.is(source, value);

/** What the webview renders, reported on request: lets tests check the real DOM. */
const snapshot = v.object({
  lines: requestId,
  /** textContent of the text part of the first lines. */
  texts: v.pipe(v.array(text()), v.maxLength(10_000)),
  /** The instance prefix of the same lines ('' where there is none). */
  prefixes: v.pipe(v.array(text()), v.maxLength(10_000)),
  /** textContent of the text part of the newest line. */
  lastText: text(70_000),
  /** The longest time one frame's rendering took, in ms: the pane's own measure of smoothness. */
  slowestFrameMs: requestId,
  /** The longest task the page ran, in ms (0 where the engine does not report long tasks). */
  longestTaskMs: requestId,
  /** Tag names of elements inside line texts other than the search's <mark>s. */
  elementsInText: v.array(text()),
  marks: v.array(text()),
  paused: v.boolean(),
  timestamps: v.boolean(),
  /** The warning banner's text ('' when hidden): says when the pane is stale. */
  banner: text(4096),
});
export type LogsSnapshot = v.InferOutput<typeof snapshot>;

/** Webview → host. */
const viewMessage = v.variant('type', [
  v.object({ type: v.literal('logs/ready') }),
  v.object({ type: v.literal('logs/setPrevious'), previous: v.boolean() }),
  v.object({ type: v.literal('logs/save'), timestamps: v.boolean() }),
  v.object({ type: v.literal('logs/clear') }),
  /** The webview has drawn what it was sent: the host sends the next batch only then (back-pressure). */
  v.object({ type: v.literal('logs/rendered') }),
  v.object({ type: v.literal('logs/inspected'), requestId, snapshot }),
]);
export type LogsViewMessage = v.InferOutput<typeof viewMessage>;
export const logsViewMessageTypes = messageTypes(viewMessage);
export const isLogsViewMessage = (value: unknown): value is LogsViewMessage => v.is(viewMessage, value);

const entries = v.pipe(v.array(logEntry), v.maxLength(1_000_000));

/** Host → webview. */
const hostMessage = v.variant('type', [
  v.object({ type: v.literal('host/reset'), info: paneInfo, entries, status, previous: v.boolean(), sources: v.array(source) }),
  v.object({ type: v.literal('host/append'), entries, skipped: requestId }),
  v.object({ type: v.literal('host/status'), status }),
  v.object({ type: v.literal('host/info'), info: paneInfo }),
  v.object({ type: v.literal('host/sources'), sources: v.array(source) }),
  v.object({ type: v.literal('host/cleared') }),
  v.object({ type: v.literal('host/inspect'), requestId, search: v.optional(text(1024)) }),
]);
export type LogsHostMessage = v.InferOutput<typeof hostMessage>;
export const isLogsHostMessage = (value: unknown): value is LogsHostMessage => v.is(hostMessage, value);

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

/** What the host of a Logs pane needs of this protocol. */
export const logsProtocol = { guard: isLogsViewMessage, knownTypes: logsViewMessageTypes, bound: boundedLogsHostMessage, readyType: 'logs/ready' };
