// The reads and the one write a scale needs besides its plan: the cluster's quota and service
// account, and an instance create that waits out a terminating namesake.

import { refOfKind, resources, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { guardRailNames } from '../core/manifests';
import type { QuotaState } from '../core/plans';
import { ApiError } from './apiError';
import type { KubeClient } from './kubeClient';
import { waitUntil } from './waits';

export async function readQuota(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<QuotaState | undefined> {
  try {
    const quota = await client.get<KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string>; used?: Record<string, string> } }>(
      resources.resourceQuotas, namespace, guardRailNames.resourceQuota, signal);
    return { hard: quota.status?.hard ?? quota.spec?.hard ?? {}, used: quota.status?.used ?? {} };
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return undefined;
    throw error;
  }
}

export async function hasServiceAccount(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(resources.serviceAccounts, namespace, guardRailNames.serviceAccount, signal);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return false;
    throw error;
  }
}

/**
 * Creates an instance; a name still held by a terminating instance frees up within seconds, so
 * that one is waited for (until it is gone or another object holds the name). A live namesake
 * (another scale made it meanwhile) is left as it is: the caller reads the cluster back and decides.
 */
export async function createReplacingTerminating(client: KubeClient, manifest: KubeObject, signal?: AbortSignal): Promise<void> {
  const ref = refOfKind(manifest.kind);
  const { namespace, name } = manifest.metadata;
  for (let attempt = 0; ; attempt++) {
    try {
      await client.create(manifest, { signal });
      return;
    } catch (error) {
      if (!(error instanceof ApiError && error.isConflict) || attempt >= 3) throw error;
      const existing = await findObject(client, ref, namespace, name, signal);
      if (existing && !existing.metadata.deletionTimestamp) return;
      const held = existing?.metadata.uid;
      if (held && !(await waitUntil(async () => (await findObject(client, ref, namespace, name, signal))?.metadata.uid !== held, 60_000, signal))) {
        throw new Error(`${name} is still terminating after 60 s; try again later.`, { cause: error });
      }
    }
  }
}

async function findObject(client: KubeClient, ref: ResourceRef, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return await client.get(ref, namespace, name, signal);
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return undefined;
    throw error;
  }
}
