// The connections to the user's clusters: which kubeconfig, which contexts the tree shows (the
// active one, or those cmp.contexts names) and, for each, its API client and live cluster cache.
// Reloads when the kubeconfig files or the settings change (an edit of a file reconnects only the
// contexts it changed), and when the user switches context (remembered here; the kubeconfig file is
// never rewritten). `state` is the active context's; every other shown context is in `entries()`.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import { http1PoolSize } from '../kube/apiTransport';
import type { ClusterCache } from '../kube/clusterCache';
import type { ContextConnection } from '../kube/contextConnection';
import { FleetConnections } from '../kube/fleetConnections';
import type { KubeClient } from '../kube/kubeClient';
import { selectContexts } from '../core/fleet';
import { forContext, KubeconfigError, loadKubeconfig, locateKubeconfig, type KubeconfigLocation } from '../kube/kubeconfigLoader';
import type { Logger } from './logger';
import { readSettings } from './settings';

export type SessionState =
  | { kind: 'no-kubeconfig'; message: string }
  | { kind: 'invalid-kubeconfig'; message: string }
  | { kind: 'no-context'; message: string }
  /** `id` is new for every connection (reload, context switch), so what was shown for an older one can be told apart. */
  | { kind: 'connected'; id: number; contextName: string; server: string; client: KubeClient; cache: ClusterCache; kubeConfig: KubeConfig; connection: ContextConnection };

/** One live connection to a context, as commands and panels use it. */
export type Connected = Extract<SessionState, { kind: 'connected' }>;

/** A context the tree shows: connected, or the reason it cannot be. */
export interface ShownContext {
  name: string;
  at?: Connected;
  problem?: string;
}

const contextKey = 'cmp.selectedContext';

export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionState>();
  readonly onDidChange = this.changed.event;
  private current: SessionState = { kind: 'no-kubeconfig', message: 'Loading…' };
  private location: KubeconfigLocation | undefined;
  private loaded: KubeConfig | undefined;
  private watchers: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** The connections of the shown contexts; see FleetConnections. */
  private fleet: FleetConnections | undefined;
  private shown: ShownContext[] = [];

  constructor(private readonly memento: vscode.Memento, private readonly logger: Logger) {}

  get state(): SessionState {
    return this.current;
  }

  /** Where a command acts when no tree node says: the active context's connection. */
  get active(): Connected | undefined {
    return this.current.kind === 'connected' ? this.current : undefined;
  }

  /** The connection a tree node was shown for, while it is still the live one (a reload makes a new one). */
  connectionOf(ref: { id: number } | undefined): Connected | undefined {
    return this.shown.find((c) => c.at !== undefined && c.at.id === ref?.id)?.at;
  }

  /** The live connection of a context by name (a panel is opened for a context, and follows its reloads). */
  connectionNamed(contextName: string): Connected | undefined {
    return this.shown.find((c) => c.name === contextName)?.at;
  }

  /** Every context the tree shows, in order: one (the active) unless cmp.contexts names more. */
  entries(): readonly ShownContext[] {
    return this.shown;
  }

  /** More than one context shown: the tree's top level is the contexts. */
  get showsContexts(): boolean {
    return this.shown.length > 1;
  }

  get kubeconfigFiles(): string[] {
    return this.location?.paths ?? [];
  }

  /** Every context in the loaded kubeconfig, with the active one marked. */
  contexts(): { name: string; cluster: string; active: boolean }[] {
    const active = this.current.kind === 'connected' ? this.current.contextName : undefined;
    return (this.loaded?.getContexts() ?? []).map((c) => ({ name: c.name, cluster: c.cluster, active: c.name === active }));
  }

  async switchContext(name: string): Promise<void> {
    await this.memento.update(contextKey, name);
    this.reload();
  }

  /**
   * Re-reads the kubeconfig and reconnects; the old cache and its watches stop first. After an edit
   * of a kubeconfig file (`keepUnchanged`), a context whose definition did not change keeps its
   * connection, cache and tree as they are.
   */
  reload(options: { keepUnchanged?: boolean } = {}): void {
    const settings = readSettings();
    if (!options.keepUnchanged || !this.fleet) {
      this.fleet?.dispose();
      this.fleet = new FleetConnections({
        poolSize: http1PoolSize(settings.writeConcurrency),
        fallbackNamespaces: () => readSettings().fallbackNamespaces,
        onLog: (message) => this.logger.warn(message),
      });
    }
    const fleet = this.fleet;
    this.location = locateKubeconfig(settings.kubeconfig);
    this.watchFiles(this.location.paths);
    let parsed: KubeConfig | undefined;
    try {
      parsed = loadKubeconfig(this.location).kc;
      this.loaded = parsed;
      const loaded = parsed;
      const available = loaded.getContexts().map((c) => c.name);
      const remembered = this.memento.get<string>(contextKey);
      // Named contexts need no current one; the active context is then the first of them that connects.
      const current = settings.contexts.length ? (remembered && available.includes(remembered) ? remembered : loaded.getCurrentContext() || undefined) : forContext(loaded, remembered).getCurrentContext();
      const { names, unknown } = selectContexts(settings.contexts, available, current);
      if (unknown.length) this.logger.warn(`cmp.contexts names ${unknown.join(', ')}, which the kubeconfig does not define`);
      if (names.length === 0) throw new KubeconfigError('no-context', `None of the contexts cmp.contexts names (${settings.contexts.join(', ')}) is in the kubeconfig.`);
      const before = this.shown.map((c) => `${c.name}:${c.at?.id ?? c.problem}`).join(',');
      fleet.update(loaded, names);
      this.shown = fleet.all().map((entry) => ({
        name: entry.name,
        ...(entry.problem ? { problem: entry.problem } : {}),
        ...(entry.connection ? { at: this.shown.find((c) => c.at?.connection === entry.connection)?.at ?? connectedOf(entry.connection) } : {}),
      }));
      const active = this.shown.find((c) => c.name === current && c.at)?.at ?? this.shown.find((c) => c.at)?.at;
      if (!active) throw new KubeconfigError('invalid', this.shown.find((c) => c.problem)?.problem ?? `Context ${names.join(', ')} could not be connected.`);
      const after = this.shown.map((c) => `${c.name}:${c.at?.id ?? c.problem}`).join(',');
      if (this.current.kind === 'connected' && this.current === active && before === after) {
        this.logger.info(`kubeconfig read again: ${names.join(', ')} unchanged, their connections are kept`);
        return;
      }
      this.logger.info(`using ${names.map((n) => (n === active.contextName ? `${n} (active)` : n)).join(', ')} from ${this.location.paths.join(', ')}; active ${active.contextName} at ${active.server}`);
      this.setState(active);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A file caught half-written by an editor: what is connected stays until it reads well again.
      if (options.keepUnchanged && !parsed && this.current.kind === 'connected') {
        this.logger.warn(`kubeconfig could not be read again (${message}); the connections stay as they are`);
        return;
      }
      this.disconnect();
      this.shown = [];
      // What could be read stays known, so Switch Context and Choose Contexts can still offer its contexts.
      this.loaded = parsed;
      const kind = error instanceof KubeconfigError ? ({ missing: 'no-kubeconfig', invalid: 'invalid-kubeconfig', 'no-context': 'no-context' } as const)[error.kind] : 'invalid-kubeconfig';
      this.logger.warn(message);
      this.setState({ kind, message });
    }
  }

  dispose(): void {
    this.disconnect();
    this.watchers.forEach((w) => w.dispose());
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.changed.dispose();
  }

  private disconnect(): void {
    this.fleet?.dispose();
    this.fleet = undefined;
  }

  private setState(state: SessionState): void {
    this.current = state;
    void vscode.commands.executeCommand('setContext', 'cmp.sessionState', state.kind);
    this.changed.fire(state);
  }

  /** Watches each kubeconfig file (even one that does not exist yet) and reloads shortly after a change. */
  private watchFiles(paths: string[]): void {
    this.watchers.forEach((w) => w.dispose());
    this.watchers = paths.map((path) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(path)), basename(path)));
      const schedule = () => {
        if (this.reloadTimer) clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          this.logger.info(`kubeconfig ${path} changed; reloading the contexts it changed`);
          this.reload({ keepUnchanged: true });
        }, 300);
      };
      watcher.onDidChange(schedule);
      watcher.onDidCreate(schedule);
      watcher.onDidDelete(schedule);
      return watcher;
    });
  }
}

/** A connection as the session's state names it. */
function connectedOf(connection: ContextConnection): Connected {
  const { id, contextName, client, cache, kubeConfig } = connection;
  return { kind: 'connected', id, contextName, server: client.server, client, cache, kubeConfig, connection };
}
