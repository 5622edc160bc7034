// Open Terminal: a shell in a container instance (the VM's serial console for a vm instance), in a
// VS Code terminal with its own connection to the API (a kubeconfig reload does not cut it).
import type * as vscode from 'vscode';
import { shellsFromSetting } from '../../core/shellCommand';
import { ApiTransport } from '../../kube/apiTransport';
import { KubeClient } from '../../kube/kubeClient';
import { readSettings } from '../settings';
import { openInstanceTerminal } from '../terminal/instanceTerminal';
import type { TreeNode } from '../tree/treeNodes';
import { pickInstance } from './pickInstance';
import type { Services } from './services';

export async function openTerminalCommand(services: Services, node?: TreeNode): Promise<vscode.Terminal | undefined> {
  const picked = await pickInstance(services, node, 'open a terminal in');
  if (!picked) return undefined;
  const state = picked.at;
  const { shells, problem } = shellsFromSetting(readSettings().terminalShell);
  if (problem) services.logger.warn(problem);
  const client = new KubeClient(new ApiTransport(state.kubeConfig));
  const terminal = openInstanceTerminal({
    client,
    contextName: state.contextName,
    cluster: picked.cluster.name,
    namespace: picked.cluster.namespace,
    instance: picked.instance.name,
    instanceKind: picked.instance.kind,
    uid: picked.instance.uid,
    shells,
  }, (message) => services.logger.info(message), () => client.transport.dispose());
  services.logger.info(`terminal opened on ${picked.cluster.namespace}/${picked.instance.name} (context ${state.contextName})`);
  return terminal;
}
