// The "CMP Clusters" tree: with one context, its clusters at the top; with several (cmp.contexts),
// the contexts at the top, each with its state and counts, and its clusters below. Instances are
// below each cluster. Every node carries the connection it was shown for and is resolved through
// it, so a node of one context never reaches another. It refreshes only what the caches report as
// changed, shows connection states as message nodes (never pop-ups), and re-renders a terminating
// cluster once it counts as stuck.
import * as vscode from 'vscode';
import { contextDescription, type ContextStatus } from '../../core/fleet';
import { namespaceOfPath } from '../../core/kubeTypes';
import { PermissionStore } from '../../kube/permissionStore';
import type { Connected, Session } from '../session';
import { clusterItem, clusterTooltip, contextItem, deniedLines, instanceItem, messageItem, stuckAfterMs, terminatingForMs } from './treeItems';
import { NodeRegistry, type ClusterNode, type ContextNode, type InstanceNode, type MessageNode, type TreeNode } from './treeNodes';
import { appendLines, clusterUsageLines, instanceUsageLines } from './usageTooltip';

/** What the tree keeps per connection: its nodes, what the user may do there, its subscriptions. */
interface Attached {
  at: Connected;
  nodes: NodeRegistry;
  permissions: PermissionStore;
  subscriptions: { dispose(): void }[];
  /** The context row's text as last shown: the row is refreshed only when it changes. */
  rowText?: string;
}

export class ClusterTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private attached = new Map<number, Attached>();
  private contextNodes = new Map<string, ContextNode>();
  private readonly stuckTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private lastCount: number | undefined;

  constructor(private readonly session: Session) {
    this.subscriptions.push(session.onDidChange(() => this.attach()));
    this.attach();
  }

  /** Fires when the top level or a single element changed; tests and benchmarks listen to it. */
  get onDidChangeElement(): vscode.Event<TreeNode | undefined> {
    return this.onDidChangeTreeData;
  }

  /** What the user may do per cluster of the active context (menus and tooltips follow it). */
  get permissions(): PermissionStore | undefined {
    const active = this.session.active;
    return active ? this.attached.get(active.id)?.permissions : undefined;
  }

  /** What the user may do per cluster in the context of a connection. */
  permissionsOf(at: Connected): PermissionStore | undefined {
    return this.attached.get(at.id)?.permissions;
  }

  /** The node for a namespace of the active context (or of the named one) as its live cache has it now. */
  clusterNode(namespace: string, contextName?: string): ClusterNode {
    const attached = this.attachedFor(contextName ? this.session.connectionNamed(contextName) : this.session.active);
    if (!attached) return new NodeRegistry({ id: 0, contextName: contextName ?? '' }).cluster(namespace, undefined);
    return attached.nodes.cluster(namespace, attached.at.cache.cluster(namespace)?.uid);
  }

  /** The top-level node of a shown context (when several are shown). */
  contextNode(name: string): ContextNode {
    let node = this.contextNodes.get(name);
    if (!node) this.contextNodes.set(name, (node = { kind: 'context', name }));
    return node;
  }

  /**
   * Why an action must not run on `node`, or undefined when it still shows what is live: a node from
   * an earlier connection (a reload, a context no longer shown), one this tree no longer shows, or
   * one whose namespace or instance was deleted and made again under the same name since.
   */
  staleReason(node: ClusterNode | InstanceNode): string | undefined {
    const what = node.kind === 'cluster' ? `namespace ${node.namespace}` : `${node.name} in ${node.namespace}`;
    // Commands can be run with anything as their argument: only what this tree handed out counts.
    const shownFor = (node as { connection?: { id?: unknown; contextName?: unknown } }).connection;
    if (!shownFor || typeof shownFor.id !== 'number') return `The tree did not show this item (${what}); nothing was done.`;
    const attached = this.attachedFor({ id: shownFor.id });
    if (!attached) {
      const context = String(shownFor.contextName);
      const now = this.session.connectionNamed(context) ? `context ${context} was loaded again since` : this.session.active ? `context ${context} is no longer shown` : 'CMP Clusters is not connected now';
      return `This item was shown for context ${context}, and ${now}; nothing was done. Act on the item in the refreshed tree.`;
    }
    if (!attached.nodes.owns(node)) return `The tree no longer shows this item (${what}); nothing was done.`;
    const view = attached.at.cache.cluster(node.namespace);
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
    if (node.kind === 'context') {
      const shown = this.session.entries().find((c) => c.name === node.name);
      const status: ContextStatus = shown?.at ? shown.at.connection.status : { kind: 'invalid', message: shown?.problem ?? 'not shown' };
      const item = contextItem(node, status, shown?.at?.cache.clusters() ?? [], shown?.at?.server);
      const attached = shown?.at ? this.attached.get(shown.at.id) : undefined;
      if (attached) attached.rowText = String(item.description);
      return item;
    }
    const attached = this.attachedFor(node.connection);
    const at = attached?.at;
    const view = at?.cache.cluster(node.namespace);
    const namespaceUid = node.kind === 'cluster' ? node.uid : node.namespaceUid;
    if (!at || !attached || !view || view.uid !== namespaceUid) return messageItem({ kind: 'message', id: `gone:${node.connection.contextName}/${node.namespace}`, text: `${node.namespace} (gone)`, icon: 'info' });
    if (node.kind === 'cluster') {
      const deletionTimestamp = at.cache.namespaceObject(node.namespace)?.metadata.deletionTimestamp;
      this.scheduleStuckRefresh(attached, node, deletionTimestamp);
      return clusterItem(node, view, deletionTimestamp, attached.permissions.get(node.namespace));
    }
    const instance = view.instances.find((i) => i.name === node.name && i.kind === node.instanceKind);
    if (!instance) return messageItem({ kind: 'message', id: `gone:${node.connection.contextName}/${node.namespace}/${node.name}`, text: `${node.name} (gone)`, icon: 'info' });
    return instanceItem(node, instance, attached.permissions.get(node.namespace));
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) {
      if (this.session.showsContexts) return this.session.entries().map((c) => this.contextNode(c.name));
      const active = this.session.active;
      return active ? this.topLevel(active) : [];
    }
    if (node.kind === 'context') {
      const shown = this.session.entries().find((c) => c.name === node.name);
      if (shown?.problem) return [{ kind: 'message', id: `${node.name}:problem`, text: shown.problem, icon: 'error' }];
      return shown?.at ? this.topLevel(shown.at) : [];
    }
    if (node.kind !== 'cluster') return [];
    const attached = this.attachedFor(node.connection);
    const view = attached?.at.cache.cluster(node.namespace);
    if (!attached || !view || view.uid !== node.uid) return [];
    return view.instances.map((i) => attached.nodes.instance(node, i.kind, i.name, i.uid));
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'instance') {
      return this.attachedFor(node.connection)?.nodes.shownCluster(node.namespace);
    }
    if (node.kind === 'cluster' && this.session.showsContexts) return this.contextNode(node.connection.contextName);
    return undefined;
  }

  /** Adds usage to a tooltip when the user hovers: quota and metrics of a cluster, metrics of an instance; only on demand. */
  async resolveTreeItem(item: vscode.TreeItem, node: TreeNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind === 'message' || node.kind === 'context') return item;
    const attached = this.attachedFor(node.connection);
    const at = attached?.at;
    const view = at?.cache.cluster(node.namespace);
    if (!attached || !at || !view) return item;
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    if (node.kind === 'cluster') {
      item.tooltip = clusterTooltip(view, [...deniedLines(attached.permissions.get(node.namespace)), ...await clusterUsageLines(at.client, node.namespace, abort.signal)]);
    } else if (node.instanceKind === 'Pod' && item.tooltip instanceof vscode.MarkdownString) {
      appendLines(item.tooltip, await instanceUsageLines(at.client, node.namespace, node.name, abort.signal));
    }
    return item;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    for (const attached of this.attached.values()) this.detach(attached);
    this.attached.clear();
    this.subscriptions.forEach((d) => d.dispose());
    this.stuckTimers.forEach((t) => clearTimeout(t));
    this.changed.dispose();
  }

  /** What the tree keeps for a connection, while the session still shows it (nodes of any other are stale). */
  private attachedFor(ref: { id: number } | undefined): Attached | undefined {
    const at = this.session.connectionOf(ref);
    return at ? this.attached.get(at.id) : undefined;
  }

  /** One connection's top level: its state as message nodes, then its clusters. */
  private topLevel(at: Connected): TreeNode[] {
    const attached = this.attached.get(at.id);
    if (!attached) return [];
    const cacheState = at.cache.state;
    const id = (what: string) => `${at.contextName}:${what}`;
    if (cacheState.kind === 'loading') return [{ kind: 'message', id: id('loading'), text: `Loading clusters from ${at.contextName}…`, icon: 'loading~spin' }];
    if (cacheState.kind === 'error') {
      const error = cacheState.error;
      const what = error.status === 401 ? 'Unauthorised' : error.isForbidden ? 'Forbidden' : error.isUnreachable ? 'Unreachable' : 'Error';
      return [
        { kind: 'message', id: id('error'), text: `${what}: ${error.message}`, detail: `Retrying in ${Math.round(cacheState.retryInMs / 1000)} s`, icon: 'error' },
        { kind: 'message', id: id('retry'), text: 'Retry now', icon: 'info', command: { command: 'cmp.retry', title: 'Retry' } },
        { kind: 'message', id: id('switch'), text: 'Switch Context…', icon: 'info', command: { command: 'cmp.switchContext', title: 'Switch Context' } },
      ];
    }
    const messages: MessageNode[] = [];
    if (cacheState.scope === 'namespaces') {
      const shown = cacheState.namespaces.length ? cacheState.namespaces.join(', ') : 'none reachable';
      messages.push({ kind: 'message', id: id('limited'), text: `Limited view: namespaces ${shown}`, detail: `You may not list namespaces cluster-wide (${cacheState.reason}). Showing the context's namespace and cmp.fallbackNamespaces.`, icon: 'warning' });
    }
    return [...messages, ...at.cache.clusters().map((c) => attached.nodes.cluster(c.namespace, c.uid))];
  }

  /** Follows the session: connections that are new are attached, those gone are let go; the rest keep their nodes. */
  private attach(): void {
    const live = new Map(this.session.entries().flatMap((c) => (c.at ? [[c.at.id, c.at] as const] : [])));
    for (const [id, attached] of this.attached) {
      if (live.has(id)) continue;
      this.detach(attached);
      this.attached.delete(id);
    }
    for (const [id, at] of live) if (!this.attached.has(id)) this.attached.set(id, this.attachOne(at));
    const names = new Set(this.session.entries().map((c) => c.name));
    for (const name of this.contextNodes.keys()) if (!names.has(name)) this.contextNodes.delete(name);
    this.updateCount();
    this.changed.fire(undefined);
  }

  private attachOne(at: Connected): Attached {
    const nodes = new NodeRegistry({ id: at.id, contextName: at.contextName });
    const isShown = () => this.attached.get(at.id)?.nodes === nodes;
    const permissions = new PermissionStore(at.client.transport, (namespace) => {
      // Only a cluster the tree shows is refreshed (its instances come with it).
      const shown = nodes.shownCluster(namespace);
      if (shown && isShown()) this.changed.fire(shown);
    }, undefined, undefined, (namespace) => (at.cache.cluster(namespace)?.spec?.instanceType === 'vm' ? 'vm' : 'container'));
    // A refusal inside a namespace (a command, a watch) means the menus may offer what is not allowed any more: ask again.
    at.client.transport.onForbidden = (path) => {
      const namespace = namespaceOfPath(path);
      if (namespace) permissions.forget(namespace);
    };
    const attached: Attached = { at, nodes, permissions, subscriptions: [] };
    // With several contexts, a cluster list's change refreshes that context's row and children, not the tree.
    const contextRow = () => (this.session.showsContexts ? this.contextNode(at.contextName) : undefined);
    attached.subscriptions.push(
      at.cache.onDidChange((change) => {
        this.updateCount();
        if (change.structural) {
          for (const ns of change.namespaces) {
            if (at.cache.cluster(ns)) continue;
            nodes.forget(ns);
            permissions.drop(ns);
          }
          this.changed.fire(contextRow());
          return;
        }
        for (const ns of change.namespaces) {
          const shown = nodes.shownCluster(ns);
          if (!shown) continue;
          // The same name with a new uid is a new cluster: its row is made again.
          if (shown.uid !== at.cache.cluster(ns)?.uid) {
            this.changed.fire(contextRow());
            return;
          }
          this.changed.fire(shown);
        }
        // The context row counts ready instances: refreshed when its text changes, by itself.
        const row = contextRow();
        if (row && this.rowTextOf(attached) !== attached.rowText) this.changed.fire(row);
      }),
      at.cache.onDidChangeState(() => {
        this.updateCount();
        this.changed.fire(contextRow());
      }),
    );
    return attached;
  }

  private detach(attached: Attached): void {
    attached.subscriptions.forEach((s) => s.dispose());
    attached.permissions.dispose();
    for (const [key, timer] of this.stuckTimers) {
      if (!key.startsWith(`${attached.at.id}/`)) continue;
      clearTimeout(timer);
      this.stuckTimers.delete(key);
    }
  }

  /** What a context's row would read now (its description). */
  private rowTextOf(attached: Attached): string {
    return contextDescription(attached.at.connection.status, attached.at.cache.clusters());
  }

  /** The "no clusters yet" welcome needs the count also after a first list that found none. */
  private updateCount(): void {
    // With several contexts the welcome (no clusters yet) never hides their rows.
    const shown = this.session.showsContexts ? this.session.entries().length : (this.session.active?.cache.clusters().length ?? 0);
    if (shown === this.lastCount) return;
    this.lastCount = shown;
    void vscode.commands.executeCommand('setContext', 'cmp.clusterCount', shown);
  }

  private scheduleStuckRefresh(attached: Attached, node: ClusterNode, deletionTimestamp: string | undefined): void {
    const key = `${attached.at.id}/${node.namespace}`;
    if (!deletionTimestamp || this.stuckTimers.has(key)) return;
    const remaining = stuckAfterMs - terminatingForMs(deletionTimestamp, Date.now());
    if (remaining <= 0) return;
    this.stuckTimers.set(key, setTimeout(() => {
      this.stuckTimers.delete(key);
      if (attached.nodes.owns(node)) this.changed.fire(node);
    }, remaining + 50));
  }
}
