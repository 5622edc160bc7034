// Every command of the extension, wired in one place. Each command lives in its own module and
// receives its dependencies; this file only maps ids to functions.
import * as vscode from 'vscode';
import type { TreeNode } from '../tree/treeNodes';
import { retryCommand, selectKubeconfigCommand, switchContextCommand } from './contextCommands';
import { deleteClusterCommand } from './deleteCluster';
import { describeCommand, refreshDescribeCommand } from './describe';
import { forceFinalizeCommand } from './forceFinalize';
import { copyNamespaceNameCommand, deleteInstanceCommand } from './instanceCommands';
import { scaleClusterCommand } from './scaleCluster';
import type { Services } from './services';
import { showEventsCommand } from './showEvents';
import { showLogsCommand } from './showLogs';

export function registerCommands(services: Services): vscode.Disposable[] {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'cmp.createCluster': () => services.forms.show(),
    'cmp.scaleCluster': (node?: TreeNode, desired?: number) => scaleClusterCommand(services, node, desired),
    'cmp.deleteCluster': (node?: TreeNode, confirmed?: boolean) => deleteClusterCommand(services, node, confirmed === true),
    'cmp.forceFinalize': (node?: TreeNode) => forceFinalizeCommand(services, node),
    'cmp.deleteInstance': (node?: TreeNode, confirmed?: boolean) => deleteInstanceCommand(services, node, confirmed === true),
    'cmp.copyNamespaceName': (node?: TreeNode) => copyNamespaceNameCommand(node),
    'cmp.switchContext': (name?: string) => switchContextCommand(services, typeof name === 'string' ? name : undefined),
    'cmp.selectKubeconfig': () => selectKubeconfigCommand(),
    'cmp.retry': () => retryCommand(services),
    'cmp.refresh': () => services.session.reload(),
    'cmp.showOutput': () => services.logger.channel.show(true),
    'cmp.showEvents': (node?: TreeNode) => showEventsCommand(services, node),
    'cmp.showLogs': (node?: TreeNode) => showLogsCommand(services, node),
    'cmp.describe': (node?: TreeNode) => describeCommand(services, node),
    'cmp.refreshDescribe': (uri?: vscode.Uri) => refreshDescribeCommand(services, uri),
  };
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run));
}
