// A live view of one namespace's events, built on ListWatch: events.k8s.io/v1 where the server and
// the user's rights allow it, else core/v1; either shape arrives as EventRows.
import { eventRow, type EventRow } from '../core/eventRows';
import { resourcePath, resources } from '../core/kubeTypes';
import type { ApiError } from './apiError';
import type { ApiTransport } from './apiTransport';
import { ListWatch } from './listWatch';

export interface EventsWatchHandlers {
  /** The full set after each (re)list. */
  onSync(rows: EventRow[]): void;
  onChange(type: 'ADDED' | 'MODIFIED' | 'DELETED', row: EventRow): void;
  onError(error: ApiError, retryInMs: number): void;
}

export class EventsWatch {
  private watch: ListWatch | undefined;
  private disposed = false;
  private api: 'events.k8s.io/v1' | 'v1' = 'events.k8s.io/v1';

  constructor(private readonly transport: ApiTransport, readonly namespace: string, private readonly handlers: EventsWatchHandlers, private readonly backoff = { minMs: 500, maxMs: 30_000 }) {}

  /** Which API the rows come from (for the log). */
  get source(): string {
    return this.api;
  }

  start(): void {
    this.open(resources.events);
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.dispose();
  }

  private open(ref: typeof resources.events | typeof resources.coreEvents): void {
    if (this.disposed) return;
    const modern = ref === resources.events;
    this.api = modern ? 'events.k8s.io/v1' : 'v1';
    const watch = new ListWatch(this.transport, {
      path: resourcePath(ref, this.namespace),
      minBackoffMs: this.backoff.minMs,
      maxBackoffMs: this.backoff.maxMs,
      // Without the newer API (or the right to read it), fall back to core/v1 once.
      stopOn: (error) => modern && (error.isNotFound || error.isForbidden),
    }, {
      onSync: (objects) => this.handlers.onSync(objects.map(eventRow).filter((row): row is EventRow => row !== undefined)),
      onEvent: (type, object) => {
        const row = eventRow(object);
        if (row) this.handlers.onChange(type, row);
      },
      onError: (error, retryInMs) => {
        if (modern && (error.isNotFound || error.isForbidden)) {
          queueMicrotask(() => this.open(resources.coreEvents));
          return;
        }
        this.handlers.onError(error, retryInMs);
      },
    });
    this.watch?.dispose();
    this.watch = watch;
    watch.start();
  }
}
