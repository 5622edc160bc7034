// Port Forward (on an instance, or a cluster: pick an instance) asks the remote port, offering the
// ports the instance's containers declare, and the local one (empty: a free port); each is checked
// as typed, and a taken local port or a refusal is said before anything listens. The forward's own
// actions (Open in Browser, Copy Address, Stop) act on a row of the Port Forwards view.
import * as vscode from 'vscode';
import { forwardUrl, parsePort } from '../../core/ports';
import { shownMessage } from '../../core/inertText';
import { resources } from '../../core/kubeTypes';
import { clipText } from '../../protocol/guards';
import { describeError } from '../../kube/apiError';
import type { ForwardEntry } from '../forwards/portForwards';
import type { TreeNode } from '../tree/treeNodes';
import { pickInstance } from './pickInstance';
import type { Connected } from '../session';
import type { Services } from './services';

interface DeclaredPort {
  containerPort?: number;
  name?: string;
  protocol?: string;
}

export async function portForwardCommand(services: Services, node?: TreeNode): Promise<ForwardEntry | undefined> {
  const picked = await pickInstance(services, node, 'forward a port of');
  if (!picked) return undefined;
  const { cluster, instance, at: state } = picked;
  if (instance.kind !== 'Pod') {
    void vscode.window.showWarningMessage(`${instance.name} is a VM: port forwarding works on container instances (pods).`);
    return undefined;
  }
  const declared = await declaredPorts(state, cluster.namespace, instance.name);
  const remoteText = await services.prompts.inputBox({
    title: `Port Forward: ${cluster.name}/${instance.name} (context ${state.contextName})`,
    prompt: declared.length ? `Port on the instance. Its containers declare: ${clipText(shownMessage(declared.map((p) => `${p.containerPort}${p.name ? ` (${p.name.slice(0, 63)})` : ''}`).join(', ')), 300)}` : 'Port on the instance (1-65535)',
    value: declared[0]?.containerPort ? String(declared[0].containerPort) : '',
    validateInput: (text) => parsePort(text, 'remote').error,
  });
  if (remoteText === undefined) return undefined;
  const remote = parsePort(remoteText, 'remote');
  if (remote.value === undefined) return refuse(remote.error);
  const remotePort = remote.value;
  const localText = await services.prompts.inputBox({
    title: `Port Forward: ${cluster.name}/${instance.name}:${remotePort}`,
    prompt: 'Local port on 127.0.0.1 (leave empty for a free one)',
    value: '',
    validateInput: (text) => parsePort(text, 'local').error,
  });
  if (localText === undefined) return undefined;
  const local = parsePort(localText, 'local');
  if (local.value === undefined) return refuse(local.error);
  const localPort = local.value;
  const now = services.session.connectionNamed(state.contextName);
  if (!now || now.server !== state.server) {
    void vscode.window.showWarningMessage(`Port Forward: the context changed from ${state.contextName} while you answered; nothing was started.`);
    return undefined;
  }
  try {
    const entry = await services.forwards.start({
      kubeConfig: state.kubeConfig,
      contextName: state.contextName,
      server: state.server,
      cluster: cluster.name,
      namespace: cluster.namespace,
      instance: instance.name,
      remotePort,
      localPort,
    });
    void vscode.window.showInformationMessage(`Forwarding ${entry.label}`, 'Open in Browser', 'Copy Address').then((choice) => {
      if (choice === 'Open in Browser') void openForwardCommand(services, entry);
      if (choice === 'Copy Address') void copyForwardAddressCommand(services, entry);
    });
    return entry;
  } catch (error) {
    services.logger.showError(`Port forward to ${cluster.name}/${instance.name}:${remotePort} failed: ${describeError(error)}`, error);
    return undefined;
  }
}

/** A port the box let through but that is not one (the box checks as typed; this says it again). */
function refuse(error: string | undefined): undefined {
  void vscode.window.showErrorMessage(`Port Forward: ${error ?? 'not a port'}`);
  return undefined;
}

/** The ports the instance's containers declare (TCP), read once; none when it cannot be read. */
async function declaredPorts(state: Connected, namespace: string, pod: string): Promise<DeclaredPort[]> {
  try {
    const object = await state.client.get<{ apiVersion: string; kind: string; metadata: { name: string }; spec?: { containers?: { ports?: DeclaredPort[] }[] } }>(resources.pods, namespace, pod);
    return (object.spec?.containers ?? []).flatMap((c) => c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && typeof p.containerPort === 'number').slice(0, 20);
  } catch {
    return [];
  }
}

function entryOf(services: Services, entry: unknown): ForwardEntry | undefined {
  const id = (entry as { id?: unknown } | undefined)?.id;
  return typeof id === 'number' ? services.forwards.get(id) : undefined;
}

export async function openForwardCommand(services: Services, entry?: unknown): Promise<void> {
  const forward = entryOf(services, entry);
  if (forward) await vscode.env.openExternal(vscode.Uri.parse(forwardUrl({ localPort: forward.localPort, remotePort: forward.request.remotePort })));
}

export async function copyForwardAddressCommand(services: Services, entry?: unknown): Promise<void> {
  const forward = entryOf(services, entry);
  if (!forward) return;
  // The address bound (IPv4 loopback): "localhost" may resolve to ::1 first, where another program may listen.
  await vscode.env.clipboard.writeText(`127.0.0.1:${forward.localPort}`);
  vscode.window.setStatusBarMessage(`Copied 127.0.0.1:${forward.localPort}`, 3000);
}

export function stopForwardCommand(services: Services, entry?: unknown): void {
  const forward = entryOf(services, entry);
  if (forward) services.forwards.stop(forward.id);
}
