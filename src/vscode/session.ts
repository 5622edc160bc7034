// The connection to the user's cluster: which kubeconfig and context are active, the API client and
// the live cluster cache for them. Reloads when the kubeconfig files or the settings change, and when
// the user switches context (remembered here; the kubeconfig file is never rewritten).
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import { http1PoolSize } from '../kube/apiTransport';
import type { ClusterCache } from '../kube/clusterCache';
import type { ContextConnection } from '../kube/contextConnection';
import { FleetConnections } from '../kube/fleetConnections';
import type { KubeClient } from '../kube/kubeClient';
import { contextProblem, forContext, KubeconfigError, loadKubeconfig, locateKubeconfig, type KubeconfigLocation } from '../kube/kubeconfigLoader';
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

const contextKey = 'cmp.selectedContext';

export class Session implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SessionState>();
  readonly onDidChange = this.changed.event;
  private current: SessionState = { kind: 'no-kubeconfig', message: 'Loading…' };
  private location: KubeconfigLocation | undefined;
  private loaded: KubeConfig | undefined;
  private watchers: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** The connections of the shown contexts (for now the active one); see FleetConnections. */
  private fleet: FleetConnections | undefined;

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
    const active = this.active;
    return active && ref?.id === active.id ? active : undefined;
  }

  /** The live connection of a context by name (a panel is opened for a context, and follows its reloads). */
  connectionNamed(contextName: string): Connected | undefined {
    const active = this.active;
    return active?.contextName === contextName ? active : undefined;
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
    try {
      this.loaded = loadKubeconfig(this.location).kc;
      const remembered = this.memento.get<string>(contextKey);
      const contextName = forContext(this.loaded, remembered).getCurrentContext();
      const problem = contextProblem(this.loaded, contextName);
      if (problem) throw new KubeconfigError('invalid', problem);
      fleet.update(this.loaded, [contextName]);
      const connection = fleet.get(contextName);
      if (!connection) throw new KubeconfigError('invalid', `Context ${contextName} could not be connected.`);
      if (this.current.kind === 'connected' && this.current.connection === connection) {
        this.logger.info(`kubeconfig read again: context ${contextName} is unchanged, its connection is kept`);
        return;
      }
      const { client, cache, kubeConfig } = connection;
      this.logger.info(`using context ${contextName} (${client.server}) from ${this.location.paths.join(', ')}`);
      this.setState({ kind: 'connected', id: connection.id, contextName, server: client.server, client, cache, kubeConfig, connection });
    } catch (error) {
      this.disconnect();
      this.loaded = error instanceof KubeconfigError && error.kind === 'no-context' ? this.loaded : undefined;
      const message = error instanceof Error ? error.message : String(error);
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
