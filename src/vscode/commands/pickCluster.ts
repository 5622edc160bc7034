// Resolves which cluster a command acts on: the tree node it was invoked on, or a quick pick of
// the clusters in the live cache when run from the command palette.
import * as vscode from 'vscode';
import { clusterDescription, type ClusterView } from '../../core/clusterView';
import type { TreeNode } from '../tree/treeNodes';
import type { Services } from './services';

export async function pickCluster(services: Services, node: TreeNode | undefined, verb: string): Promise<ClusterView | undefined> {
  const state = services.session.state;
  if (state.kind !== 'connected') {
    void vscode.window.showWarningMessage('CMP Clusters is not connected to a cluster; see the CMP Clusters view.');
    return undefined;
  }
  if (node && node.kind !== 'message') {
    const view = state.cache.cluster(node.namespace);
    if (!view) void vscode.window.showWarningMessage(`Namespace ${node.namespace} is no longer a CMP cluster.`);
    return view;
  }
  const clusters = state.cache.clusters().filter((c) => !c.terminating);
  if (clusters.length === 0) {
    void vscode.window.showInformationMessage(`There is no CMP cluster to ${verb} in context ${state.contextName}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: c.name, description: c.namespace, detail: clusterDescription(c), namespace: c.namespace })),
    { title: `${verb[0]?.toUpperCase()}${verb.slice(1)} CMP Cluster`, placeHolder: 'Choose a cluster' },
  );
  return picked ? state.cache.cluster(picked.namespace) : undefined;
}
