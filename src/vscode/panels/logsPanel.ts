// The Logs pane: one webview panel per instance or cluster, reused. Its feed follows the log(s) into
// a bounded buffer; new entries reach the webview in batches every 100 ms; a hidden pane is resent
// in full when shown. It saves, clears, switches to the previous container, and stops streams on
// close or when the context changes (then it is marked stale).
import * as vscode from 'vscode';
import { formatLogEntry } from '../../core/logPane';
import { ApiTransport } from '../../kube/apiTransport';
import { LogPaneFeed, type FeedState, type LogFeedTarget } from '../../kube/logPaneFeed';
import { logsProtocol, type LogsHostMessage, type LogsPaneInfo, type LogsSnapshot, type LogsStatus, type LogsViewMessage } from '../../protocol/logs';
import type { SessionState } from '../session';
import { readSettings } from '../settings';
import { batchIntervalMs, type PaneDeps } from './eventsPanel';
import { assertTestMode } from './testSeam';
import { PanelRegistry, WebviewHost } from './webviewHost';

/** Simultaneous log streams of one pane's own connection pool (a cluster pane opens one per instance). */
const streamSockets = 128;

export function logsPaneKey(target: LogFeedTarget): string {
  return target.kind === 'cluster' ? `cluster:${target.namespace}` : `instance:${target.namespace}/${target.name}/${target.container ?? ''}`;
}

/** One Logs pane per instance (and container) or cluster; showing it again reveals, or revives a stale one. */
export class LogsPanels implements vscode.Disposable {
  private readonly panels = new PanelRegistry<LogsPanel>();

  constructor(private readonly deps: PaneDeps) {}

  show(contextName: string, target: LogFeedTarget): LogsPanel {
    return this.panels.show(`${contextName}/${logsPaneKey(target)}`, (onDisposed) => new LogsPanel(this.deps, contextName, target, onDisposed));
  }

  get(contextName: string, target: LogFeedTarget): LogsPanel | undefined {
    return this.panels.get(`${contextName}/${logsPaneKey(target)}`);
  }

  dispose(): void {
    this.panels.dispose();
  }
}

export class LogsPanel implements vscode.Disposable {
  private readonly channel: WebviewHost<LogsViewMessage, LogsHostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private feed: LogPaneFeed | undefined;
  private transport: ApiTransport | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private status: LogsStatus = { state: 'connecting' };
  private server = '';
  private stale = false;
  private disposed = false;
  /** A batch was posted and the webview has not drawn it yet: later entries wait in the ring buffer. */
  private inFlight = false;

  constructor(private readonly deps: PaneDeps, readonly contextName: string, readonly target: LogFeedTarget, private readonly onDisposed: () => void) {
    this.channel = new WebviewHost<LogsViewMessage, LogsHostMessage>(deps, {
      viewType: 'cmp.logs',
      title: this.title(),
      bundle: 'logs',
      paneName: 'Logs pane',
      protocol: logsProtocol,
      onReady: () => this.sendReset(),
      onMessage: (message) => this.onMessage(message).catch((error: unknown) => deps.logger.showError('The log pane failed', error)),
      onDidDispose: () => this.dispose(),
    });
    this.disposables.push(deps.session.onDidChange(() => this.onSession(this.connection())));
    this.connect(this.connection());
  }

  /** The live connection of the pane's context, or why there is none. */
  private connection(): SessionState {
    return this.deps.session.connectionNamed(this.contextName) ?? { kind: 'no-context', message: `Context ${this.contextName} is not shown or not connected now.` };
  }

  /** Entries the pane holds now (for tests and benchmarks). */
  get bufferedLines(): number {
    return this.feed?.buffer.size ?? 0;
  }

  /** The instance restarted, so its previous container's log can be shown. */
  get canPrevious(): boolean {
    return this.info().canPrevious;
  }

  get isStale(): boolean {
    return this.stale;
  }

  reveal(): void {
    if (this.stale) this.connect(this.connection());
    this.channel.panel.reveal();
  }

  whenReady(): Promise<void> {
    return this.channel.whenReady();
  }

  /** What the webview renders now, after optionally typing `search` into its search box. */
  async inspect(search?: string): Promise<LogsSnapshot> {
    assertTestMode(this.deps);
    this.flush(true);
    const reply = await this.channel.request((requestId) => ({ type: 'host/inspect', requestId, search }));
    if (reply.type !== 'logs/inspected') throw new Error(`unexpected reply ${reply.type}`);
    return reply.snapshot;
  }

  /** For tests: a message as the webview would send it, through the same guard; resolves with the reason when refused. */
  async handle(message: unknown): Promise<string | undefined> {
    assertTestMode(this.deps);
    return (await this.channel.handle(message)).refused;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopStreams();
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.channel.dispose();
    this.onDisposed();
  }

  private title(): string {
    return this.target.kind === 'cluster' ? `Logs: ${this.clusterName()}` : `Logs: ${this.target.name} (${this.clusterName()})`;
  }

  private connect(state: SessionState): void {
    this.stopStreams();
    this.stale = false;
    if (state.kind !== 'connected') {
      this.stale = true;
      this.setStatus({ state: 'stale', message: `Not connected to context ${this.contextName}: see the CMP Clusters view.` });
      return;
    }
    this.server = state.server;
    const settings = readSettings();
    // Its own connection pool: long-lived log streams must not take the sockets the tree's watches and writes use.
    this.transport = new ApiTransport(state.kubeConfig, streamSockets);
    this.feed = new LogPaneFeed(this.transport, state.cache, this.target, { tailLines: settings.logTailLines, bufferLines: settings.logBufferLines }, {
      onEntries: () => {
        this.timer ??= setTimeout(() => this.flush(), batchIntervalMs);
      },
      onState: (feedState, message) => this.setStatus(statusOf(feedState, message)),
      onSourcesChanged: () => {
        this.channel.post({ type: 'host/sources', sources: this.feed?.sources() ?? [] });
        this.channel.post({ type: 'host/info', info: this.info() });
      },
    });
    this.status = { state: 'connecting' };
    this.feed.start();
    this.sendReset();
  }

  private stopStreams(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.feed?.dispose();
    this.transport?.dispose();
    this.transport = undefined;
  }

  private onSession(state: SessionState): void {
    if (this.stale) return;
    // A reload of the same context keeps following on the pane's own connection, with the new cache
    // and the kubeconfig's credentials as they are now (a rotated token); another context stops it.
    if (state.kind === 'connected' && state.server === this.server) {
      this.transport?.useCredentialsOf(state.kubeConfig);
      this.feed?.rebind(state.cache);
      return;
    }
    this.stopStreams();
    this.stale = true;
    const now = state.kind === 'connected' ? `its server is now ${state.server}` : `context ${this.contextName} is not shown or not connected now`;
    this.setStatus({ state: 'stale', message: `These logs are from context ${this.contextName} and no longer update: ${now}. Run "CMP: Show Logs" again to follow it live.` });
  }

  private async onMessage(message: LogsViewMessage): Promise<void> {
    switch (message.type) {
      case 'logs/setPrevious':
        if (this.stale || !this.feed || this.target.kind !== 'instance') return;
        this.feed.restart(message.previous);
        this.sendReset();
        return;
      case 'logs/clear':
        this.feed?.buffer.clear();
        this.channel.post({ type: 'host/cleared' });
        return;
      case 'logs/save':
        return this.save(message.timestamps);
      case 'logs/rendered':
        this.inFlight = false;
        if (this.feed?.buffer.hasPending) this.timer ??= setTimeout(() => this.flush(), batchIntervalMs);
        return;
      default:
        return;
    }
  }

  private async save(timestamps: boolean): Promise<void> {
    const entries = this.feed?.buffer.all() ?? [];
    const name = this.target.kind === 'cluster' ? this.target.namespace : this.target.name;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri = await vscode.window.showSaveDialog({
      title: 'Save Log',
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.log`) : undefined,
      filters: { Logs: ['log', 'txt'] },
    });
    if (!uri) return;
    const text = entries.map((e) => formatLogEntry(e, { timestamps, sources: this.target.kind === 'cluster' })).join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text ? `${text}\n` : ''));
    vscode.window.setStatusBarMessage(`Saved ${entries.length} lines to ${uri.fsPath}`, 5000);
  }

  /**
   * Sends what arrived since the last batch, unless the webview is still drawing the last one: then
   * the lines wait in the ring buffer, so a flood costs the webview at most one buffer per batch.
   */
  private flush(force = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const feed = this.feed;
    if (!feed?.buffer.hasPending || (this.inFlight && !force) || !this.channel.ready) return;
    const batch = feed.buffer.takeBatch();
    this.inFlight = true;
    this.channel.post({ type: 'host/append', entries: batch.entries, skipped: batch.skipped });
  }

  private sendReset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = false;
    this.channel.post({
      type: 'host/reset',
      info: this.info(),
      entries: this.feed?.buffer.snapshot() ?? [],
      status: this.status,
      previous: this.feed?.previous ?? false,
      sources: this.feed?.sources() ?? [],
    });
  }

  private info(): LogsPaneInfo {
    const settings = readSettings();
    const restarts = this.feed?.restarts ?? 0;
    const target = this.target.kind === 'cluster'
      ? { kind: 'cluster' as const, namespace: this.target.namespace, cluster: this.clusterName() }
      : { kind: 'instance' as const, namespace: this.target.namespace, name: this.target.name, container: this.target.container ?? '' };
    return {
      title: this.title(),
      target,
      contextName: this.contextName,
      bufferLines: this.feed?.buffer.capacity ?? settings.logBufferLines,
      tailLines: settings.logTailLines,
      canPrevious: this.target.kind === 'instance' && restarts > 0,
      restarts,
    };
  }

  private clusterName(): string {
    return this.deps.session.connectionNamed(this.contextName)?.cache.cluster(this.target.namespace)?.name ?? this.target.namespace;
  }

  private setStatus(status: LogsStatus): void {
    this.status = status;
    this.channel.post({ type: 'host/status', status });
  }
}

function statusOf(state: FeedState, message: string | undefined): LogsStatus {
  const map: Record<FeedState, LogsStatus['state']> = { connecting: 'connecting', waiting: 'connecting', live: 'live', reconnecting: 'reconnecting', ended: 'ended', previous: 'previous' };
  return { state: map[state], message };
}
