// "CMP: Describe" opens the read-only YAML of a cluster or an instance (refreshing it if it is open);
// "CMP: Refresh Describe" reads the active Describe document again.
import * as vscode from 'vscode';
import { describeUri } from '../describe/describeProvider';
import { describeScheme, type DescribeTarget } from '../describe/describeTarget';
import type { TreeNode } from '../tree/treeNodes';
import { isLive, pickCluster } from './pickCluster';
import type { Services } from './services';

export async function describeCommand(services: Services, node?: TreeNode): Promise<vscode.TextEditor | undefined> {
  let target: DescribeTarget | undefined;
  if (node?.kind === 'instance') {
    const at = isLive(services, node) ? services.session.connectionOf(node.connection) : undefined;
    if (!at) return undefined;
    target = { kind: 'instance', context: at.contextName, namespace: node.namespace, instanceKind: node.instanceKind, name: node.name };
  } else {
    const picked = await pickCluster(services, node, 'describe');
    if (picked) target = { kind: 'cluster', context: picked.at.contextName, namespace: picked.view.namespace };
  }
  if (!target) return undefined;
  const uri = describeUri(target);
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) services.describe.refresh(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

export function refreshDescribeCommand(services: Services, uri?: vscode.Uri): void {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (target?.scheme === describeScheme) services.describe.refresh(target);
}
