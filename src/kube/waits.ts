// Short, bounded waits for a single object to reach a state right after we wrote it (a quota in
// force, a namespace gone after rollback). These are not UI refreshes, which use watches.

import { resources, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { quotaInForce } from '../core/quotaFit';
import { ApiError } from './apiError';
import { isTransient } from './transient';
import type { KubeClient } from './kubeClient';

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // What we wait for usually lands within tens of milliseconds (controllers react to our write), so
  // the first checks come quickly; a read costs one stream on the shared connection.
  let interval = 5;
  while (Date.now() < deadline && !signal?.aborted) {
    // A read lost to a passing fault (a restart, a cut) is not an answer: look again.
    if (await check().catch((error: unknown) => (isTransient(error) ? false : Promise.reject(error)))) return true;
    await new Promise((done) => setTimeout(done, interval));
    interval = Math.min(500, interval * 1.5);
  }
  return false;
}

/** Waits until the object is gone (404); true if it went within the time. */
export function waitUntilGone(client: KubeClient, ref: ResourceRef, namespace: string | undefined, name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return waitUntil(async () => !(await exists(client, ref, namespace, name, signal)), timeoutMs, signal);
}

/** Waits until the object exists; true if it appeared within the time. */
export function waitUntilExists(client: KubeClient, ref: ResourceRef, namespace: string | undefined, name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return waitUntil(() => exists(client, ref, namespace, name, signal), timeoutMs, signal);
}

async function exists(client: KubeClient, ref: ResourceRef, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(ref, namespace, name, signal);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return false;
    throw error;
  }
}

type QuotaObject = KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string> } };

/**
 * Waits until a quota we just wrote is in force (its status.hard matches spec.hard: see
 * quotaInForce), after a create, an edit or a raise; admission holds pods to the old limits until then.
 */
export function waitForQuotaInForce(client: KubeClient, namespace: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  return waitUntil(async () => {
    try {
      const quota = await client.get<QuotaObject>(resources.resourceQuotas, namespace, name, signal);
      return quotaInForce(quota.spec?.hard ?? {}, quota.status?.hard ?? {});
    } catch (error) {
      // Deleted meanwhile (by someone else): a quota that is gone limits nothing.
      if (error instanceof ApiError && error.isNotFound) return true;
      throw error;
    }
  }, timeoutMs, signal);
}
