// "CMP: Show My Permissions" on a cluster: what the user may do there, action by action, with the
// verb and resource behind each and the API's answer (what `kubectl auth can-i` would say), asked
// fresh; the tree's menus and tooltips take the same answer.
import * as vscode from 'vscode';
import { permissionRows, type PermissionRow } from '../../core/permissions';
import { describeError } from '../../kube/apiError';
import type { TreeNode } from '../tree/treeNodes';
import { pickCluster } from './pickCluster';
import type { Services } from './services';

export async function showPermissionsCommand(services: Services, node?: TreeNode): Promise<PermissionRow[] | undefined> {
  const picked = await pickCluster(services, node, 'show permissions for');
  const store = picked && services.tree.permissionsOf(picked.at);
  if (!picked || !store) return undefined;
  const { view, at: state } = picked;
  let rows: PermissionRow[];
  try {
    rows = permissionRows(await store.refresh(view.namespace));
  } catch (error) {
    services.logger.showError(`Could not ask what you may do in ${view.namespace}: ${describeError(error)}`, error);
    return undefined;
  }
  const allowed = rows.filter((r) => r.allowed).length;
  void vscode.window.showQuickPick(
    rows.map((r) => ({ label: `$(${r.allowed ? 'pass' : 'circle-slash'}) ${r.action}`, description: r.allowed ? 'allowed' : 'not allowed', detail: r.checks })),
    { title: `My permissions on ${view.name} (namespace ${view.namespace}, context ${state.contextName}): ${allowed} of ${rows.length} actions allowed`, matchOnDetail: true, ignoreFocusOut: true },
  );
  return rows;
}
