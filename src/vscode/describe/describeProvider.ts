// "CMP: Describe" documents: a read-only virtual YAML document per cluster or instance, built from
// the live cache and fresh reads (guard rails, quota usage, events, metrics when served); a refresh
// fires onDidChange so VS Code asks again.
import * as vscode from 'vscode';
import { clusterDescribeDocument, instanceDescribeDocument } from '../../core/describe';
import { resources, type KubeObject } from '../../core/kubeTypes';
import { describeError } from '../../kube/apiError';
import { clientLibrary } from '../../kube/clientLibrary';
import { readGuardRails, readObjectEvents, readPodUsage, readQuotaUsage } from '../../kube/usageReader';
import type { Logger } from '../logger';
import type { Session } from '../session';
import { describeLocation, describeScheme, parseDescribeLocation, type DescribeTarget } from './describeTarget';

export function describeUri(target: DescribeTarget): vscode.Uri {
  return vscode.Uri.from({ scheme: describeScheme, ...describeLocation(target) });
}

export class DescribeProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly session: Session, private readonly logger: Logger) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(describeScheme, this);
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = parseDescribeLocation(uri.path, uri.query);
    if (!target) return '# Not a CMP Describe address.\n';
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    try {
      const body = await this.document(target, abort.signal);
      const what = target.kind === 'cluster' ? `cluster namespace ${target.namespace}` : `${target.instanceKind} ${target.namespace}/${target.name}`;
      return `# CMP Describe: ${what}, context ${target.context}, read ${new Date().toISOString()}\n# Read-only. Refresh: "CMP: Refresh Describe" (the refresh button of this editor).\n${body}`;
    } catch (error) {
      this.logger.warn(`describe ${uri.toString()}: ${describeError(error)}`);
      return `# Could not describe: ${describeError(error).replace(/\n/g, ' ')}\n`;
    } finally {
      cancel.dispose();
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }

  private async document(target: DescribeTarget, signal: AbortSignal): Promise<string> {
    const state = this.session.connectionNamed(target.context);
    if (!state) return `# Context ${target.context} is not shown or not connected now: see the CMP Clusters view.\n`;
    const view = state.cache.cluster(target.namespace);
    if (!view) return `# Namespace ${target.namespace} is not a CMP cluster (any more).\n`;
    if (target.kind === 'cluster') {
      const [guardRails, quotas, usage] = await Promise.all([
        readGuardRails(state.client, target.namespace, signal),
        readQuotaUsage(state.client, target.namespace, signal),
        readPodUsage(state.client, target.namespace, undefined, signal),
      ]);
      return clientLibrary().dumpYaml(clusterDescribeDocument({ view, contextName: state.contextName, guardRails, quotas, usage }));
    }
    const ref = target.instanceKind === 'Pod' ? resources.pods : resources.virtualMachines;
    const [object, events, usage] = await Promise.all([
      state.client.get<KubeObject>(ref, target.namespace, target.name, signal),
      readObjectEvents(state.client, target.namespace, target.instanceKind, target.name, signal),
      target.instanceKind === 'Pod' ? readPodUsage(state.client, target.namespace, target.name, signal) : Promise.resolve(undefined),
    ]);
    const instance = view.instances.find((i) => i.kind === target.instanceKind && i.name === target.name);
    return clientLibrary().dumpYaml(instanceDescribeDocument({
      object: { ...object, kind: target.instanceKind, apiVersion: target.instanceKind === 'Pod' ? 'v1' : 'kubevirt.io/v1' },
      view: instance,
      cluster: view.name,
      contextName: state.contextName,
      usage,
      events,
    }));
  }
}
