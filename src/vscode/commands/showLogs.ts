// "CMP: Show Logs": on an instance, its container's log (asking which container when there are
// several); on a cluster, all its instances in one pane; from the palette, a cluster then a choice.
import * as vscode from 'vscode';
import type { ClusterView } from '../../core/clusterView';
import type { LogsPanel } from '../panels/logsPanel';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, pickCluster } from './pickCluster';
import type { Connected } from '../session';
import type { Services } from './services';

export async function showLogsCommand(services: Services, node?: TreeNode): Promise<LogsPanel | undefined> {
  if (node?.kind === 'instance') {
    const at = isLive(services, node) ? services.session.connectionOf(node.connection) : undefined;
    return at ? showInstanceLogs(services, at, node) : undefined;
  }
  const picked = await pickCluster(services, node, 'show logs of');
  if (!picked) return undefined;
  const { view, at } = picked;
  if (node?.kind === 'cluster') return services.logs.show(at.contextName, { kind: 'cluster', namespace: view.namespace });
  const choice = await pickLogSource(view);
  if (!choice) return undefined;
  if (choice === 'all') return services.logs.show(at.contextName, { kind: 'cluster', namespace: view.namespace });
  return showInstanceLogs(services, at, { namespace: view.namespace, instanceKind: 'Pod', name: choice });
}

async function pickLogSource(view: ClusterView): Promise<string | undefined> {
  const pods = view.instances.filter((i) => i.kind === 'Pod');
  const items = [
    { label: 'All instances', description: `${pods.length} in one pane`, value: 'all' },
    ...pods.map((i) => ({ label: i.name, description: i.phase, value: i.name })),
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `Logs of ${view.name}`, placeHolder: 'All instances, or one' });
  return picked?.value;
}

async function showInstanceLogs(services: Services, state: Connected, node: { namespace: string; instanceKind: 'Pod' | 'VirtualMachine'; name: string }): Promise<LogsPanel | undefined> {
  if (node.instanceKind !== 'Pod') {
    void vscode.window.showInformationMessage(`${node.name} is a VirtualMachine: its console log is not served by the Kubernetes API. Use virtctl console ${node.name} -n ${node.namespace}.`);
    return undefined;
  }
  const pod = state.cache.instanceObject(node.namespace, 'Pod', node.name);
  const containers = ((pod?.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
  let container: string | undefined = containers[0];
  if (containers.length > 1) {
    container = await vscode.window.showQuickPick(containers, { title: `Logs of ${node.name}`, placeHolder: 'Which container?' });
    if (!container) return undefined;
  }
  return services.logs.show(state.contextName, { kind: 'instance', namespace: node.namespace, name: node.name, container });
}
