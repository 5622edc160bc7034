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

/**
 * After a question to the user: true while the connection the question was about is still the live
 * one of its context; otherwise says so (nothing is done on a reloaded or hidden context).
 */
export function stillConnected(services: Services, at: Connected): boolean {
  if (services.session.connectionOf(at)) return true;
  void vscode.window.showWarningMessage(`Context ${at.contextName} was loaded again, or is no longer shown, while you answered; nothing was done. Run the command again.`);
  return false;
}

/** A cluster a command acts on, with the connection of the context it is in. */
export interface PickedCluster {
  view: ClusterView;
  at: Connected;
}

/**
 * The cluster a command acts on: the node's, or one picked from the clusters of the context node it
 * was run on, or (from the palette) of every shown context, each named with its context.
 */
export async function pickCluster(services: Services, node: TreeNode | undefined, verb: string): Promise<PickedCluster | undefined> {
  if (node?.kind === 'cluster' || node?.kind === 'instance') {
    if (!isLive(services, node)) return undefined;
    const at = services.session.connectionOf(node.connection);
    const view = at?.cache.cluster(node.namespace);
    return at && view ? { view, at } : undefined;
  }
  const scope = node?.kind === 'context' ? [services.session.connectionNamed(node.name)] : services.session.entries().map((c) => c.at);
  const connected = scope.filter((at): at is Connected => at !== undefined);
  if (connected.length === 0) {
    void vscode.window.showWarningMessage('CMP Clusters is not connected to a cluster; see the CMP Clusters view.');
    return undefined;
  }
  const clusters = connected.flatMap((at) => at.cache.clusters().filter((c) => !c.terminating).map((view) => ({ view, at })));
  if (clusters.length === 0) {
    void vscode.window.showInformationMessage(`There is no CMP cluster to ${verb} in context ${connected.map((at) => at.contextName).join(', ')}.`);
    return undefined;
  }
  const several = connected.length > 1;
  const picked = await vscode.window.showQuickPick(
    clusters.map((c) => ({ label: c.view.name, description: several ? `${c.view.namespace} · context ${c.at.contextName}` : c.view.namespace, detail: clusterDescription(c.view), choice: c })),
    { title: `${verb[0]?.toUpperCase()}${verb.slice(1)} CMP Cluster`, placeHolder: 'Choose a cluster', matchOnDescription: true },
  );
  const at = picked?.choice.at;
  const view = picked ? at?.cache.cluster(picked.choice.view.namespace) : undefined;
  return at && view ? { view, at } : undefined;
}
