// Replace instances: the instances made with another image or size than the stored spec are made
// again with it, up to `atOnce` at a time, so at least count − atOnce keep running. Each batch is
// read fresh (the namespace checked as ours, by uid), deleted with uid preconditions, refilled by the
// one converging scale to the same count (new instances get the stored spec), and waited for until
// Ready before the next. Interrupted anywhere (a fault, a cancel), running it again converges: what
// is left off the spec is replaced, a gap is refilled by the scale.

import { offSpecInstances } from '../core/clusterEdit';
import { readStoredSpec } from '../core/clusterSpec';
import { specAnnotation } from '../core/names';
import { resources, type KubeObject } from '../core/kubeTypes';
import { ApiError } from './apiError';
import { readLiveCluster } from './clusterEditor';
import { scaleCluster } from './clusterScaler';
import type { KubeClient } from './kubeClient';
import { waitUntil, waitUntilGone } from './waits';

export interface ReplaceOptions {
  /** How many instances may be down at once (1: one at a time). */
  atOnce: number;
  concurrency: number;
  expectedUid: string | undefined;
  signal?: AbortSignal;
  /** Instances replaced so far of those off the spec when the replace started. */
  onProgress?: (done: number, total: number, current: string[]) => void;
  onLog?: (message: string) => void;
}

export interface ReplaceResult {
  replaced: string[];
  /** Off the spec still, after being made again (the API or an admission webhook changed them): left as they are. */
  stillOff: string[];
}

export class ReplaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplaceError';
  }
}

const readyTimeoutMs = 180_000;

export async function replaceInstances(client: KubeClient, namespace: string, options: ReplaceOptions): Promise<ReplaceResult> {
  if (!Number.isInteger(options.atOnce) || options.atOnce < 1) throw new ReplaceError(`Replace at least 1 instance at a time, not ${options.atOnce}.`);
  const { signal } = options;
  const replaced: string[] = [];
  const tried = new Set<string>();
  let total: number | undefined;
  for (;;) {
    signal?.throwIfAborted();
    const live = await readLiveCluster(client, namespace, options.expectedUid, signal);
    if (live.spec.instanceType !== 'container') throw new ReplaceError(`${namespace} holds VMs; Replace instances is for container instances.`);
    const count = storedCount(live);
    if (live.instances.length < count) {
      // A gap (an interrupted replace, a deleted instance) is filled first: deleting beside it would leave fewer than count − atOnce.
      const result = await scaleCluster(client, namespace, count, { concurrency: options.concurrency, expectedUid: options.expectedUid, signal, onLog: options.onLog });
      await readyOrStop(client, namespace, result.created, replaced.length, signal);
      continue;
    }
    const off = offSpecInstances(live).map((o) => o.name).filter((name) => !tried.has(name));
    total ??= off.length;
    if (off.length === 0) break;
    const batch = off.slice(0, options.atOnce);
    batch.forEach((name) => tried.add(name));
    options.onProgress?.(replaced.length, total, batch);
    const byName = new Map(live.instances.map((o) => [o.metadata.name, o]));
    await Promise.all(batch.map((name) => deleteInstance(client, namespace, byName.get(name), signal)));
    // The stored count again (a gap left by an earlier, interrupted replace is no smaller count): the scale refills exactly the gaps, with the stored spec.
    await scaleCluster(client, namespace, count, { concurrency: options.concurrency, expectedUid: options.expectedUid, signal, onLog: options.onLog });
    await readyOrStop(client, namespace, batch, replaced.length, signal);
    replaced.push(...batch);
    options.onProgress?.(replaced.length, total, []);
  }
  const after = await readLiveCluster(client, namespace, options.expectedUid, signal);
  const stillOff = offSpecInstances(after).map((o) => o.name).filter((name) => tried.has(name));
  return { replaced, stillOff };
}

async function readyOrStop(client: KubeClient, namespace: string, names: string[], replaced: number, signal?: AbortSignal): Promise<void> {
  if (names.length === 0 || (await waitUntil(() => allReady(client, namespace, names, signal), readyTimeoutMs, signal))) return;
  signal?.throwIfAborted();
  throw new ReplaceError(`${names.join(', ')} did not become Ready within ${readyTimeoutMs / 1000} s after being made; the replace stopped there (${replaced} replaced).`);
}

function storedCount(live: { namespace: KubeObject; instances: KubeObject[] }): number {
  const stored = readStoredSpec(live.namespace.metadata.annotations?.[specAnnotation]);
  return stored.countStored && stored.spec ? stored.spec.count : live.instances.length;
}

/** Deletes one instance as it was read (its uid as precondition) and waits until it is gone. */
async function deleteInstance(client: KubeClient, namespace: string, instance: KubeObject | undefined, signal?: AbortSignal): Promise<void> {
  if (!instance) return;
  try {
    await client.delete(resources.pods, namespace, instance.metadata.name, { uid: instance.metadata.uid, signal });
  } catch (error) {
    // Gone already, or replaced by someone else since the read: either way not the one to delete.
    if (!(error instanceof ApiError && (error.isNotFound || error.isConflict))) throw error;
  }
  if (!(await waitUntilGone(client, resources.pods, namespace, instance.metadata.name, 120_000, signal))) {
    signal?.throwIfAborted();
    throw new ReplaceError(`${instance.metadata.name} was deleted but did not go away within 120 s (a finalizer?); the replace stopped there.`);
  }
}

type PodStatus = { status?: { conditions?: { type: string; status: string }[] }; metadata: { deletionTimestamp?: string } };

async function allReady(client: KubeClient, namespace: string, names: string[], signal?: AbortSignal): Promise<boolean> {
  const pods = await Promise.all(names.map((name) => client.get<KubeObject & PodStatus>(resources.pods, namespace, name, signal).catch((error: unknown) => {
    if (error instanceof ApiError && error.isNotFound) return undefined;
    throw error;
  })));
  return pods.every((pod) => pod !== undefined && !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'));
}
