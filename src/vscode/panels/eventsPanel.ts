// The Events pane: one webview panel per cluster namespace, reused, showing a live list+watch of the
// namespace's events. Changes go to the webview in batches every 100 ms; a hidden pane is resent in
// full when shown; a context switch marks the pane stale; closing it stops the watch.
import type * as vscode from 'vscode';
import type { EventRow } from '../../core/eventRows';
import { clusterNameOf } from '../../core/names';
import { EventsWatch } from '../../kube/eventsWatch';
import { eventsProtocol, type EventsHostMessage, type EventsSnapshot, type EventsStatus, type EventsViewMessage } from '../../protocol/events';
import type { Logger } from '../logger';
import type { Session, SessionState } from '../session';
import { assertTestMode } from './testSeam';
import { PanelRegistry, WebviewHost } from './webviewHost';

export interface PaneDeps {
  extensionUri: vscode.Uri;
  session: Session;
  logger: Logger;
  /** ExtensionMode.Test: only then may inspect() ask a webview for its snapshot. */
  testMode: boolean;
}

export const batchIntervalMs = 100;

/** One Events pane per context and namespace; showing one again reveals (and if stale, revives) its pane. */
export class EventsPanels implements vscode.Disposable {
  private readonly panels = new PanelRegistry<EventsPanel>();

  constructor(private readonly deps: PaneDeps) {}

  show(contextName: string, namespace: string): EventsPanel {
    return this.panels.show(`${contextName}/${namespace}`, (onDisposed) => new EventsPanel(this.deps, contextName, namespace, onDisposed));
  }

  get(contextName: string, namespace: string): EventsPanel | undefined {
    return this.panels.get(`${contextName}/${namespace}`);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class EventsPanel implements vscode.Disposable {
  private readonly channel: WebviewHost<EventsViewMessage, EventsHostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly rows = new Map<string, EventRow>();
  private readonly upserts = new Map<string, EventRow>();
  private readonly deletes = new Set<string>();
  private watch: EventsWatch | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status: EventsStatus = { state: 'loading' };
  private server = '';
  private connectionId: number | undefined;
  private disposed = false;

  constructor(private readonly deps: PaneDeps, readonly contextName: string, readonly namespace: string, private readonly onDisposed: () => void) {
    this.channel = new WebviewHost<EventsViewMessage, EventsHostMessage>(deps, {
      viewType: 'cmp.events',
      title: `Events: ${namespace}`,
      bundle: 'events',
      paneName: 'Events pane',
      protocol: eventsProtocol,
      onReady: () => this.sendReset(),
      onMessage: () => undefined,
      onDidDispose: () => this.dispose(),
    });
    this.disposables.push(deps.session.onDidChange(() => this.onSession(this.connection())));
    this.connect(this.connection());
  }

  /** The live connection of the pane's context, or why there is none. */
  private connection(): SessionState {
    return this.deps.session.connectionNamed(this.contextName) ?? { kind: 'no-context', message: `Context ${this.contextName} is not shown or not connected now.` };
  }

  get stale(): boolean {
    return this.status.state === 'stale';
  }

  /** The rows the host holds now (for tests). */
  get rowCount(): number {
    return this.rows.size;
  }

  reveal(): void {
    if (this.stale) this.connect(this.connection());
    this.channel.panel.reveal();
  }

  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  /** For tests: a message as the webview would send it, through the same guard; returns the reason when refused. */
  handle(message: unknown): string | undefined {
    assertTestMode(this.deps);
    return this.channel.accept(message);
  }

  /** What the webview renders now. */
  async inspect(): Promise<EventsSnapshot> {
    assertTestMode(this.deps);
    this.flush();
    const reply = await this.channel.request((requestId) => ({ type: 'host/inspect', requestId }));
    if (reply.type !== 'events/inspected') throw new Error(`unexpected reply ${reply.type}`);
    return reply.snapshot;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.watch?.dispose();
    if (this.timer) clearTimeout(this.timer);
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.channel.dispose();
    this.onDisposed();
  }

  private connect(state: SessionState): void {
    this.watch?.dispose();
    this.watch = undefined;
    this.rows.clear();
    this.upserts.clear();
    this.deletes.clear();
    if (state.kind !== 'connected') {
      this.setStatus({ state: 'stale', message: `Not connected to context ${this.contextName}: see the CMP Clusters view.` });
      this.sendReset();
      return;
    }
    this.server = state.server;
    this.connectionId = state.id;
    const cluster = state.cache.namespaceObject(this.namespace);
    this.channel.panel.title = `Events: ${cluster ? clusterNameOf({ name: this.namespace, labels: cluster.metadata.labels }) : this.namespace}`;
    this.status = { state: 'loading' };
    const watch = new EventsWatch(state.client.transport, this.namespace, {
      onSync: (rows) => {
        this.rows.clear();
        for (const row of rows) this.rows.set(row.key, row);
        this.upserts.clear();
        this.deletes.clear();
        this.status = { state: 'live' };
        this.sendReset();
      },
      onChange: (type, row) => this.change(type, row),
      onError: (error, retryInMs) => {
        this.deps.logger.warn(`events of ${this.namespace}: ${error.message}`);
        this.setStatus({ state: 'reconnecting', message: `${error.message} (retrying in ${Math.round(retryInMs / 1000)} s)` });
      },
    });
    this.watch = watch;
    watch.start();
    this.sendReset();
  }

  private onSession(state: SessionState): void {
    if (this.stale) return;
    // Another context's change is not ours; a new connection of this one (a reload) resyncs.
    if (state.kind === 'connected' && state.server === this.server) {
      if (state.id !== this.connectionId) this.connect(state);
      return;
    }
    this.watch?.dispose();
    this.watch = undefined;
    const now = state.kind === 'connected' ? `its server is now ${state.server}` : `context ${this.contextName} is not shown or not connected now`;
    this.setStatus({ state: 'stale', message: `These events are from context ${this.contextName} and no longer update: ${now}. Run "CMP: Show Events" again to see it live.` });
  }

  private change(type: 'ADDED' | 'MODIFIED' | 'DELETED', row: EventRow): void {
    if (type === 'DELETED') {
      this.rows.delete(row.key);
      this.upserts.delete(row.key);
      this.deletes.add(row.key);
    } else {
      this.rows.set(row.key, row);
      this.deletes.delete(row.key);
      this.upserts.set(row.key, row);
    }
    if (this.status.state !== 'live') this.setStatus({ state: 'live' });
    this.timer ??= setTimeout(() => this.flush(), batchIntervalMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.upserts.size === 0 && this.deletes.size === 0) return;
    // While the webview is unloaded, changes are dropped: it gets every row when it is back.
    this.channel.post({ type: 'host/changes', upserts: [...this.upserts.values()], deletes: [...this.deletes] });
    this.upserts.clear();
    this.deletes.clear();
  }

  private sendReset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.upserts.clear();
    this.deletes.clear();
    const cluster = this.deps.session.connectionNamed(this.contextName)?.cache.cluster(this.namespace)?.name;
    this.channel.post({
      type: 'host/reset',
      info: { namespace: this.namespace, cluster: cluster ?? this.namespace, contextName: this.contextName },
      rows: [...this.rows.values()],
      status: this.status,
    });
  }

  private setStatus(status: EventsStatus): void {
    this.status = status;
    this.channel.post({ type: 'host/status', status });
  }
}
