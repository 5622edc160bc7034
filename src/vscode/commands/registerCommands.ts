// Every command of the extension, wired in one place. Each command lives in its own module and
// receives its dependencies; this file only maps ids to functions.
import * as vscode from 'vscode';
import type { TreeNode } from '../tree/treeNodes';
import { chooseContextsCommand, retryCommand, selectKubeconfigCommand, switchContextCommand } from './contextCommands';
import { deleteClusterCommand } from './deleteCluster';
import { editClusterCommand } from './editCluster';
import { describeCommand, refreshDescribeCommand } from './describe';
import { forceFinalizeCommand } from './forceFinalize';
import { copyNamespaceNameCommand, deleteInstanceCommand } from './instanceCommands';
import { openTerminalCommand } from './openTerminal';
import { copyForwardAddressCommand, openForwardCommand, portForwardCommand, stopForwardCommand } from './portForwardCommands';
import { scaleClusterCommand } from './scaleCluster';
import type { Services } from './services';
import { showEventsCommand } from './showEvents';
import { showLogsCommand } from './showLogs';
import { showPermissionsCommand } from './showPermissions';

/**
 * With `exposeResults` (ExtensionMode.Test only) a command resolves with what it opened (a panel,
 * an editor) so tests can reach it; otherwise with nothing, so no other extension gets a handle on
 * our panels through executeCommand.
 */
export function registerCommands(services: Services, exposeResults: boolean): vscode.Disposable[] {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'cmp.createCluster': () => services.forms.show(),
    'cmp.editCluster': (node?: TreeNode) => editClusterCommand(services, node),
    'cmp.editClusterCount': (node?: TreeNode) => editClusterCommand(services, node, 'count'),
    'cmp.scaleCluster': (node?: TreeNode) => scaleClusterCommand(services, node),
    'cmp.deleteCluster': (node?: TreeNode) => deleteClusterCommand(services, node),
    'cmp.forceFinalize': (node?: TreeNode) => forceFinalizeCommand(services, node),
    'cmp.deleteInstance': (node?: TreeNode) => deleteInstanceCommand(services, node),
    'cmp.copyNamespaceName': (node?: TreeNode) => copyNamespaceNameCommand(node),
    'cmp.switchContext': (name?: string) => switchContextCommand(services, typeof name === 'string' ? name : undefined),
    'cmp.selectKubeconfig': () => selectKubeconfigCommand(),
    'cmp.chooseContexts': () => chooseContextsCommand(services),
    'cmp.retry': () => retryCommand(services),
    'cmp.refresh': () => services.session.reload(),
    'cmp.showOutput': () => services.logger.channel.show(true),
    'cmp.showEvents': (node?: TreeNode) => showEventsCommand(services, node),
    'cmp.showLogs': (node?: TreeNode) => showLogsCommand(services, node),
    'cmp.describe': (node?: TreeNode) => describeCommand(services, node),
    'cmp.showPermissions': (node?: TreeNode) => showPermissionsCommand(services, node),
    'cmp.refreshDescribe': (uri?: vscode.Uri) => refreshDescribeCommand(services, uri),
    'cmp.openTerminal': (node?: TreeNode) => openTerminalCommand(services, node),
    'cmp.portForward': (node?: TreeNode) => portForwardCommand(services, node),
    'cmp.showPortForwards': () => vscode.commands.executeCommand('cmpClusters.forwards.focus'),
    'cmp.openForward': (entry?: unknown) => openForwardCommand(services, entry),
    'cmp.copyForwardAddress': (entry?: unknown) => copyForwardAddressCommand(services, entry),
    'cmp.stopForward': (entry?: unknown) => stopForwardCommand(services, entry),
  };
  return Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, async (...args: never[]) => {
    const result = await run(...args);
    return exposeResults ? result : undefined;
  }));
}
