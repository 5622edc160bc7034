// The one way the extension scales a cluster, from the Scale input box and from the Edit form alike:
// a scale that converges to exactly the asked count under a cancellable progress notification, and,
// when the count does not fit the quota, the offer to raise the quota in the same step, then the scale.
import * as vscode from 'vscode';
import { QuotaShortfallError, scaleCluster, type ScaleResult } from '../../kube/clusterScaler';
import { readSettings } from '../settings';
import { offerQuotaRaise, type QuotaOfferTarget } from './quotaOffer';
import type { Services } from './services';

/** What a scale needs of the extension: the log, and the prompts of the quota offer. */
export type ScaleServices = Pick<Services, 'logger' | 'prompts'>;

/** Scales `target` to its desired count; undefined when it did not fit and the user declined (or may not) raise the quota. */
export async function scaleToCount(services: ScaleServices, target: QuotaOfferTarget): Promise<ScaleResult | undefined> {
  try {
    return await scaleWithProgress(services, target);
  } catch (error) {
    // Past the quota: raise it in the same step, if the user agrees and may, then scale again.
    if (!(error instanceof QuotaShortfallError) || error.raises.length === 0) throw error;
    if (!(await offerQuotaRaise(services, target, error))) return undefined;
    return await scaleWithProgress(services, target);
  }
}

/** What a finished scale tells the user beyond the count: sizes derived from an instance, a later scale that won. */
export function scaleNotes(result: ScaleResult): string {
  const derived = result.derivedFrom ? ` Sizes were derived from ${result.derivedFrom} (the namespace had no stored spec).` : '';
  const superseded = result.asked === undefined ? '' : ` Another scale asked for ${result.to} after this one asked for ${result.asked}; the cluster follows the later one.`;
  return `${derived}${superseded}`;
}

async function scaleWithProgress(services: ScaleServices, target: QuotaOfferTarget): Promise<ScaleResult> {
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
