// Resolves which cluster a command acts on: the tree node it was invoked on (refused, with the
// reason, when the node is left over from another context or shows a namespace made again since),
// or a quick pick of the clusters in the live cache when run from the command palette.
import * as vscode from 'vscode';
import { clusterDescription, type ClusterView } from '../../core/clusterView';
import type { ClusterNode, InstanceNode, TreeNode } from '../tree/treeNodes';
import type { Connected } from '../session';
import type { Services } from './services';

/** True when `node` still shows what is live in its connection; otherwise says why and returns false. */
export function isLive(services: Services, node: ClusterNode | InstanceNode): boolean {
  const reason = services.tree.staleReason(node);
  if (reason) void vscode.window.showWarningMessage(reason);
  return reason === undefined;
}

/** A cluster a command acts on, with the connection of the context it is in. */
export interface PickedCluster {
  view: ClusterView;
  at: Connected;
}

export async function pickCluster(services: Services, node: TreeNode | undefined, verb: string): Promise<PickedCluster | undefined> {
  if (node && node.kind !== 'message') {
    if (!isLive(services, node)) return undefined;
    const at = services.session.connectionOf(node.connection);
    const view = at?.cache.cluster(node.namespace);
    return at && view ? { view, at } : undefined;
  }
  const at = services.session.active;
  if (!at) {
    void vscode.window.showWarningMessage('CMP Clusters is not connected to a cluster; see the CMP Clusters view.');
    return undefined;
  }
  const clusters = at.cache.clusters().filter((c) => !c.terminating);
  if (clusters.length === 0) {
    void vscode.window.showInformationMessage(`There is no CMP cluster to ${verb} in context ${at.contextName}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: c.name, description: c.namespace, detail: clusterDescription(c), namespace: c.namespace })),
    { title: `${verb[0]?.toUpperCase()}${verb.slice(1)} CMP Cluster`, placeHolder: 'Choose a cluster' },
  );
  const view = picked ? at.cache.cluster(picked.namespace) : undefined;
  return view ? { view, at } : undefined;
}
