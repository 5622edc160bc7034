// Commands on one item: copy a cluster's namespace name, and delete a single instance (with a
// modal confirmation; scale brings it back, a gap is refilled).
import * as vscode from 'vscode';
import { describeError } from '../../kube/apiError';
import { deleteInstance } from '../../kube/clusterDeleter';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, stillConnected } from './pickCluster';
import type { Services } from './services';

export async function copyNamespaceNameCommand(node?: TreeNode): Promise<void> {
  if (!node || node.kind === 'message' || node.kind === 'context') return;
  await vscode.env.clipboard.writeText(node.namespace);
  vscode.window.setStatusBarMessage(`Copied ${node.namespace}`, 3000);
}

export async function deleteInstanceCommand(services: Services, node?: TreeNode): Promise<void> {
  const state = node?.kind === 'instance' && isLive(services, node) ? services.session.connectionOf(node.connection) : undefined;
  if (!node || node.kind !== 'instance' || !state) return;
  const confirmed = await services.prompts.confirm(
    `Delete ${node.name} from ${node.namespace} in context ${state.contextName}?`,
    'The cluster keeps its other instances; scaling it again refills the gap.',
    'Delete',
  );
  if (!confirmed || !stillConnected(services, state)) return;
  try {
    // The uids the node was shown with: an instance or namespace made again under the same name since is left alone.
    await deleteInstance(state.client, { namespace: node.namespace, namespaceUid: node.namespaceUid, kind: node.instanceKind, name: node.name, uid: node.uid });
    services.logger.info(`deleted ${node.instanceKind} ${node.namespace}/${node.name}`);
    // It does not come back by itself (only a scale refills it): its forwards end now.
    services.forwards.stopForInstance(state.contextName, node.namespace, node.name, `${node.name} was deleted (Delete Instance)`);
  } catch (error) {
    services.logger.showError(`Deleting ${node.name} failed: ${describeError(error)}`, error);
  }
}
