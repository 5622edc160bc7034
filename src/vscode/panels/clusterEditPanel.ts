// The Edit CMP Cluster form: the create form's webview opened on a live cluster. Review (see
// kube/editReview.ts) rebases the input on the live cluster, validates it as Create does, asks the
// access each write needs and dry-runs every change, showing each object's diff; Apply writes
// exactly what was reviewed (guarded by the reviewed resourceVersions), then scales through the one
// scale path. A conflict or failure reloads the live values and keeps the user's input; a change
// seen by the tree's cache or by the guard rails' watches is announced; one apply runs at a time,
// whatever the webview does.
import * as vscode from 'vscode';
import { editFormInput, type ObjectChange } from '../../core/clusterEdit';
import { editSummary } from '../../core/editForm';
import { clusterActionChecks } from '../../core/permissions';
import type { ClusterFormInput, ValidationLimits } from '../../core/validation';
import { formProtocol, type EditContext, type FormMessage, type HostMessage } from '../../protocol/clusterForm';
import { describeError } from '../../kube/apiError';
import { applyEdit, EditConflictError, readLiveCluster, type LiveClusterRead } from '../../kube/clusterEditor';
import { missingAccess, reviewForm, type ReviewTarget } from '../../kube/editReview';
import type { KubeClient } from '../../kube/kubeClient';
import type { Logger } from '../logger';
import type { Prompts } from '../prompts';
import type { Session } from '../session';
import { readSettings } from '../settings';
import { scaleNotes, scaleToCount } from '../commands/scaleFlow';
import { replaceOffSpec } from './replaceFlow';
import { ServerChanges } from './serverChanges';
import { PanelRegistry, WebviewHost } from './webviewHost';

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
  private readonly panels = new PanelRegistry<ClusterEditPanel>();

  constructor(private readonly deps: EditPanelDeps) {}

  show(target: EditTarget, focus?: 'count'): ClusterEditPanel {
    // The uid too: a namespace made again under the same name is another cluster, with its own form.
    return this.panels.show(`${target.contextName}/${target.namespace}/${target.uid ?? ''}`, (onDisposed) => new ClusterEditPanel(this.deps, target, focus, onDisposed));
  }

  dispose(): void {
    this.panels.dispose();
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
  private readonly host: WebviewHost<FormMessage, HostMessage>;
  private readonly disposables: vscode.Disposable[] = [];
  private reviewed: Reviewed | undefined;
  private readonly serverChanges: ServerChanges;
  /** The last change announced while the webview was hidden. */
  private missedNotice: string | undefined;
  private applying = false;
  private disposed = false;
  private latestReview = -1;

  constructor(private readonly deps: EditPanelDeps, readonly target: EditTarget, private readonly focus: 'count' | undefined, private readonly onDisposed: () => void) {
    this.host = new WebviewHost<FormMessage, HostMessage>(deps, {
      viewType: 'cmp.clusterEdit',
      title: `Edit ${target.cluster}`,
      bundle: 'clusterForm',
      paneName: `edit form of ${target.cluster}`,
      protocol: formProtocol,
      onReady: () => this.run({ type: 'form/ready' }),
      onMessage: (message) => this.run(message),
      onDidDispose: () => this.dispose(),
    });
    this.serverChanges = new ServerChanges(deps.session, target, () => this.applying || this.disposed, (what) => {
      const message = what === undefined
        ? `${target.cluster} was deleted or is being deleted on the server; nothing can be applied.`
        : `Changed on the server since the form was loaded (${what}). Review shows the changes against the objects as they are now.`;
      // A hidden webview is unloaded and keeps the input it had: it hears of the change when shown again.
      if (this.host.ready) this.post({ type: 'host/serverChanged', message });
      else this.missedNotice = message;
    });
    this.disposables.push(this.serverChanges);
  }

  reveal(): void {
    this.host.panel.reveal();
  }

  /** For tests: a message as the webview would send it, through the same guard; resolves with what the host posted while handling it. */
  handle(message: unknown): Promise<{ refused?: string; posted: HostMessage[] }> {
    return this.host.handle(message);
  }

  /** Resolves once the webview has loaded and said it is ready (it then has the live values). */
  whenReady(): Promise<void> {
    return this.host.whenReady();
  }

  /** For tests: collects what the host posts from now on (notices come outside any handled message) until stopped. */
  record(): { posted: HostMessage[]; stop(): void } {
    return this.host.record();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.host.dispose();
    this.onDisposed();
  }

  /** Every message is handled to the end; what fails is said in the form (its input stays). */
  private run(message: FormMessage): Promise<void> {
    return this.onMessage(message).catch((error: unknown) => {
      this.deps.logger.error(`edit form of ${this.target.cluster}`, error);
      this.post({ type: 'host/failed', message: describeError(error) });
    });
  }

  private post(message: HostMessage): void {
    this.host.post(message);
  }

  private async onMessage(message: FormMessage): Promise<void> {
    switch (message.type) {
      case 'form/ready':
        return this.load();
      case 'form/review':
        return this.review(message.requestId, message.input, message.base);
      case 'form/apply':
        return this.apply(message.requestId, message.input);
      case 'form/replace':
        return this.replace(message.requestId, message.atOnce);
      case 'form/cancel':
        return this.dispose();
      default:
        // checkName, preview and create belong to the create form.
        this.deps.logger.warn(`ignored ${message.type} in the edit form of ${this.target.cluster}`);
    }
  }

  /** The client of the context this form edits; refuses while that context is not shown or connected. */
  private client(): KubeClient {
    const at = this.deps.session.connectionNamed(this.target.contextName);
    if (at) return at.client;
    throw new Error(`This form edits ${this.target.cluster} in context ${this.target.contextName}, which is not shown or not connected now. Show that context again to review or apply (your input is kept).`);
  }

  private limits(): ValidationLimits {
    const at = this.deps.session.connectionNamed(this.target.contextName);
    return { maxInstances: readSettings().maxInstances, vmAvailable: at?.cache.virtualMachinesServed ?? false, maxCpuPerInstance: 128, maxMemoryGiBPerInstance: 1024, minInstances: 0 };
  }

  private read(): Promise<LiveClusterRead> {
    return readLiveCluster(this.client(), this.target.namespace, this.target.uid);
  }

  private editContext(live: LiveClusterRead): EditContext {
    return { namespace: this.target.namespace, ...editSummary(live, live.quotaUsed), ...(this.focus ? { focus: this.focus } : {}) };
  }

  private async load(): Promise<void> {
    const live = await this.read();
    this.serverChanges.loaded(live);
    this.post({ type: 'host/init', defaults: { input: editFormInput(live), limits: this.limits(), contextName: this.target.contextName, edit: this.editContext(live) } });
    // A webview shown again while an apply runs learns it is running (its outcome follows).
    if (this.applying) this.post({ type: 'host/busy', message: `Applying changes to ${this.target.cluster}…` });
    if (this.missedNotice) this.post({ type: 'host/serverChanged', message: this.missedNotice });
    this.missedNotice = undefined;
    this.post({ type: 'host/access', missing: await missingAccess(this.reviewTarget(), clusterActionChecks(this.target.namespace).edit, (m) => this.deps.logger.warn(m)) });
  }

  private reviewTarget(): ReviewTarget {
    return { client: this.client(), contextName: this.target.contextName, namespace: this.target.namespace, cluster: this.target.cluster, uid: this.target.uid };
  }

  private async review(requestId: number, input: ClusterFormInput, base: ClusterFormInput): Promise<void> {
    this.reviewed = undefined;
    this.latestReview = requestId;
    if (this.applying) return this.post({ type: 'host/reviewed', requestId, objects: [], warnings: [], error: 'An apply is running: review again once it is done.' });
    const review = await reviewForm(this.reviewTarget(), input, base, this.limits(), (m) => this.deps.logger.warn(m));
    // A later review (the user pressed again) has the last word; an earlier one that finishes after it is dropped.
    if (this.latestReview !== requestId || this.applying) return;
    const { writable, ...shown } = review;
    if (writable && shown.input) this.reviewed = { key: JSON.stringify(shown.input), ...writable };
    this.post({ type: 'host/reviewed', requestId, ...shown });
  }

  private async apply(requestId: number, input: ClusterFormInput): Promise<void> {
    if (this.applying) return this.post({ type: 'host/failed', message: 'An apply is already running; its outcome shows here when it is done.' });
    const reviewed = this.reviewed;
    if (!reviewed || reviewed.key !== JSON.stringify(input)) return this.post({ type: 'host/failed', message: 'The form changed since the review: review the changes again before applying them.' });
    this.applying = true;
    this.reviewed = undefined;
    this.post({ type: 'host/busy', message: `Applying changes to ${this.target.cluster}…` });
    let written = 0;
    try {
      const client = this.client();
      if (reviewed.changes.length) {
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Applying ${reviewed.changes.length} change${reviewed.changes.length === 1 ? '' : 's'} to ${this.target.cluster}`, cancellable: true }, (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return applyEdit(client, reviewed.live, reviewed.changes, { concurrency: readSettings().writeConcurrency, signal: abort.signal, onWritten: () => (written += 1) });
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
      await this.postLive(message, true);
      this.post({ type: 'host/applied', requestId, message });
    } catch (error) {
      if (error instanceof EditConflictError) return await this.postLive(error.message, false);
      const done = written ? `${written} of ${reviewed.changes.length} object changes were written before it` : 'nothing was written';
      const message = `Applying to ${this.target.cluster} failed: ${describeError(error)} (${done}; the form shows the live values now, your input is kept).`;
      this.deps.logger.showError(message, error);
      await this.postLive(message, false).catch(() => this.post({ type: 'host/failed', message }));
    } finally {
      this.applying = false;
    }
  }

  /** Replace instances (replaceFlow.ts), one run at a time like an apply; the form reloads after it. */
  private async replace(requestId: number, atOnceText: string): Promise<void> {
    if (this.applying) return this.post({ type: 'host/failed', message: 'An apply is already running; replace the instances once it is done.' });
    this.applying = true;
    try {
      const outcome = await replaceOffSpec({ logger: this.deps.logger, prompts: this.deps.prompts() }, this.reviewTarget(), await this.read(), atOnceText, () => this.post({ type: 'host/busy', message: `Replacing instances of ${this.target.cluster}…` }));
      if (outcome.refused) return this.post({ type: 'host/failed', message: outcome.message });
      if (outcome.changed) await this.postLive(outcome.message, true);
      this.post({ type: 'host/applied', requestId, message: outcome.message });
    } catch (error) {
      const message = `Replacing instances of ${this.target.cluster} stopped: ${describeError(error)} (what was replaced stays; Replace Instances again picks up the rest and fills any gap first).`;
      this.deps.logger.showError(message, error);
      await this.postLive(message, false).catch(() => this.post({ type: 'host/failed', message }));
    } finally {
      this.applying = false;
    }
  }

  /** The live values read again, to the form: replacing its input after an apply, beside it after a conflict or failure. */
  private async postLive(message: string, replace: boolean): Promise<void> {
    const live = await this.read();
    this.serverChanges.loaded(live);
    this.post({ type: 'host/live', input: editFormInput(live), edit: this.editContext(live), message, replace });
  }
}
