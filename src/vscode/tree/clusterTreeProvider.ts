// The "CMP Clusters" tree: top level from the session's live cache, instances below each cluster.
// It refreshes only the clusters the cache reports as changed, shows the connection state as
// message nodes (never pop-ups), and re-renders a terminating cluster once it counts as stuck.
import * as vscode from 'vscode';
import type { CacheState } from '../../kube/clusterCache';
import type { Session, SessionState } from '../session';
import { PermissionStore } from '../../kube/permissionStore';
import { namespaceOfPath } from '../../core/kubeTypes';
import { clusterItem, clusterTooltip, deniedLines, instanceItem, messageItem, stuckAfterMs, terminatingForMs } from './treeItems';
import { NodeRegistry, type ClusterNode, type ConnectionRef, type InstanceNode, type MessageNode, type TreeNode } from './treeNodes';
import { appendLines, clusterUsageLines, instanceUsageLines } from './usageTooltip';

export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new NodeRegistry({ id: 0, contextName: '' });
  private readonly stuckTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private cacheSubscriptions: vscode.Disposable[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  /** What the user may do per cluster, for the current connection (menus and tooltips follow it). */
  permissions: PermissionStore | undefined;

  constructor(private readonly session: Session) {
    this.subscriptions.push(session.onDidChange((state) => this.attach(state)));
    this.attach(session.state);
  }

  /** Fires when the top level or a single cluster changed; tests and benchmarks listen to it. */
  get onDidChangeElement(): vscode.Event<TreeNode | undefined> {
    return this.onDidChangeTreeData;
  }

  /** The node for a namespace as the live cache has it now. */
  clusterNode(namespace: string): ClusterNode {
    const state = this.session.state;
    const uid = state.kind === 'connected' ? state.cache.cluster(namespace)?.uid : undefined;
    return this.nodes.cluster(namespace, uid);
  }

  /**
   * Why an action must not run on `node`, or undefined when it still shows what is live: a node from
   * an earlier connection (another context or kubeconfig), one this tree no longer shows, or one
   * whose namespace or instance was deleted and made again under the same name since.
   */
  staleReason(node: ClusterNode | InstanceNode): string | undefined {
    const state = this.session.state;
    const what = node.kind === 'cluster' ? `namespace ${node.namespace}` : `${node.name} in ${node.namespace}`;
    if (state.kind !== 'connected') return 'CMP Clusters is not connected to a cluster.';
    // Commands can be run with anything as their argument: only what this tree handed out counts.
    const shownFor = (node as { connection?: Partial<ConnectionRef> }).connection;
    if (shownFor && typeof shownFor.id === 'number' && shownFor.id !== state.id) {
      const now = shownFor.contextName === state.contextName ? `context ${state.contextName} was loaded again since` : `the active context is now ${state.contextName}`;
      return `This item was shown for context ${String(shownFor.contextName)}, and ${now}; nothing was done. Act on the item in the refreshed tree.`;
    }
    if (!this.nodes.owns(node)) return `The tree no longer shows this item (${what}); nothing was done.`;
    const view = state.cache.cluster(node.namespace);
    const namespaceUid = node.kind === 'cluster' ? node.uid : node.namespaceUid;
    if (!view) return `Namespace ${node.namespace} is no longer a CMP cluster; nothing was done.`;
    if (!namespaceUid || view.uid !== namespaceUid) return `Namespace ${node.namespace} was deleted and made again since the tree showed it; nothing was done.`;
    if (node.kind === 'instance') {
      const live = view.instances.find((i) => i.kind === node.instanceKind && i.name === node.name);
      if (!live) return `${node.name} is gone from ${node.namespace}; nothing was done.`;
      if (!node.uid || live.uid !== node.uid) return `${node.name} in ${node.namespace} was made again since the tree showed it; nothing was done.`;
    }
    return undefined;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'message') return messageItem(node);
    const state = this.session.state;
    if (state.kind !== 'connected') return messageItem({ kind: 'message', id: 'gone', text: 'Not connected', icon: 'warning' });
    const view = state.cache.cluster(node.namespace);
    const namespaceUid = node.kind === 'cluster' ? node.uid : node.namespaceUid;
    if (!view || view.uid !== namespaceUid || node.connection?.id !== state.id) return messageItem({ kind: 'message', id: `gone:${node.namespace}`, text: `${node.namespace} (gone)`, icon: 'info' });
    if (node.kind === 'cluster') {
      const deletionTimestamp = state.cache.namespaceObject(node.namespace)?.metadata.deletionTimestamp;
      this.scheduleStuckRefresh(node, deletionTimestamp);
      return clusterItem(node, view, deletionTimestamp, this.permissions?.get(node.namespace));
    }
    const instance = view.instances.find((i) => i.name === node.name && i.kind === node.instanceKind);
    if (!instance) return messageItem({ kind: 'message', id: `gone:${node.namespace}/${node.name}`, text: `${node.name} (gone)`, icon: 'info' });
    return instanceItem(node, instance, this.permissions?.get(node.namespace));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const state = this.session.state;
    if (state.kind !== 'connected') return [];
    if (!node) return this.topLevel(state.cache.state, state);
    if (node.kind !== 'cluster') return [];
    const view = state.cache.cluster(node.namespace);
    if (!view || view.uid !== node.uid) return [];
    return view.instances.map((i) => this.nodes.instance(node, i.kind, i.name, i.uid));
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'instance' ? this.nodes.shownCluster(node.namespace) : undefined;
  }

  /** Adds usage to a tooltip when the user hovers: quota and metrics of a cluster, metrics of an instance; only on demand. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    const state = this.session.state;
    if (node.kind === 'message' || state.kind !== 'connected') return item;
    const view = state.cache.cluster(node.namespace);
    if (!view) return item;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    if (node.kind === 'cluster') {
      item.tooltip = clusterTooltip(view, [...deniedLines(this.permissions?.get(node.namespace)), ...await clusterUsageLines(state.client, node.namespace, abort.signal)]);
    } else if (node.instanceKind === 'Pod' && item.tooltip instanceof vscode.MarkdownString) {
      appendLines(item.tooltip, await instanceUsageLines(state.client, node.namespace, node.name, abort.signal));
    }
    return item;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.cacheSubscriptions.forEach((d) => d.dispose());
    this.subscriptions.forEach((d) => d.dispose());
    this.stuckTimers.forEach((t) => clearTimeout(t));
    this.permissions?.dispose();
    this.changed.dispose();
  }

  private topLevel(cacheState: CacheState, state: Extract<SessionState, { kind: 'connected' }>): TreeNode[] {
    const messages: MessageNode[] = [];
    if (cacheState.kind === 'loading') return [{ kind: 'message', id: 'loading', text: `Loading clusters from ${state.contextName}…`, icon: 'loading~spin' }];
    if (cacheState.kind === 'error') {
      const error = cacheState.error;
      const what = error.status === 401 ? 'Unauthorised' : error.isForbidden ? 'Forbidden' : error.isUnreachable ? 'Unreachable' : 'Error';
      return [
        { kind: 'message', id: 'error', text: `${what}: ${error.message}`, detail: `Retrying in ${Math.round(cacheState.retryInMs / 1000)} s`, icon: 'error' },
        { kind: 'message', id: 'retry', text: 'Retry now', icon: 'info', command: { command: 'cmp.retry', title: 'Retry' } },
        { kind: 'message', id: 'switch', text: 'Switch Context…', icon: 'info', command: { command: 'cmp.switchContext', title: 'Switch Context' } },
      ];
    }
    if (cacheState.scope === 'namespaces') {
      const shown = cacheState.namespaces.length ? cacheState.namespaces.join(', ') : 'none reachable';
      messages.push({ kind: 'message', id: 'limited', text: `Limited view: namespaces ${shown}`, detail: `You may not list namespaces cluster-wide (${cacheState.reason}). Showing the context's namespace and cmp.fallbackNamespaces.`, icon: 'warning' });
    }
    return [...messages, ...state.cache.clusters().map((c) => this.nodes.cluster(c.namespace, c.uid))];
  }

  private attach(state: SessionState): void {
    this.cacheSubscriptions.forEach((d) => d.dispose());
    this.cacheSubscriptions = [];
    this.nodes = new NodeRegistry({ id: state.kind === 'connected' ? state.id : 0, contextName: state.kind === 'connected' ? state.contextName : '' });
    this.permissions?.dispose();
    this.permissions = undefined;
    if (state.kind === 'connected') {
      const nodes = this.nodes;
      this.permissions = new PermissionStore(state.client.transport, (namespace) => {
        // Only a cluster the tree shows is refreshed (its instances come with it).
        const shown = nodes.shownCluster(namespace);
        if (shown && nodes === this.nodes) this.changed.fire(shown);
      }, undefined, undefined, (namespace) => (state.cache.cluster(namespace)?.spec?.instanceType === 'vm' ? 'vm' : 'container'));
      // A refusal inside a namespace (a command, a watch) means the menus may offer what is not allowed any more: ask again.
      const permissions = this.permissions;
      state.client.transport.onForbidden = (path) => {
        const namespace = namespaceOfPath(path);
        if (namespace) permissions.forget(namespace);
      };
      // The "no clusters yet" welcome needs the count also after a first list that found none,
      // which changes the cache's state but no cluster.
      const updateCount = () => void vscode.commands.executeCommand('setContext', 'cmp.clusterCount', state.cache.clusters().length);
      this.cacheSubscriptions.push(
        state.cache.onDidChange((change) => {
          updateCount();
          if (change.structural) {
            for (const ns of change.namespaces) {
              if (state.cache.cluster(ns)) continue;
              this.nodes.forget(ns);
              this.permissions?.drop(ns);
            }
            this.changed.fire(undefined);
            return;
          }
          for (const ns of change.namespaces) {
            const shown = this.nodes.shownCluster(ns);
            if (!shown) continue;
            // The same name with a new uid is a new cluster: its row is made again.
            if (shown.uid !== state.cache.cluster(ns)?.uid) {
              this.changed.fire(undefined);
              return;
            }
            this.changed.fire(shown);
          }
        }),
        state.cache.onDidChangeState(() => {
          updateCount();
          this.changed.fire(undefined);
        }),
      );
    }
    this.changed.fire(undefined);
  }

  private scheduleStuckRefresh(node: ClusterNode, deletionTimestamp: string | undefined): void {
    if (!deletionTimestamp || this.stuckTimers.has(node.namespace)) return;
    const remaining = stuckAfterMs - terminatingForMs(deletionTimestamp, Date.now());
    if (remaining <= 0) return;
    this.stuckTimers.set(node.namespace, setTimeout(() => {
      this.stuckTimers.delete(node.namespace);
      if (this.nodes.owns(node)) this.changed.fire(node);
    }, remaining + 50));
  }
}
