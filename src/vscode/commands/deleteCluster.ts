// "Delete CMP Cluster": a modal naming cluster, namespace and instance count; deletes only a live
// managed-by=cmp namespace, by uid. The tree shows Terminating from the watch; if the namespace is
// still there after a minute, the user is told why and offered Force Finalize…
import * as vscode from 'vscode';
import { shownMessage } from '../../core/inertText';
import { describeError } from '../../kube/apiError';
import { deleteCluster, terminationReasons } from '../../kube/clusterDeleter';
import type { TreeNode } from '../tree/treeNodes';
import { stuckAfterMs } from '../tree/treeItems';
import { forceFinalizeCommand } from './forceFinalize';
import { pickCluster, stillConnected } from './pickCluster';
import type { Connected } from '../session';
import type { Services } from './services';

export async function deleteClusterCommand(services: Services, node?: TreeNode): Promise<void> {
  const picked = await pickCluster(services, node, 'delete');
  if (!picked) return;
  const { view, at: state } = picked;
  const count = view.instances.length;
  const confirmed = await services.prompts.confirm(
    `Delete CMP cluster "${view.name}" in context ${state.contextName}?`,
    `This deletes namespace ${view.namespace} of context ${state.contextName} (${state.server}) and everything in it, including ${count} instance${count === 1 ? '' : 's'}. It cannot be undone.`,
    'Delete',
  );
  if (!confirmed || !stillConnected(services, state)) return;
  try {
    const live = await deleteCluster(state.client, view.namespace, { expectedUid: view.uid, onLog: (m) => services.logger.warn(m) });
    services.logger.info(`deleting cluster ${view.name} (namespace ${view.namespace}, uid ${live.metadata.uid ?? '?'})`);
    watchForStuck(services, state, view.namespace, view.name, live.metadata.uid ?? '');
  } catch (error) {
    services.logger.showError(`Deleting ${view.name} failed: ${describeError(error)}`, error);
  }
}

/** After a minute, if the watch still sees the namespace, explain why and offer Force Finalize…. */
function watchForStuck(services: Services, state: Connected, namespace: string, name: string, uid: string): void {
  const timer = setTimeout(() => {
    subscription.dispose();
    // A context reloaded or no longer shown since: its cache is gone, and what it last held says nothing.
    if (!services.session.connectionOf(state)) return;
    const object = state.cache.namespaceObject(namespace);
    if (!object || object.metadata.uid !== uid) return;
    const reasons = terminationReasons(object).join('; ');
    services.logger.warn(`cluster ${name} is still terminating: ${reasons}`);
    void vscode.window.showWarningMessage(shownMessage(`Cluster ${name} is still terminating after ${stuckAfterMs / 1000} s: ${reasons}`), 'Force Finalize…', 'Show Logs').then((choice) => {
      if (choice === 'Force Finalize…') void forceFinalizeCommand(services, services.tree.clusterNode(namespace, state.contextName));
      if (choice === 'Show Logs') services.logger.channel.show(true);
    });
  }, stuckAfterMs);
  const subscription = state.cache.onDidChange((change) => {
    if (change.namespaces.has(namespace) && !state.cache.namespaceObject(namespace)) {
      clearTimeout(timer);
      subscription.dispose();
      services.logger.info(`cluster ${name} deleted`);
    }
  });
}
