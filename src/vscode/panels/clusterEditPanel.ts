// The Edit CMP Cluster form: the create form's webview opened on a live cluster. Review reads the
// cluster again, validates the input as Create does, dry-runs every change on the server and shows
// each object's diff with the verbs the user lacks; Apply writes exactly what was reviewed (guarded
// by the reviewed resourceVersions), then scales through the one scale path. A conflict reloads the
// live values and keeps the user's input; a change seen by the tree's cache is announced.
import * as vscode from 'vscode';
import { validateEditInput, editFormInput, type ObjectChange } from '../../core/clusterEdit';
import type { ClusterView } from '../../core/clusterView';
import { editSummary, fingerprintChange, liveFingerprint, viewFingerprint, type ClusterFingerprint } from '../../core/editForm';
import { refOfKind } from '../../core/kubeTypes';
import { changeChecks, clusterActionChecks, describeCheck, type AccessCheck } from '../../core/permissions';
import type { ClusterFormInput, ValidationLimits } from '../../core/validation';
import { boundedFormHostMessage, formMessageTypes, isFormMessage, type EditContext, type FormMessage, type HostMessage } from '../../protocol/clusterForm';
import { canI } from '../../kube/accessReview';
import { describeError } from '../../kube/apiError';
import { applyEdit, EditConflictError, readLiveCluster, reviewEdit, type LiveClusterRead } from '../../kube/clusterEditor';
import type { KubeClient } from '../../kube/kubeClient';
import type { Logger } from '../logger';
import type { Prompts } from '../prompts';
import type { Session, SessionState } from '../session';
import { readSettings } from '../settings';
import { scaleNotes, scaleToCount } from '../commands/scaleFlow';
import { PaneChannel } from './paneChannel';
import { assertTestMode } from './testSeam';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface EditPanelDeps {
  extensionUri: vscode.Uri;
  session: Session;
  logger: Logger;
  /** The prompts of the moment (tests answer them through the services). */
  prompts: () => Prompts;
  /** ExtensionMode.Test: only then may handle() drive the form. */
  testMode: boolean;
}

/** The cluster a form edits: fixed when it opens, in the context it was opened in. */
export interface EditTarget {
  contextName: string;
  namespace: string;
  cluster: string;
  uid: string | undefined;
}

/** One edit form per cluster namespace and context; opening it again reveals the open one. */
export class ClusterEditPanels implements vscode.Disposable {
  private readonly panels = new Map<string, ClusterEditPanel>();

  constructor(private readonly deps: EditPanelDeps) {}

  show(target: EditTarget, focus?: 'count'): ClusterEditPanel {
    const key = `${target.contextName}/${target.namespace}`;
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    const panel = new ClusterEditPanel(this.deps, target, focus, () => this.panels.delete(key));
    this.panels.set(key, panel);
    return panel;
  }

  get(namespace: string): ClusterEditPanel | undefined {
    return [...this.panels.values()].find((p) => p.target.namespace === namespace);
  }

  dispose(): void {
    [...this.panels.values()].forEach((p) => p.dispose());
  }
}

interface Reviewed {
  /** The input the review was made of: Apply writes it only for exactly that input. */
  key: string;
  live: LiveClusterRead;
  changes: ObjectChange[];
  desired: number;
}

export class ClusterEditPanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private readonly channel: PaneChannel<FormMessage, HostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly recorders = new Set<HostMessage[]>();
  private reviewed: Reviewed | undefined;
  private fingerprint: ClusterFingerprint | undefined;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private applying = false;
  private disposed = false;

  constructor(private readonly deps: EditPanelDeps, readonly target: EditTarget, private readonly focus: 'count' | undefined, private readonly onDisposed: () => void) {
    const title = `Edit ${target.cluster}`;
    this.panel = vscode.window.createWebviewPanel('cmp.clusterEdit', title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'cmp.svg');
    this.channel = new PaneChannel(this.panel, deps.logger, {
      guard: isFormMessage,
      knownTypes: formMessageTypes,
      paneName: `edit form of ${target.cluster}`,
      bound: boundedFormHostMessage,
      readyType: 'form/ready',
      onReady: () => void this.run({ type: 'form/ready' }),
      onMessage: (message) => void this.run(message),
    });
    this.panel.webview.html = webviewHtml(this.panel.webview, deps.extensionUri, 'clusterForm', title);
    this.disposables.push(this.channel, this.panel.onDidDispose(() => this.dispose()), this.watchCache());
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** For tests: a message as the webview would send it, through the same guard; resolves with what the host posted while handling it. */
  async handle(message: unknown): Promise<{ refused?: string; posted: HostMessage[] }> {
    assertTestMode(this.deps);
    const posted: HostMessage[] = [];
    this.recorders.add(posted);
    try {
      if (!isFormMessage(message)) return { refused: this.channel.accept(message), posted };
      await this.onMessage(message);
      return { posted };
    } finally {
      this.recorders.delete(posted);
    }
  }

  /** For tests: collects what the host posts from now on (notices come outside any handled message) until stopped. */
  record(): { posted: HostMessage[]; stop(): void } {
    assertTestMode(this.deps);
    const posted: HostMessage[] = [];
    this.recorders.add(posted);
    return { posted, stop: () => this.recorders.delete(posted) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.panel.dispose();
    this.onDisposed();
  }

  private run(message: FormMessage): Promise<void> {
    return this.onMessage(message).catch((error: unknown) => {
      this.deps.logger.error(`edit form of ${this.target.cluster}`, error);
      this.post({ type: 'host/failed', message: describeError(error) });
    });
  }

  private post(unbounded: HostMessage): void {
    const message = boundedFormHostMessage(unbounded);
    this.recorders.forEach((posted) => posted.push(message));
    if (!this.disposed) this.channel.post(message);
  }

  private async onMessage(message: FormMessage): Promise<void> {
    switch (message.type) {
      case 'form/ready':
        return this.load();
      case 'form/review':
        return this.review(message.requestId, message.input);
      case 'form/apply':
        return this.apply(message.requestId, message.input);
      case 'form/cancel':
        return this.dispose();
      default:
        // checkName, preview and create belong to the create form.
        this.deps.logger.warn(`ignored ${message.type} in the edit form of ${this.target.cluster}`);
    }
  }

  /** The client of the context this form edits; refuses once the session has moved to another one. */
  private client(): KubeClient {
    const state = this.deps.session.state;
    if (state.kind === 'connected' && state.contextName === this.target.contextName) return state.client;
    const now = state.kind === 'connected' ? `the active context is now ${state.contextName}` : 'CMP Clusters is not connected';
    throw new Error(`This form edits ${this.target.cluster} in context ${this.target.contextName}; ${now}. Switch back to ${this.target.contextName} to review or apply (your input is kept).`);
  }

  private limits(): ValidationLimits {
    const state = this.deps.session.state;
    return { maxInstances: readSettings().maxInstances, vmAvailable: state.kind === 'connected' && state.cache.virtualMachinesServed, maxCpuPerInstance: 128, maxMemoryGiBPerInstance: 1024, minInstances: 0 };
  }

  private async read(): Promise<LiveClusterRead> {
    const live = await readLiveCluster(this.client(), this.target.namespace, this.target.uid);
    this.fingerprint = liveFingerprint(live);
    return live;
  }

  private editContext(live: LiveClusterRead): EditContext {
    return { namespace: this.target.namespace, ...editSummary(live, live.quotaUsed), ...(this.focus ? { focus: this.focus } : {}) };
  }

  private async load(): Promise<void> {
    const live = await this.read();
    this.post({ type: 'host/init', defaults: { input: editFormInput(live), limits: this.limits(), contextName: this.target.contextName, edit: this.editContext(live) } });
    this.post({ type: 'host/access', missing: await this.missing(clusterActionChecks(this.target.namespace).edit) });
  }

  /** "needs: patch namespace a-ns, …" for the checks the API refuses; undefined when all are allowed (or it could not be asked: the write then says). */
  private async missing(checks: AccessCheck[]): Promise<string | undefined> {
    if (checks.length === 0) return undefined;
    try {
      const refused = (await canI(this.client().transport, checks)).filter((a) => !a.allowed);
      return refused.length ? `needs: ${refused.map((a) => describeCheck(a.check)).join(', ')} (asked the API for context ${this.target.contextName})` : undefined;
    } catch (error) {
      this.deps.logger.warn(`could not ask what you may change in ${this.target.namespace}: ${describeError(error)}`);
      return undefined;
    }
  }

  private async review(requestId: number, input: ClusterFormInput): Promise<void> {
    this.reviewed = undefined;
    const live = await this.read();
    const { errors, spec } = validateEditInput(input, this.limits(), { name: this.target.cluster, instanceType: live.spec.instanceType });
    if (!spec) return this.post({ type: 'host/reviewed', requestId, objects: [], warnings: [], errors });
    let review;
    try {
      review = await reviewEdit(this.client(), live, spec);
    } catch (error) {
      return this.post({ type: 'host/reviewed', requestId, objects: [], warnings: [], error: describeError(error) });
    }
    const current = live.instances.length;
    const changes = review.changes.map((r) => r.change);
    const writes = changeChecks(changes.map((c) => ({ action: c.action, name: c.name, namespace: this.target.namespace, ...pluralOf(c.kind) })));
    const scaleChecks = spec.count === current ? [] : clusterActionChecks(this.target.namespace).scale;
    this.reviewed = { key: JSON.stringify(input), live, changes, desired: spec.count };
    this.post({
      type: 'host/reviewed',
      requestId,
      objects: review.changes.map((r) => ({ title: `${r.change.action} ${r.change.kind} ${r.change.name}`, diff: r.diff })),
      ...(spec.count === current ? {} : { count: `Instances: ${current} → ${spec.count}, after the changes above, as Scale does (past the quota you are offered to raise it).` }),
      warnings: review.warnings,
      missing: await this.missing([...writes, ...scaleChecks]),
    });
  }

  private async apply(requestId: number, input: ClusterFormInput): Promise<void> {
    if (this.applying) return;
    const reviewed = this.reviewed;
    if (!reviewed || reviewed.key !== JSON.stringify(input)) return this.post({ type: 'host/failed', message: 'The form changed since the review: review the changes again before applying them.' });
    this.applying = true;
    this.reviewed = undefined;
    this.post({ type: 'host/busy', message: `Applying changes to ${this.target.cluster}…` });
    try {
      const client = this.client();
      if (reviewed.changes.length) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Applying ${reviewed.changes.length} change${reviewed.changes.length === 1 ? '' : 's'} to ${this.target.cluster}`, cancellable: true }, (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return applyEdit(client, reviewed.live, reviewed.changes, { concurrency: readSettings().writeConcurrency, signal: abort.signal });
        });
      }
      const summary = [`${reviewed.changes.length} object${reviewed.changes.length === 1 ? '' : 's'} changed`];
      if (reviewed.desired !== reviewed.live.instances.length) {
        const target = { client, contextName: this.target.contextName, cluster: this.target.cluster, namespace: this.target.namespace, uid: this.target.uid, desired: reviewed.desired };
        const scaled = await scaleToCount({ logger: this.deps.logger, prompts: this.deps.prompts() }, target);
        summary.push(scaled ? `scaled from ${scaled.from} to ${scaled.to}.${scaleNotes(scaled)}` : `the count stays ${reviewed.live.instances.length} (the quota was not raised)`);
      }
      const message = `Applied to ${this.target.cluster}: ${summary.join('; ')}.`;
      this.deps.logger.info(message);
      const live = await this.read();
      this.post({ type: 'host/live', input: editFormInput(live), edit: this.editContext(live), message, replace: true });
      this.post({ type: 'host/applied', requestId, message });
    } catch (error) {
      if (!(error instanceof EditConflictError)) {
        this.deps.logger.showError(`Editing ${this.target.cluster} failed: ${describeError(error)}`, error);
        return this.post({ type: 'host/failed', message: describeError(error) });
      }
      const live = await this.read();
      this.post({ type: 'host/live', input: editFormInput(live), edit: this.editContext(live), message: error.message, replace: false });
    } finally {
      this.applying = false;
    }
  }

  /**
   * Announces, once the cache settles, a change of what the form shows (labels, sizes, instances)
   * that this form did not make. Follows the session: a reload of the same context brings a new cache.
   */
  private watchCache(): vscode.Disposable {
    let subscription: { dispose(): void } | undefined;
    const attach = (state: SessionState) => {
      subscription?.dispose();
      subscription = undefined;
      if (state.kind !== 'connected' || state.contextName !== this.target.contextName) return;
      subscription = state.cache.onDidChange((change) => {
        if (!change.namespaces.has(this.target.namespace)) return;
        if (this.changeTimer) clearTimeout(this.changeTimer);
        // Writes arrive as a run of watch events; judge the cluster once the run has passed.
        this.changeTimer = setTimeout(() => this.compareWithCache(state.cache.cluster(this.target.namespace)), 300);
      });
    };
    attach(this.deps.session.state);
    const sessionChanges = this.deps.session.onDidChange(attach);
    return { dispose: () => { subscription?.dispose(); sessionChanges.dispose(); } };
  }

  private compareWithCache(view: ClusterView | undefined): void {
    if (this.applying || !this.fingerprint || this.disposed) return;
    if (!view || view.uid !== this.target.uid || view.terminating) {
      this.post({ type: 'host/serverChanged', message: `${this.target.cluster} was deleted or is being deleted on the server; nothing can be applied.` });
      return;
    }
    const what = fingerprintChange(this.fingerprint, viewFingerprint(view));
    if (!what) return;
    this.fingerprint = viewFingerprint(view);
    this.post({ type: 'host/serverChanged', message: `Changed on the server since the form was loaded (${what}). Review shows the changes against the objects as they are now.` });
  }
}

function pluralOf(kind: string): { resource: string; group: string } {
  const ref = refOfKind(kind);
  return { resource: ref.plural, group: ref.group };
}
