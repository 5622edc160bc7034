// The user's port forwards: started here, listed in the Port Forwards view and counted in the status
// bar, each with its own transport (a kubeconfig reload does not cut it). A forward follows its
// instance through restarts and recreates (portForward.ts) and says so in the status bar and the
// log; one that stops by itself says why. A forward stops when its cluster leaves the live cache
// (deleted) or its instance is deleted with Delete Instance; all stop on a context switch and on dispose.
import * as vscode from 'vscode';
import type { KubeConfig } from '@kubernetes/client-node';
import { shownMessage } from '../../core/inertText';
import { clipText } from '../../protocol/guards';
import { forwardLabel } from '../../core/ports';
import { portForwardChecks, requireAccess } from '../../kube/accessReview';
import { ApiTransport } from '../../kube/apiTransport';
import { KubeClient } from '../../kube/kubeClient';
import { goneForGood } from '../../kube/streaming/instanceFate';
import { PortForward, type ForwardState } from '../../kube/streaming/portForward';
import type { Logger } from '../logger';
import type { Session } from '../session';

export interface ForwardRequest {
  kubeConfig: KubeConfig;
  contextName: string;
  server: string;
  cluster: string;
  namespace: string;
  instance: string;
  remotePort: number;
  /** 0: a free port. */
  localPort: number;
}

export interface ForwardEntry {
  id: number;
  request: ForwardRequest;
  localPort: number;
  label: string;
  state: ForwardState;
  connections(): number;
}

export class PortForwards implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly entries = new Map<number, { entry: ForwardEntry; forward: PortForward; transport: ApiTransport }>();
  private nextId = 1;
  private readonly statusItem = vscode.window.createStatusBarItem('cmp.portForwards', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;
  private cacheSubscriptions: { dispose(): void }[] = [];

  private disposed = false;

  constructor(private readonly session: Session, private readonly logger: Logger) {
    this.statusItem.name = 'CMP Port Forwards';
    this.statusItem.command = 'cmp.showPortForwards';
    this.subscription = session.onDidChange(() => this.sessionChanged());
    this.followClusters();
  }

  /** Stops the forwards to one instance (it was deleted and will not come back by itself). */
  stopForInstance(contextName: string, namespace: string, instance: string, reason: string): void {
    for (const { entry } of [...this.entries.values()]) {
      if (entry.request.contextName === contextName && entry.request.namespace === namespace && entry.request.instance === instance) this.stop(entry.id, reason);
    }
  }

  list(): ForwardEntry[] {
    return [...this.entries.values()].map((e) => e.entry);
  }

  get(id: number): ForwardEntry | undefined {
    return this.entries.get(id)?.entry;
  }

  /** Checks the user's rights, listens and starts; rejects with a sentence (Forbidden, a taken port). */
  async start(request: ForwardRequest): Promise<ForwardEntry> {
    const transport = new ApiTransport(request.kubeConfig);
    const client = new KubeClient(transport);
    const id = this.nextId++;
    const name = { cluster: request.cluster, instance: request.instance, remotePort: request.remotePort };
    let forward: PortForward;
    try {
      await requireAccess(transport, portForwardChecks(request.namespace, request.instance));
      forward = await PortForward.start(transport, { namespace: request.namespace, pod: request.instance, remotePort: request.remotePort, localPort: request.localPort }, {
        onState: (state) => this.stateChanged(id, state),
        onNotice: (text) => this.notice(id, text),
        onConnections: () => this.changed.fire(),
      }, { goneForGood: () => goneForGood(client, request.namespace, request.instance) });
    } catch (error) {
      transport.dispose();
      throw error;
    }
    // The context may have changed (or the extension closed) while this one started: it must not outlive that.
    const state = this.session.connectionNamed(request.contextName);
    if (this.disposed || !state || state.server !== request.server) {
      forward.stop('the context changed while it started');
      transport.dispose();
      throw new Error(`the context changed from ${request.contextName} while the forward started; nothing is listening`);
    }
    const entry: ForwardEntry = { id, request, localPort: forward.localPort, label: forwardLabel({ ...name, localPort: forward.localPort }), state: forward.state, connections: () => forward.connections };
    this.entries.set(id, { entry, forward, transport });
    this.logger.info(`port forward ${entry.label} started (context ${request.contextName})`);
    this.update();
    return entry;
  }

  stop(id: number, reason = 'stopped by you'): void {
    const held = this.entries.get(id);
    if (!held) return;
    this.entries.delete(id);
    held.forward.stop(reason);
    held.transport.dispose();
    this.logger.info(`port forward ${held.entry.label} stopped: ${reason}`);
    this.update();
  }

  stopAll(reason: string): void {
    for (const id of [...this.entries.keys()]) this.stop(id, reason);
  }

  dispose(): void {
    this.stopAll('CMP Clusters was closed');
    this.disposed = true;
    this.subscription.dispose();
    this.cacheSubscriptions.forEach((s) => s.dispose());
    this.statusItem.dispose();
    this.changed.dispose();
  }

  /** A cluster deleted (gone from the live cache, or terminating) ends its forwards, whoever deleted it. */
  private followClusters(): void {
    this.cacheSubscriptions.forEach((s) => s.dispose());
    this.cacheSubscriptions = this.session.entries().flatMap(({ at }) => (at ? [at.cache.onDidChange((change) => {
      for (const { entry } of [...this.entries.values()]) {
        if (entry.request.contextName !== at.contextName || !change.namespaces.has(entry.request.namespace)) continue;
        const view = at.cache.cluster(entry.request.namespace);
        if (!view || view.terminating) this.stop(entry.id, `cluster ${entry.request.cluster} was deleted`);
      }
    })] : []));
  }

  /** A forward lives as long as its context is shown on the same server. */
  private sessionChanged(): void {
    this.followClusters();
    for (const { entry } of [...this.entries.values()]) {
      const now = this.session.connectionNamed(entry.request.contextName);
      if (!now) this.stop(entry.id, `context ${entry.request.contextName} is no longer shown or connected`);
      else if (now.server !== entry.request.server) this.stop(entry.id, `context ${entry.request.contextName} now points at ${now.server}`);
    }
  }

  private stateChanged(id: number, state: ForwardState): void {
    const held = this.entries.get(id);
    if (!held) return;
    held.entry.state = state;
    if (state.kind === 'stopped') {
      this.entries.delete(id);
      held.transport.dispose();
      this.logger.warn(`port forward ${held.entry.label} stopped: ${state.reason}`);
      void vscode.window.showWarningMessage(shown(`Port forward ${held.entry.label} stopped: ${state.reason}`));
    } else if (state.kind === 'waiting') {
      this.logger.info(`port forward ${held.entry.label}: ${state.reason}`);
    }
    this.update();
  }

  private notice(id: number, text: string): void {
    const held = this.entries.get(id);
    if (!held) return;
    this.logger.info(`port forward ${held.entry.label}: ${text}`);
    // Text from the pod's side: inert, and no $(icon) codes.
    vscode.window.setStatusBarMessage(`CMP: ${held.entry.label}: ${shown(text).replace(/\$\(/g, '$\u200b(')}`, 8_000);
  }

  private update(): void {
    if (this.disposed) return;
    const count = this.entries.size;
    void vscode.commands.executeCommand('setContext', 'cmp.forwardCount', count);
    if (count === 0) this.statusItem.hide();
    else {
      const summary = `CMP: ${count} port forward${count === 1 ? '' : 's'}`;
      this.statusItem.text = `$(plug) ${count}`;
      this.statusItem.accessibilityInformation = { label: summary };
      this.statusItem.tooltip = `${summary}\n${this.list().map((e) => e.label).join('\n')}`;
      this.statusItem.show();
    }
    this.changed.fire();
  }
}

/** Text that can come from a server or the pod's side, as it is shown: inert and at most 300 characters. */
function shown(text: string): string {
  return clipText(shownMessage(text), 300);
}
