// The Create CMP Cluster form: a webview panel (on the one WebviewHost) speaking the typed protocol
// of src/protocol. The host re-validates everything the webview sends, runs the create with a
// cancellable progress notification, and on failure keeps the form (and the user's values) open
// with the API's message.
import * as vscode from 'vscode';
import { suggestedQuota, type ClusterSpec } from '../../core/clusterSpec';
import { clusterManifests, namespaceManifest } from '../../core/manifests';
import { namespaceFor } from '../../core/names';
import { createClusterChecks, describeCheck } from '../../core/permissions';
import { validateClusterForm, type ClusterFormInput, type ValidationLimits } from '../../core/validation';
import { formProtocol, type FormMessage, type HostMessage } from '../../protocol/clusterForm';
import { canI } from '../../kube/accessReview';
import { describeError } from '../../kube/apiError';
import { clientLibrary } from '../../kube/clientLibrary';
import { createCluster, CreateClusterError, namespaceAvailability, takenNameMessage } from '../../kube/clusterCreator';
import { shownMessage } from '../../core/inertText';
import type { Logger } from '../logger';
import type { Session } from '../session';
import { readSettings } from '../settings';
import { WebviewHost } from './webviewHost';

export interface FormPanelDeps {
  extensionUri: vscode.Uri;
  session: Session;
  logger: Logger;
  /** ExtensionMode.Test: only then may handle() drive the form. */
  testMode: boolean;
  /** Called after a successful create, to reveal the cluster in the tree. */
  onCreated: (contextName: string, namespace: string) => void;
}

/** Owns at most one create form; showing it again reveals the open one. */
export class ClusterFormPanels implements vscode.Disposable {
  private panel: ClusterFormPanel | undefined;

  constructor(private readonly deps: FormPanelDeps) {}

  /** Opens the form (with `restored` values, after a failed create whose form was closed), or reveals the open one. */
  show(restored?: ClusterFormInput): void {
    if (this.panel) {
      this.panel.reveal();
      return;
    }
    this.panel = new ClusterFormPanel(this.deps, restored, (input) => this.show(input), () => (this.panel = undefined));
  }

  get current(): ClusterFormPanel | undefined {
    return this.panel;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

export class ClusterFormPanel implements vscode.Disposable {
  private readonly host: WebviewHost<FormMessage, HostMessage>;
  private creating = false;
  private disposed = false;
  private readonly sessionChange: vscode.Disposable;

  constructor(
    private readonly deps: FormPanelDeps,
    private readonly restored: ClusterFormInput | undefined,
    private readonly reopen: (input: ClusterFormInput) => void,
    private readonly onDisposed: () => void,
  ) {
    this.host = new WebviewHost<FormMessage, HostMessage>(deps, {
      viewType: 'cmp.clusterForm',
      title: 'Create CMP Cluster',
      bundle: 'clusterForm',
      paneName: 'create form',
      protocol: formProtocol,
      onReady: () => this.onMessage({ type: 'form/ready' }),
      onMessage: (message) => this.onMessage(message),
      onDidDispose: () => this.dispose(),
    });
    // Another context (or a reload): the form names it, and asks again what the user may do there; the input stays.
    this.sessionChange = deps.session.onDidChange(() => {
      if (this.host.ready && !this.creating) void this.onMessage({ type: 'form/ready' }).catch((error: unknown) => deps.logger.error('create form', error));
    });
  }

  reveal(): void {
    this.host.panel.reveal();
  }

  /**
   * For tests: a message as the webview would send it, through the same guard. Resolves with the
   * reason when it was refused, and with what the host posted back while handling it.
   */
  handle(message: unknown): Promise<{ refused?: string; posted: HostMessage[] }> {
    return this.host.handle(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.sessionChange.dispose();
    this.host.dispose();
    this.onDisposed();
  }

  /** A form closed mid-create has no webview to tell: the outcome then goes to a notification instead. */
  private post(message: HostMessage): void {
    this.host.post(message);
  }

  private limits(): ValidationLimits {
    const state = this.deps.session.state;
    const vmAvailable = state.kind === 'connected' && state.cache.virtualMachinesServed;
    return { maxInstances: readSettings().maxInstances, vmAvailable, maxCpuPerInstance: 128, maxMemoryGiBPerInstance: 1024 };
  }

  private async onMessage(message: FormMessage): Promise<void> {
    switch (message.type) {
      case 'form/ready':
        this.post({ type: 'host/init', defaults: this.defaults(), ...(this.restored ? { restored: this.restored } : {}) });
        return this.post({ type: 'host/access', missing: await this.missingAccess() });
      case 'form/checkName':
        return this.post({ type: 'host/nameChecked', requestId: message.requestId, name: message.name, error: await this.nameTaken(message.name) });
      case 'form/preview': {
        const { errors, spec } = validateClusterForm(message.input, this.limits());
        if (!spec) return this.post({ type: 'host/previewed', requestId: message.requestId, errors });
        const yaml = clusterManifests(spec).map((o) => clientLibrary().dumpYaml(o)).join('---\n');
        return this.post({ type: 'host/previewed', requestId: message.requestId, yaml: `${await this.dryRunNote(spec)}\n${yaml}` });
      }
      case 'form/create':
        return this.create(message.input);
      case 'form/cancel':
        return this.dispose();
    }
  }

  private defaults(): { input: ClusterFormInput; limits: ValidationLimits; contextName: string; vmUnavailableReason?: string } {
    const settings = readSettings();
    const quota = suggestedQuota(settings.defaultCpu, settings.defaultMemoryGiB, settings.defaultInstanceCount);
    const state = this.deps.session.state;
    const limits = this.limits();
    return {
      input: {
        name: '',
        instanceType: 'container',
        image: settings.defaultImage,
        cpu: String(settings.defaultCpu),
        memoryGiB: String(settings.defaultMemoryGiB),
        count: String(settings.defaultInstanceCount),
        resourceQuota: true,
        quotaCpu: String(quota.quotaCpu),
        quotaMemoryGiB: String(quota.quotaMemoryGiB),
        limitRange: true,
        networkPolicy: true,
        serviceAccount: true,
        labels: '',
      },
      limits,
      contextName: state.kind === 'connected' ? state.contextName : '',
      vmUnavailableReason: limits.vmAvailable ? undefined : 'KubeVirt is not installed on this cluster (no kubevirt.io/v1 VirtualMachine CRD).',
    };
  }

  /** The server-side dry run of the namespace; the namespaced objects are dry-run inside it on create. */
  /** "needs: create namespaces" when the user may not make a cluster here (asked of the API); undefined when allowed or unknown. */
  private async missingAccess(): Promise<string | undefined> {
    const state = this.deps.session.state;
    if (state.kind !== 'connected') return undefined;
    const checks = createClusterChecks();
    try {
      const refused = (await canI(state.client.transport, checks)).filter((a) => !a.allowed);
      return refused.length ? `needs: ${refused.map((a) => describeCheck(a.check)).join(', ')} (asked the API for context ${state.contextName})` : undefined;
    } catch (error) {
      // Unknown: Create stays offered, and the create itself reports a refusal.
      this.deps.logger.warn(`could not ask whether you may create clusters: ${describeError(error)}`);
      return undefined;
    }
  }

  private async dryRunNote(spec: ClusterSpec): Promise<string> {
    const state = this.deps.session.state;
    if (state.kind !== 'connected') return '# not connected: no server-side dry run';
    try {
      await state.client.create(namespaceManifest(spec), { dryRun: true });
      return `# server-side dry run: namespace ${namespaceFor(spec.name)} accepted; guard rails and instances are dry-run inside it before they are written`;
    } catch (error) {
      return `# server-side dry run refused the namespace: ${describeError(error).replace(/\n/g, ' ')}`;
    }
  }

  private async nameTaken(name: string): Promise<string | undefined> {
    const state = this.deps.session.state;
    if (state.kind !== 'connected') return 'Not connected to a cluster.';
    try {
      return takenNameMessage(name, await namespaceAvailability(state.client, name));
    } catch (error) {
      this.deps.logger.warn(`checking namespace ${namespaceFor(name)}: ${describeError(error)}`);
      return undefined;
    }
  }

  private async create(input: ClusterFormInput): Promise<void> {
    const state = this.deps.session.state;
    if (this.creating) return;
    if (state.kind !== 'connected') return this.post({ type: 'host/failed', message: 'Not connected to a cluster: check the CMP Clusters view.' });
    const { errors, spec } = validateClusterForm(input, this.limits());
    if (!spec) return this.post({ type: 'host/failed', message: 'Fix the highlighted fields first.', errors });
    this.creating = true;
    this.post({ type: 'host/busy', message: `Creating ${spec.name}…` });
    const settings = readSettings();
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Creating ${spec.name}`, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        let last = 0;
        await createCluster(state.client, spec, {
          concurrency: settings.writeConcurrency,
          signal: abort.signal,
          onLog: (m) => this.deps.logger.warn(m),
          onProgress: ({ phase, done, total }) => {
            const increment = phase === 'instances' ? ((done - last) / total) * 100 : 0;
            last = phase === 'instances' ? done : last;
            const text = phase === 'instances' ? `${done}/${total} instances` : phase === 'rolling-back' ? 'rolling back…' : `${phase}…`;
            progress.report({ message: text, increment });
          },
        });
      });
      this.deps.logger.info(`created cluster ${spec.name} (${spec.count} ${spec.instanceType} instances) in ${namespaceFor(spec.name)}`);
      if (this.disposed) void vscode.window.showInformationMessage(`Created CMP cluster ${spec.name} (namespace ${namespaceFor(spec.name)}).`);
      this.post({ type: 'host/created', name: spec.name, namespace: namespaceFor(spec.name) });
      this.deps.onCreated(state.contextName, namespaceFor(spec.name));
      this.dispose();
    } catch (error) {
      const message = describeError(error);
      const fieldErrors = error instanceof CreateClusterError && error.field === 'name' ? { name: message } : undefined;
      if (this.disposed) {
        // The form was closed while creating: its values come back with it, one click away.
        this.deps.logger.error(`Creating ${spec.name} failed: ${message}`);
        void vscode.window.showErrorMessage(shownMessage(`Creating ${spec.name} failed: ${message}`), 'Reopen Form', 'Show Logs').then((choice) => {
          if (choice === 'Reopen Form') this.reopen(input);
          if (choice === 'Show Logs') this.deps.logger.channel.show(true);
        });
      } else {
        this.post({ type: 'host/failed', message, errors: fieldErrors });
        this.deps.logger.showError(`Creating ${spec.name} failed: ${message}`);
      }
    } finally {
      this.creating = false;
    }
  }
}
