// Resolves the instance a terminal or port forward acts on: the instance node it was invoked on
// (refused, with the reason, when left over from another connection or recreated since), or, on a
// cluster node or from the palette, a quick pick of the cluster's instances.
import * as vscode from 'vscode';
import type { ClusterView, InstanceView } from '../../core/clusterView';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, pickCluster } from './pickCluster';
import type { Connected } from '../session';
import type { Services } from './services';

export interface PickedInstance {
  cluster: ClusterView;
  instance: InstanceView;
  at: Connected;
}

export async function pickInstance(services: Services, node: TreeNode | undefined, verb: string): Promise<PickedInstance | undefined> {
  if (node?.kind === 'instance') {
    if (!isLive(services, node)) return undefined;
    const at = services.session.connectionOf(node.connection);
    const cluster = at?.cache.cluster(node.namespace);
    const instance = cluster?.instances.find((i) => i.name === node.name && i.kind === node.instanceKind);
    return at && cluster && instance ? { cluster, instance, at } : undefined;
  }
  const picked = await pickCluster(services, node, verb);
  if (!picked) return undefined;
  const { view: cluster, at } = picked;
  if (cluster.instances.length === 0) {
    void vscode.window.showInformationMessage(`${cluster.name} has no instances to ${verb}.`);
    return undefined;
  }
  if (cluster.instances.length === 1) return { cluster, instance: cluster.instances[0] as InstanceView, at };
  const chosen = await vscode.window.showQuickPick(
    cluster.instances.map((instance) => ({ label: instance.name, description: `${instance.phase}${instance.ready ? ', ready' : ''}`, instance })),
    { title: `${verb[0]?.toUpperCase()}${verb.slice(1)}: ${cluster.name}`, placeHolder: 'Choose an instance' },
  );
  return chosen ? { cluster, instance: chosen.instance, at } : undefined;
}
