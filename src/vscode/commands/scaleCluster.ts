// "Scale CMP Cluster": a validated input box with the current and desired counts, then a scale that
// converges to exactly that many instances, with a cancellable progress notification. A count past
// the quota offers to raise the quota to fit (quotaOffer.ts) and then scales.
import * as vscode from 'vscode';
import { parseCount } from '../../core/validation';
import { describeError } from '../../kube/apiError';
import { QuotaShortfallError, scaleCluster, type ScaleResult } from '../../kube/clusterScaler';
import { readSettings } from '../settings';
import type { TreeNode } from '../tree/treeNodes';
import { pickCluster } from './pickCluster';
import { offerQuotaRaise, type QuotaOfferTarget } from './quotaOffer';
import type { Services } from './services';

export async function scaleClusterCommand(services: Services, node?: TreeNode): Promise<void> {
  const view = await pickCluster(services, node, 'scale');
  const state = services.session.state;
  if (!view || state.kind !== 'connected') return;
  const settings = readSettings();
  const current = view.instances.filter((i) => i.phase !== 'Terminating').length;
  const sizes = view.spec ? ` of ${view.spec.cpu} CPU · ${view.spec.memoryGiB} GiB${view.specDerived ? ' (sizes derived from an instance)' : ''}` : '';
  const check = (text: string) => parseCount(text, settings.maxInstances, 0).error;
  const answer = await services.prompts.inputBox({
    title: `Scale ${view.name} (context ${state.contextName})`,
    prompt: `Now ${current} instance${current === 1 ? '' : 's'}${sizes}. How many should ${view.name} have?`,
    value: String(current),
    validateInput: check,
  });
  // The box validates as the user types; the answer is checked again, whoever gave it.
  if (answer === undefined || check(answer) !== undefined) return;
  const desired = Number(answer);
  const target = { client: state.client, contextName: state.contextName, cluster: view.name, namespace: view.namespace, uid: view.uid, desired };
  try {
    let result: ScaleResult;
    try {
      result = await scaleWithProgress(services, target);
    } catch (error) {
      // Past the quota: raise it in the same step, if the user agrees and may, then scale again.
      if (!(error instanceof QuotaShortfallError) || error.raises.length === 0) throw error;
      if (!(await offerQuotaRaise(services, target, error))) return;
      result = await scaleWithProgress(services, target);
    }
    const derived = result.derivedFrom ? ` Sizes were derived from ${result.derivedFrom} (the namespace had no stored spec).` : '';
    const superseded = result.asked === undefined ? '' : ` Another scale asked for ${result.to} after this one asked for ${result.asked}; the cluster follows the later one.`;
    services.logger.info(`scaled ${view.name} from ${result.from} to ${result.to}: +${result.created.length} -${result.deleted.length}${superseded}`);
    if (derived || superseded) void vscode.window.showInformationMessage(`Scaled ${view.name} to ${result.to}.${derived}${superseded}`);
  } catch (error) {
    services.logger.showError(`Scaling ${view.name} failed: ${describeError(error)}`, error);
  }
}

async function scaleWithProgress(services: Services, target: QuotaOfferTarget): Promise<ScaleResult> {
  const settings = readSettings();
  return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Scaling ${target.cluster} to ${target.desired}`, cancellable: true }, (progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    let last = 0;
    return scaleCluster(target.client, target.namespace, target.desired, {
      concurrency: settings.writeConcurrency,
      expectedUid: target.uid,
      signal: abort.signal,
      onLog: (m) => services.logger.warn(m),
      onProgress: (done, total) => {
        progress.report({ message: `${done}/${total} changes`, increment: total ? ((done - last) / total) * 100 : 0 });
        last = done;
      },
    });
  });
}
