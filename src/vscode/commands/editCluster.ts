// "Edit CMP Cluster": opens the edit form on the chosen cluster (from the tree or a quick pick), in
// the context it is shown in; the inline ↔ button opens it with the focus on the instance count.
import type { TreeNode } from '../tree/treeNodes';
import { pickCluster } from './pickCluster';
import type { Services } from './services';

export async function editClusterCommand(services: Services, node: TreeNode | undefined, focus?: 'count'): Promise<unknown> {
  const picked = await pickCluster(services, node, 'edit');
  if (!picked) return undefined;
  const { view, at } = picked;
  return services.edits.show({ contextName: at.contextName, namespace: view.namespace, cluster: view.name, uid: view.uid }, focus);
}
