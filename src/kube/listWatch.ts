// List-then-watch of one collection, kept alive as client-go's reflector keeps it: pages through
// the list, watches from its resourceVersion with bookmarks, resumes when a watch ends, relists on
// 410 Gone. Never a hot loop: a cycle that ends within seconds (an error, a watch closed at once,
// a 410 answered again) waits out a capped, jittered backoff first. A watch silent for longer than
// bookmarks allow is taken for a dead connection and resumed. Nothing polls; dispose stops it all.

import type { KubeObject } from '../core/kubeTypes';
import { ApiError } from './apiError';
import type { ApiTransport, Query } from './apiTransport';

export interface ListWatchHandlers {
  /** The full current set, after each (re)list. */
  onSync(objects: KubeObject[]): void;
  onEvent(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject): void;
  /** Every failure, with the delay before the next try; the first success after it calls onSync. */
  onError(error: ApiError, retryInMs: number): void;
}

export interface ListWatchOptions {
  path: string;
  labelSelector?: string;
  fieldSelector?: string;
  pageSize?: number;
  /** Backoff bounds after errors (defaults 500 ms and 8 s: a server back after a restart is seen within seconds). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop retrying on these statuses (e.g. 403 when the caller has a fallback); onError still fires. */
  stopOn?: (error: ApiError) => boolean;
  /** A watch that hears nothing, not even a bookmark (about one a minute), for this long is resumed. */
  silenceMs?: number;
  /** A 403 is an expected answer (see ApiRequest.refusalExpected). */
  refusalExpected?: boolean;
}

/** A cycle (list, watch) that lasts this long was healthy: the backoff starts again from its minimum. */
const healthyCycleMs = 5_000;

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject & { code?: number; message?: string; reason?: string };
}

interface ListResponse {
  metadata: { resourceVersion: string; continue?: string };
  items: KubeObject[];
  kind: string;
  apiVersion: string;
}

export class ListWatch {
  private readonly abort = new AbortController();
  private backoffMs: number;
  private running: Promise<void> | undefined;

  constructor(private readonly transport: ApiTransport, private readonly options: ListWatchOptions, private readonly handlers: ListWatchHandlers) {
    this.backoffMs = options.minBackoffMs ?? 500;
  }

  start(): void {
    this.running ??= this.loop();
  }

  dispose(): void {
    this.abort.abort();
  }

  /** Resolves when the loop has stopped (after dispose, or a stopOn error). */
  get stopped(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private get selectors(): Query {
    return { labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector };
  }

  private async loop(): Promise<void> {
    const signal = this.abort.signal;
    const minBackoff = this.options.minBackoffMs ?? 500;
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      const began = Date.now();
      let failure: ApiError | undefined;
      try {
        if (resourceVersion === undefined) resourceVersion = await this.list();
        resourceVersion = await this.watch(resourceVersion);
      } catch (error) {
        if (signal.aborted) return;
        failure = error instanceof ApiError ? error : new ApiError(0, 'Error', error instanceof Error ? error.message : String(error));
        resourceVersion = undefined;
      }
      // A cycle that lasted was healthy, whatever ended it: the backoff starts over.
      const healthy = Date.now() - began >= healthyCycleMs;
      if (healthy) this.backoffMs = minBackoff;
      const failed = failure !== undefined && !failure.isGone;
      if (failure && failed) {
        this.handlers.onError(failure, this.backoffMs);
        if (this.options.stopOn?.(failure)) return;
      }
      // A long watch that ended, or expired (410): go on at once.
      if (healthy && !failed) continue;
      // Ended within seconds: wait before the next cycle, longer each time.
      await sleep(this.backoffMs * (0.8 + Math.random() * 0.4), signal);
      this.backoffMs = Math.min(this.options.maxBackoffMs ?? 8_000, this.backoffMs * 2);
    }
  }

  private async list(): Promise<string> {
    const items: KubeObject[] = [];
    let next: string | undefined;
    let response: ListResponse;
    do {
      response = await this.transport.request<ListResponse>({
        method: 'GET',
        path: this.options.path,
        query: { ...this.selectors, limit: this.options.pageSize ?? 500, continue: next },
        signal: this.abort.signal,
        timeoutMs: 60_000,
        refusalExpected: this.options.refusalExpected,
      });
      const kind = response.kind.replace(/List$/, '');
      for (const item of response.items) items.push({ ...item, kind, apiVersion: response.apiVersion });
      next = response.metadata.continue || undefined;
    } while (next);
    this.handlers.onSync(items);
    return response.metadata.resourceVersion;
  }

  /** Watches until the server ends the stream; returns the last resourceVersion seen. */
  private async watch(fromVersion: string): Promise<string> {
    let resourceVersion = fromVersion;
    let buffer = '';
    let failure: ApiError | undefined;
    // The stream's own cancel: dispose, an unreadable line, or silence past what bookmarks allow.
    const stop = new AbortController();
    const onDispose = () => stop.abort();
    this.abort.signal.addEventListener('abort', onDispose, { once: true });
    const silenceMs = this.options.silenceMs ?? 150_000;
    let heard = Date.now();
    let silent = false;
    const watchdog = setInterval(() => {
      if (Date.now() - heard < silenceMs) return;
      silent = true;
      stop.abort();
    }, Math.min(15_000, silenceMs / 3));
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    try {
      await this.transport.stream({
        method: 'GET',
        path: this.options.path,
        query: { ...this.selectors, watch: true, allowWatchBookmarks: true, resourceVersion, timeoutSeconds },
        signal: stop.signal,
        refusalExpected: this.options.refusalExpected,
      }, (chunk) => {
        heard = Date.now();
        buffer += chunk;
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).trim();
          buffer = buffer.slice(newline + 1);
          if (!line || failure) continue;
          const event = parseWatchLine(line);
          if (!event) {
            // A proxy's HTML error page, say: this watch is over; never an exception in the socket's callback.
            failure = new ApiError(0, 'Unreadable', `The watch of ${this.options.path} sent a line that is not a watch event: ${JSON.stringify(line.slice(0, 80))}`);
            stop.abort();
            continue;
          }
          if (event.type === 'ERROR') {
            failure = new ApiError(event.object.code ?? 500, event.object.reason ?? 'Error', event.object.message ?? 'watch error');
            continue;
          }
          const version = event.object.metadata?.resourceVersion;
          if (version) resourceVersion = version;
          if (event.type !== 'BOOKMARK') this.handlers.onEvent(event.type, event.object);
        }
        if (buffer.length > maxLineBytes && !failure) {
          failure = new ApiError(0, 'Unreadable', `The watch of ${this.options.path} sent a line of more than ${maxLineBytes} bytes.`);
          stop.abort();
        }
      });
    } finally {
      clearInterval(watchdog);
      this.abort.signal.removeEventListener('abort', onDispose);
    }
    if (failure) throw failure;
    if (silent) throw new ApiError(0, 'Unreachable', `The watch of ${this.options.path} heard nothing for ${Math.round(silenceMs / 1000)} s, not even a bookmark: the connection is taken for dead and opened again.`);
    return resourceVersion;
  }
}

/** Longer than any object the API stores (etcd's limit is 1.5 MiB) with room to spare. */
const maxLineBytes = 16 * 1024 * 1024;

function parseWatchLine(line: string): WatchEvent | undefined {
  try {
    const event = JSON.parse(line) as WatchEvent;
    return typeof event === 'object' && event !== null && typeof event.type === 'string' && typeof event.object === 'object' && event.object !== null ? event : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves after ms, or at once on abort; the abort listener goes when the timer fires. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
