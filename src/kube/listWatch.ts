// List-then-watch of one collection, kept alive: pages through the list, watches from its
// resourceVersion with bookmarks, resumes when a watch ends, relists on 410 Gone, and backs off
// (capped) after errors. Nothing polls; everything stops on dispose.

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
  /** Backoff bounds after errors. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Stop retrying on these statuses (e.g. 403 when the caller has a fallback); onError still fires. */
  stopOn?: (error: ApiError) => boolean;
}

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
    let resourceVersion: string | undefined;
    while (!signal.aborted) {
      try {
        if (resourceVersion === undefined) resourceVersion = await this.list();
        resourceVersion = await this.watch(resourceVersion);
        this.backoffMs = this.options.minBackoffMs ?? 500;
      } catch (error) {
        if (signal.aborted) return;
        const apiError = error instanceof ApiError ? error : new ApiError(0, 'Error', error instanceof Error ? error.message : String(error));
        if (apiError.isGone) {
          resourceVersion = undefined;
          continue;
        }
        const delay = this.backoffMs;
        this.handlers.onError(apiError, delay);
        if (this.options.stopOn?.(apiError)) return;
        resourceVersion = undefined;
        await sleep(delay, signal);
        this.backoffMs = Math.min(this.options.maxBackoffMs ?? 30_000, this.backoffMs * 2);
      }
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
    const timeoutSeconds = 240 + Math.floor(Math.random() * 120);
    await this.transport.stream({
      method: 'GET',
      path: this.options.path,
      query: { ...this.selectors, watch: true, allowWatchBookmarks: true, resourceVersion, timeoutSeconds },
      signal: this.abort.signal,
    }, (chunk) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (!line || failure) continue;
        const event = JSON.parse(line) as WatchEvent;
        if (event.type === 'ERROR') {
          failure = new ApiError(event.object.code ?? 500, event.object.reason ?? 'Error', event.object.message ?? 'watch error');
          continue;
        }
        const version = event.object.metadata?.resourceVersion;
        if (version) resourceVersion = version;
        if (event.type !== 'BOOKMARK') this.handlers.onEvent(event.type, event.object);
      }
    });
    if (failure) throw failure;
    return resourceVersion;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
