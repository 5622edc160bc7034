// A VS Code terminal attached to one instance: a shell through pods/exec for a container, the
// serial console for a VM. Checks the user's rights first (a refusal names the verb), sends the
// terminal's size at open and on every change, passes every key (Ctrl-C, Ctrl-D) through, and when
// the session ends says how (the exit code, the instance deleted or recreated, the connection lost)
// and offers Enter to reconnect. Closing the terminal ends the remote shell.
import * as vscode from 'vscode';
import { shownMessage } from '../../core/inertText';
import { resources } from '../../core/kubeTypes';
import { execChecks, requireAccess } from '../../kube/accessReview';
import { describeError } from '../../kube/apiError';
import type { KubeClient } from '../../kube/kubeClient';
import type { ExecEnd } from '../../kube/streaming/execSession';
import { ShellSession } from '../../kube/streaming/shellSession';
import { consoleServed, VmConsole } from '../../kube/streaming/vmConsole';

export interface TerminalTarget {
  client: KubeClient;
  contextName: string;
  cluster: string;
  namespace: string;
  instance: string;
  instanceKind: 'Pod' | 'VirtualMachine';
  /** The uid the instance had when the terminal was asked for. */
  uid: string | undefined;
  shells: readonly string[][];
  keepaliveMs?: number;
}

interface RemoteSession {
  write(data: string): void;
  resize(columns: number, rows: number): void;
  close(): void;
}

const dim = (text: string) => `\x1b[2m${text}\x1b[0m`;
const crlf = (text: string) => text.replace(/\r?\n/g, '\r\n');

export function terminalName(target: Pick<TerminalTarget, 'cluster' | 'instance' | 'contextName'>): string {
  return `CMP: ${target.cluster}/${target.instance} (${target.contextName})`;
}

export class InstanceTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<number | undefined>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private session: RemoteSession | undefined;
  private size = { columns: 80, rows: 24 };
  private state: 'connecting' | 'open' | 'ended' | 'disposed' = 'connecting';
  private decoder = new TextDecoder('utf-8');
  /** Keys typed while connecting, sent once the session is open. */
  private typedEarly: string[] = [];
  /** The uid of the instance the current session was opened on. */
  private uid: string | undefined;

  constructor(private readonly target: TerminalTarget, private readonly log: (message: string) => void, private readonly onDispose: () => void = () => undefined) {
    this.uid = target.uid;
  }

  open(dimensions: vscode.TerminalDimensions | undefined): void {
    if (dimensions) this.size = { columns: dimensions.columns, rows: dimensions.rows };
    void this.connect();
  }

  handleInput(data: string): void {
    if (this.state === 'open') return this.session?.write(data);
    if (this.state === 'connecting' && this.typedEarly.length < 1000) this.typedEarly.push(data);
    if (this.state === 'ended' && data.includes('\r')) void this.connect();
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.size = { columns: dimensions.columns, rows: dimensions.rows };
    this.session?.resize(dimensions.columns, dimensions.rows);
  }

  close(): void {
    this.state = 'disposed';
    this.session?.close();
    this.session = undefined;
    this.written.dispose();
    this.closed.dispose();
    this.onDispose();
  }

  /** Our own lines, with terminal line ends. */
  private say(text: string): void {
    this.emit(crlf(text));
  }

  /** What the instance sent, untouched (its TTY already ends lines for a terminal). */
  private emit(text: string): void {
    if (this.state !== 'disposed' && text) this.written.fire(text);
  }

  private async connect(): Promise<void> {
    const { namespace, instance, contextName } = this.target;
    this.state = 'connecting';
    this.decoder = new TextDecoder('utf-8');
    this.say(dim(shownMessage(`Connecting to ${instance} in ${namespace} (context ${contextName})…`)) + '\n');
    try {
      this.uid = (await this.currentUid()) ?? this.uid;
      if (this.state !== 'connecting') return; // closed meanwhile: no shell is started
      const session = this.target.instanceKind === 'VirtualMachine' ? await this.openConsole() : await this.openShell();
      if (this.state !== 'connecting') return session?.close(); // closed while it opened
      this.session = session;
      if (!this.session) return this.ended('');
      this.state = 'open';
      // A size set while the connection opened (VS Code often sends it right after open) is sent now.
      this.session.resize(this.size.columns, this.size.rows);
      for (const keys of this.typedEarly.splice(0)) this.session.write(keys);
    } catch (error) {
      this.log(`terminal ${namespace}/${instance}: ${describeError(error)}`);
      this.ended(`${shownMessage(describeError(error))}`);
    }
  }

  private async openShell(): Promise<RemoteSession | undefined> {
    const { client, namespace, instance } = this.target;
    await requireAccess(client.transport, execChecks(namespace, instance));
    if (this.state !== 'connecting') return undefined;
    return ShellSession.open(client.transport, { namespace, pod: instance, size: this.size }, this.target.shells, {
      onOutput: (data) => this.emit(this.decoder.decode(data, { stream: true })),
      onEnd: (end) => void this.sessionEnded(end),
      onShell: (command) => this.log(`terminal ${namespace}/${instance}: ${command.join(' ')} started`),
    }, { keepaliveMs: this.target.keepaliveMs });
  }

  private async openConsole(): Promise<RemoteSession | undefined> {
    const { client, namespace, instance } = this.target;
    if (!(await consoleServed(client))) {
      this.say(`${instance} is a KubeVirt VM, and this cluster does not serve its serial console (subresources.kubevirt.io/v1 virtualmachineinstances/console). Install KubeVirt's virt-api to use it, or use Show Logs.\n`);
      return undefined;
    }
    await requireAccess(client.transport, [{ verb: 'get', resource: 'virtualmachineinstances', subresource: 'console', group: 'subresources.kubevirt.io', namespace, name: instance }]);
    return VmConsole.open(client.transport, namespace, instance, {
      onOutput: (data) => this.emit(this.decoder.decode(data, { stream: true })),
      onEnd: (end) => void this.sessionEnded(end),
    }, this.target.keepaliveMs);
  }

  private async sessionEnded(end: ExecEnd): Promise<void> {
    this.session = undefined;
    if (this.state === 'disposed' || end.kind === 'closed') return;
    if (end.kind === 'exited') return this.ended(`The shell exited with code ${end.code}.`);
    if (end.kind === 'failed') return this.ended(shownMessage(end.message));
    // Keys typed meanwhile go nowhere: say what is happening while the instance is looked up.
    this.state = 'ended';
    this.say(`\n${dim('The connection was lost; checking the instance…')}\n`);
    const why = await this.instanceFate();
    if (this.state !== 'ended') return; // Enter pressed meanwhile: it reconnects already
    this.ended(why ?? `Connection lost: ${shownMessage(end.message)}.`);
  }

  /** After a lost connection: whether the instance itself went away. */
  private async instanceFate(): Promise<string | undefined> {
    const { client, namespace, instance, instanceKind } = this.target;
    try {
      const now = await client.get(instanceKind === 'Pod' ? resources.pods : resources.virtualMachines, namespace, instance);
      return this.uid && now.metadata.uid !== this.uid ? `${instance} was recreated (it is a new instance now).` : undefined;
    } catch (error) {
      return (error as { status?: number }).status === 404 ? `${instance} was deleted.` : undefined;
    }
  }

  /** The instance's uid now (undefined when it cannot be read: the open then says why). */
  private async currentUid(): Promise<string | undefined> {
    const { client, namespace, instance, instanceKind } = this.target;
    return client.get(instanceKind === 'Pod' ? resources.pods : resources.virtualMachines, namespace, instance).then((o) => o.metadata.uid, () => undefined);
  }

  private ended(reason: string): void {
    if (this.state === 'disposed') return;
    this.state = 'ended';
    this.typedEarly = [];
    this.say(`\n${reason ? `${reason} ` : ''}${dim('Press Enter to reconnect, or close the terminal.')}\n`);
  }
}

/** Opens the terminal in the panel, named after the cluster, the instance and the context. */
export function openInstanceTerminal(target: TerminalTarget, log: (message: string) => void, onDispose?: () => void): vscode.Terminal {
  const terminal = vscode.window.createTerminal({ name: terminalName(target), pty: new InstanceTerminal(target, log, onDispose), iconPath: new vscode.ThemeIcon('terminal') });
  terminal.show();
  return terminal;
}
