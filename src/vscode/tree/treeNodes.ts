// The tree's elements as a small discriminated union. Cluster and instance nodes are kept stable
// per namespace/name so a change event can name exactly the element that changed.

export type TreeNode = ClusterNode | InstanceNode | MessageNode;

export interface ClusterNode {
  kind: 'cluster';
  namespace: string;
}

export interface InstanceNode {
  kind: 'instance';
  namespace: string;
  instanceKind: 'Pod' | 'VirtualMachine';
  name: string;
}

export interface MessageNode {
  kind: 'message';
  id: string;
  text: string;
  detail?: string;
  icon: 'info' | 'warning' | 'error' | 'loading~spin';
  command?: { command: string; title: string };
}

/** Hands out one object per cluster/instance so VS Code can match change events to elements. */
export class NodeRegistry {
  private readonly clusters = new Map<string, ClusterNode>();
  private readonly instances = new Map<string, InstanceNode>();

  cluster(namespace: string): ClusterNode {
    let node = this.clusters.get(namespace);
    if (!node) this.clusters.set(namespace, (node = { kind: 'cluster', namespace }));
    return node;
  }

  instance(namespace: string, instanceKind: 'Pod' | 'VirtualMachine', name: string): InstanceNode {
    const key = `${namespace}/${instanceKind}/${name}`;
    let node = this.instances.get(key);
    if (!node) this.instances.set(key, (node = { kind: 'instance', namespace, instanceKind, name }));
    return node;
  }

  hasCluster(namespace: string): boolean {
    return this.clusters.has(namespace);
  }

  forget(namespace: string): void {
    this.clusters.delete(namespace);
    for (const key of this.instances.keys()) if (key.startsWith(`${namespace}/`)) this.instances.delete(key);
  }

  clear(): void {
    this.clusters.clear();
    this.instances.clear();
  }
}

export const contextValues = {
  cluster: 'cmpCluster',
  clusterTerminating: 'cmpClusterTerminating',
  clusterStuck: 'cmpClusterStuck',
  instance: 'cmpInstance',
  message: 'cmpMessage',
} as const;
