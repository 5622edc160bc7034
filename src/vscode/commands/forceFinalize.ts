// "Force Finalize…": clears a stuck namespace's finalizers, behind a second explicit confirmation
// that says what can be left behind. Only for a managed namespace already terminating.
import * as vscode from 'vscode';
import { shownMessage } from '../../core/inertText';
import { describeError } from '../../kube/apiError';
import { forceFinalize, terminationReasons } from '../../kube/clusterDeleter';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, stillConnected } from './pickCluster';
import type { Services } from './services';

export async function forceFinalizeCommand(services: Services, node?: TreeNode): Promise<void> {
  const state = node?.kind === 'cluster' && isLive(services, node) ? services.session.connectionOf(node.connection) : undefined;
  if (!node || node.kind !== 'cluster' || !state) return;
  const object = state.cache.namespaceObject(node.namespace);
  if (!object?.metadata.deletionTimestamp || !object.metadata.uid || object.metadata.uid !== node.uid) {
    void vscode.window.showInformationMessage(`Namespace ${node.namespace} is not terminating.`);
    return;
  }
  const reasons = terminationReasons(object).join('\n');
  const choice = await vscode.window.showWarningMessage(
    `Force-finalize namespace ${node.namespace} in context ${state.contextName}?`,
    { modal: true, detail: shownMessage(`It is stuck because:\n${reasons}\n\nForcing skips the cleanup those finalizers stand for: resources outside the namespace (volumes, load balancers, external records) may be left behind. Only do this if you know why it is stuck.`) },
    'Force Finalize',
  );
  if (choice !== 'Force Finalize' || !stillConnected(services, state)) return;
  try {
    await forceFinalize(state.client, node.namespace, object.metadata.uid);
    services.logger.warn(`force-finalized namespace ${node.namespace}`);
  } catch (error) {
    services.logger.showError(`Force-finalizing ${node.namespace} failed: ${describeError(error)}`, error);
  }
}
