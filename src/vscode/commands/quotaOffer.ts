// When a scale does not fit the cluster's quota: offer, in the same step, to raise the quota to the
// limits that fit (named one by one in the confirmation), if the user may patch it; else say who can.
// The raise shows progress and can be cancelled.
import * as vscode from 'vscode';
import { describeRaises } from '../../core/quotaFit';
import { describeCheck, type AccessCheck } from '../../core/permissions';
import { canI } from '../../kube/accessReview';
import type { QuotaShortfallError } from '../../kube/clusterScaler';
import type { KubeClient } from '../../kube/kubeClient';
import { guardRailNames } from '../../core/manifests';
import { raiseQuota } from '../../kube/quotaRaiser';
import type { Services } from './services';

export interface QuotaOfferTarget {
  client: KubeClient;
  contextName: string;
  cluster: string;
  namespace: string;
  uid: string | undefined;
  desired: number;
}

/**
 * Asks whether to raise the quota and raises it when the user agrees. Resolves true once the new
 * limits are in force (the caller scales again), false when the user declined or may not (which
 * it has said); throws what went wrong with the raise itself.
 */
export async function offerQuotaRaise(services: Pick<Services, 'logger' | 'prompts'>, target: QuotaOfferTarget, shortfall: QuotaShortfallError): Promise<boolean> {
  const patchQuota: AccessCheck = { verb: 'patch', resource: 'resourcequotas', namespace: target.namespace, name: guardRailNames.resourceQuota };
  const [answer] = await canI(target.client.transport, [patchQuota]);
  if (!answer?.allowed) {
    services.logger.showError(`Scaling ${target.cluster} to ${target.desired} failed: ${shortfall.message} You may not ${describeCheck(patchQuota)} (asked the API), so CMP cannot raise it: ask whoever manages this cluster's quota.`);
    return false;
  }
  const agreed = await services.prompts.confirm(
    `Raise the quota of ${target.cluster} to fit ${target.desired} instances?`,
    `${shortfall.message}\n\nNew hard limits of ${guardRailNames.resourceQuota} in namespace ${target.namespace} (context ${target.contextName}): ${describeRaises(shortfall.raises)}. Then ${target.cluster} is scaled to ${target.desired}.`,
    'Raise Quota and Scale',
  );
  if (!agreed) return false;
  // Raising waits until the quota controller has put the new limits in force (seconds, up to 30): shown, and cancellable.
  const hard = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Raising the quota of ${target.cluster} (context ${target.contextName})`, cancellable: true }, (_progress, token) => {
    const abort = new AbortController();
    token.onCancellationRequested(() => abort.abort());
    return raiseQuota(target.client, target.namespace, shortfall.raises, { expectedUid: target.uid, signal: abort.signal, onLog: (m) => services.logger.warn(m) });
  });
  services.logger.info(`raised the quota of ${target.cluster}: ${Object.entries(hard).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  return true;
}
