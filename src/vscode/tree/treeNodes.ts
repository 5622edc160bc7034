// The tree's elements as a small discriminated union. Cluster and instance nodes are kept stable
// per namespace/name so a change event can name exactly the element that changed. Each node carries
// the connection it was shown for (context and a per-connection number) and the uids of what it
// shows, so an action on a node left over from another context, or on a namespace deleted and made
// again under the same name, is refused instead of landing on whatever now has that name.

import { clusterActions, type ActionPermission } from '../../core/permissions';

export type TreeNode = ContextNode | ClusterNode | InstanceNode | MessageNode;

/** A context at the top of the tree when several are shown; its clusters are below it. */
export interface ContextNode {
  kind: 'context';
  name: string;
}

/** Which connection a node was shown for: a new kubeconfig, context or reload is a new one. */
export interface ConnectionRef {
  id: number;
  contextName: string;
}

export interface ClusterNode {
  kind: 'cluster';
  connection: ConnectionRef;
  namespace: string;
  uid: string | undefined;
}

export interface InstanceNode {
  kind: 'instance';
  connection: ConnectionRef;
  namespace: string;
  namespaceUid: string | undefined;
  instanceKind: 'Pod' | 'VirtualMachine';
  name: string;
  uid: string | undefined;
}

export interface MessageNode {
  kind: 'message';
  id: string;
  text: string;
  detail?: string;
  icon: 'info' | 'warning' | 'error' | 'loading~spin';
  command?: { command: string; title: string };
}

/** Hands out one object per cluster/instance (and uid) for one connection. */
export class NodeRegistry {
  private readonly clusters = new Map<string, ClusterNode>();
  private readonly instances = new Map<string, InstanceNode>();

  constructor(readonly connection: ConnectionRef) {}

  cluster(namespace: string, uid: string | undefined): ClusterNode {
    let node = this.clusters.get(namespace);
    if (!node || node.uid !== uid) this.clusters.set(namespace, (node = { kind: 'cluster', connection: this.connection, namespace, uid }));
    return node;
  }

  instance(parent: ClusterNode, instanceKind: 'Pod' | 'VirtualMachine', name: string, uid: string | undefined): InstanceNode {
    const key = `${parent.namespace}/${instanceKind}/${name}`;
    let node = this.instances.get(key);
    if (!node || node.uid !== uid || node.namespaceUid !== parent.uid) {
      this.instances.set(key, (node = { kind: 'instance', connection: this.connection, namespace: parent.namespace, namespaceUid: parent.uid, instanceKind, name, uid }));
    }
    return node;
  }

  /** The cluster node last handed out for a namespace, if any. */
  shownCluster(namespace: string): ClusterNode | undefined {
    return this.clusters.get(namespace);
  }

  /** True when `node` is the very object this registry last handed out for its key. */
  owns(node: ClusterNode | InstanceNode): boolean {
    return node.kind === 'cluster' ? this.clusters.get(node.namespace) === node : this.instances.get(`${node.namespace}/${node.instanceKind}/${node.name}`) === node;
  }

  forget(namespace: string): void {
    this.clusters.delete(namespace);
    for (const key of this.instances.keys()) if (key.startsWith(`${namespace}/`)) this.instances.delete(key);
  }
}

/**
 * A cluster's or instance's contextValue: its kind, then each action the user may do there, so
 * menus test for one (`viewItem =~ /^cmpCluster;(.*;)?delete(;|$)/`). While unknown, all are offered.
 */
export function withActions(kind: 'cmpCluster' | 'cmpInstance', permissions: readonly ActionPermission[] | undefined): string {
  const allowed: string[] = permissions ? permissions.filter((p) => p.allowed).map((p) => p.action) : [...clusterActions];
  // The inline ↔ opens the edit form at the count; who may scale but not edit gets the Scale box there.
  if (allowed.includes('scale') && !allowed.includes('edit')) allowed.push('scaleInline');
  return [kind, ...allowed].join(';');
}

export const contextValues = {
  cluster: 'cmpCluster',
  clusterTerminating: 'cmpClusterTerminating',
  clusterStuck: 'cmpClusterStuck',
  instance: 'cmpInstance',
  message: 'cmpMessage',
  context: 'cmpContext',
} as const;
