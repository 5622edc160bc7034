// Resolves the instance a terminal or port forward acts on: the instance node it was invoked on
// (refused, with the reason, when left over from another connection or recreated since), or, on a
// cluster node or from the palette, a quick pick of the cluster's instances.
import * as vscode from 'vscode';
import type { ClusterView, InstanceView } from '../../core/clusterView';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, pickCluster } from './pickCluster';
import type { Services } from './services';

export interface PickedInstance {
  cluster: ClusterView;
  instance: InstanceView;
}

export async function pickInstance(services: Services, node: TreeNode | undefined, verb: string): Promise<PickedInstance | undefined> {
  const state = services.session.state;
  if (node?.kind === 'instance') {
    if (state.kind !== 'connected' || !isLive(services, node)) return undefined;
    const cluster = state.cache.cluster(node.namespace);
    const instance = cluster?.instances.find((i) => i.name === node.name && i.kind === node.instanceKind);
    return cluster && instance ? { cluster, instance } : undefined;
  }
  const cluster = await pickCluster(services, node, verb);
  if (!cluster) return undefined;
  if (cluster.instances.length === 0) {
    void vscode.window.showInformationMessage(`${cluster.name} has no instances to ${verb}.`);
    return undefined;
  }
  if (cluster.instances.length === 1) return { cluster, instance: cluster.instances[0] as InstanceView };
  const picked = await vscode.window.showQuickPick(
    cluster.instances.map((instance) => ({ label: instance.name, description: `${instance.phase}${instance.ready ? ', ready' : ''}`, instance })),
    { title: `${verb[0]?.toUpperCase()}${verb.slice(1)}: ${cluster.name}`, placeHolder: 'Choose an instance' },
  );
  return picked ? { cluster, instance: picked.instance } : undefined;
}
