// Raises a cluster's ResourceQuota so a scale fits, when the user has agreed to the new limits: only
// in a namespace read and checked as ours (managed-by=cmp, the uid the user was shown, not being
// deleted), only the quota CMP made there (cluster-quota), only upward, and guarded by the quota's
// resourceVersion. A quota changed meanwhile is read again and the raise applied on top of it.

import { CancelledError } from '../core/concurrency';
import { resources, type KubeObject } from '../core/kubeTypes';
import { guardRailNames } from '../core/manifests';
import { clusterNameOf, isManaged, managedSelector } from '../core/names';
import { describeRaises, raisedHard, type QuotaRaise } from '../core/quotaFit';
import { ApiError, describeError } from './apiError';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { provedUnchanged, readManagedNamespace } from './ownership';
import { StaleClusterError } from './staleCluster';
import { withRetries } from './transient';
import { waitForQuotaInForce } from './waits';

type QuotaObject = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string> } };

export interface RaiseOptions {
  /** The namespace's uid when the user was shown it: a namespace made again under the name is refused. */
  expectedUid?: string;
  signal?: AbortSignal;
  onLog?: (message: string) => void;
}

/** Reads and writes before giving up on a quota that keeps changing. */
const maxRounds = 4;

/** Applies the raises; resolves with the quota's hard limits as written (or as found, if they already fit). */
export async function raiseQuota(client: KubeClient, namespace: string, raises: readonly QuotaRaise[], options: RaiseOptions = {}): Promise<Record<string, string>> {
  const { signal } = options;
  let expectedUid = options.expectedUid;
  for (let round = 0; round < maxRounds; round++) {
    // Each round checks the namespace again: retries take seconds, and it may be replaced meanwhile.
    const live = await withRetries(() => readManagedNamespace(client, namespace, signal), { signal });
    if (expectedUid && live.metadata.uid !== expectedUid) throw new StaleClusterError(namespace, 'its quota was not changed');
    expectedUid = live.metadata.uid;
    if (live.metadata.deletionTimestamp) throw new Error(`Cluster namespace ${namespace} is being deleted; its quota was not changed.`);
    const quota = await withRetries(() => client.get<QuotaObject>(resources.resourceQuotas, namespace, guardRailNames.resourceQuota, signal), { signal });
    if (!isManaged(quota.metadata.labels)) throw new Error(`The quota ${guardRailNames.resourceQuota} in ${namespace} was not made by CMP (it has no ${managedSelector} label); CMP will not change it.`);
    const before = quota.spec?.hard ?? {};
    const hard = raisedHard(before, raises);
    if (Object.keys(hard).every((key) => hard[key] === before[key])) return await taken(client, namespace, raises, hard, signal);
    const patch = { metadata: { resourceVersion: quota.metadata.resourceVersion }, spec: { hard } };
    // The namespace is still the version just checked (labels included), right before the write.
    if ((await provedUnchanged(client, live, signal)) === 'changed') continue;
    try {
      // Sent again after a passing fault; if the first one landed, the guard answers 409 and the next round finds it done.
      await withRetries(() => client.mergePatch(resources.resourceQuotas, namespace, guardRailNames.resourceQuota, patch, signal), { signal });
    } catch (error) {
      if (error instanceof ApiError && error.isConflict) continue;
      throw error;
    }
    await recordEvent(client, {
      namespace: live,
      reason: 'QuotaRaised',
      action: 'RaiseQuota',
      note: `CMP cluster ${clusterNameOf({ name: namespace, labels: live.metadata.labels })}: quota ${guardRailNames.resourceQuota} raised (${describeRaises(raises)}) to make room for a scale.`,
    }).catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`));
    return await taken(client, namespace, raises, hard, signal);
  }
  throw new Error(`The quota ${guardRailNames.resourceQuota} of ${namespace} kept changing while it was being raised; nothing more was written. Try again.`);
}

/** The scale that follows would be refused by the old limits until the new ones are in force. */
async function taken(client: KubeClient, namespace: string, raises: readonly QuotaRaise[], hard: Record<string, string>, signal?: AbortSignal): Promise<Record<string, string>> {
  if (await waitForQuotaInForce(client, namespace, guardRailNames.resourceQuota, 30_000, signal)) return hard;
  if (signal?.aborted) throw new CancelledError(`Cancelled: the quota ${guardRailNames.resourceQuota} of ${namespace} was raised (${describeRaises(raises)}), but the scale was not started.`);
  throw new Error(`The quota ${guardRailNames.resourceQuota} of ${namespace} was raised (${describeRaises(raises)}), but the quota controller has not applied it within 30 s; scale again in a moment.`);
}
