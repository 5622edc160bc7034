// Scaling a CMP cluster to exactly N instances: refill gaps from the stored spec (or sizes read off
// an existing instance), delete the highest indices first, check the quota before any write, and
// record the new count on the namespace. Running it again converges; it never touches other names.

import { parseStoredSpec, serializeStoredSpec, type StoredSpec } from '../core/clusterSpec';
import { mapBounded } from '../core/concurrency';
import { refOfKind, resources, type KubeObject } from '../core/kubeTypes';
import { guardRailNames, instanceManifest } from '../core/manifests';
import { clusterNameOf, instanceIndexOf, specAnnotation } from '../core/names';
import { quotaShortfall, scalePlan, specFromInstance, type QuotaState } from '../core/plans';
import { ApiError, describeError } from './apiError';
import { listInstances } from './clusterInstances';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { readManagedNamespace } from './ownership';
import { waitUntilGone } from './waits';

export interface ScaleOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onLog?: (message: string) => void;
}

export interface ScaleResult {
  from: number;
  to: number;
  created: string[];
  deleted: string[];
  /** Set when the namespace had no stored spec and sizes came from an instance. */
  derivedFrom?: string;
}

export class ScaleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaleError';
  }
}

export async function scaleCluster(client: KubeClient, namespace: string, desired: number, options: ScaleOptions): Promise<ScaleResult> {
  const { signal } = options;
  if (!Number.isInteger(desired) || desired < 0) throw new ScaleError(`The instance count must be a whole number of 0 or more, not ${desired}.`);
  // Every read goes at once, one round trip: the namespace (the ownership check still decides before
  // any write), its instances' metadata, and what making instances needs (the quota, whether
  // cluster-sa exists).
  const [owned, listed, quotaRead, accountRead] = await Promise.allSettled([
    readManagedNamespace(client, namespace, signal),
    listInstances(client, namespace, signal, true),
    readQuota(client, namespace, signal),
    hasServiceAccount(client, namespace, signal),
  ]);
  if (owned.status === 'rejected') throw owned.reason;
  if (listed.status === 'rejected') throw listed.reason;
  const live = owned.value;
  if (live.metadata.deletionTimestamp) throw new ScaleError(`Cluster namespace ${namespace} is being deleted; it cannot be scaled.`);
  const cluster = clusterNameOf({ name: namespace, labels: live.metadata.labels });
  const stored = parseStoredSpec(live.metadata.annotations?.[specAnnotation]);
  // Without a stored spec, sizes come from an instance's containers: that needs the whole objects.
  const all = stored ? listed.value : await listInstances(client, namespace, signal);
  const current = all.filter((o) => !o.metadata.deletionTimestamp);
  // Other managed objects (not named instance-<n>) are neither counted nor copied.
  const instances = current
    .filter((o) => instanceIndexOf(o.metadata.name) !== undefined)
    .sort((a, b) => (instanceIndexOf(a.metadata.name) ?? 0) - (instanceIndexOf(b.metadata.name) ?? 0));
  // Without one, the lowest instance whose sizes can be read, as the tree does; derivedFrom names it.
  const source = stored ? undefined : instances.find((o) => specFromInstance(o, instances.length) !== undefined);
  const spec: StoredSpec | undefined = stored ?? (source && specFromInstance(source, instances.length));
  const derivedFrom = source?.metadata.name;
  const plan = scalePlan(current.map((o) => o.metadata.name), desired);
  if (!spec && plan.create.length > 0) {
    throw new ScaleError(`Cluster ${cluster} has no stored spec and no instance to copy sizes from, so new instances cannot be made.`);
  }
  // Only making instances needs the quota (checked before any write) and cluster-sa; a scale down
  // does not fail on reading them.
  let serviceAccount = false;
  if (spec && plan.create.length > 0) {
    if (quotaRead.status === 'rejected') throw quotaRead.reason;
    if (accountRead.status === 'rejected') throw accountRead.reason;
    const shortfall = quotaRead.value && quotaShortfall(quotaRead.value, spec, plan);
    if (shortfall) throw new ScaleError(shortfall);
    serviceAccount = accountRead.value;
  }
  const manifests = spec ? plan.create.map((i) => instanceManifest({ cluster, spec, serviceAccount }, i)) : [];
  // Instances differ only by name, so one dry run checks them all against admission before any
  // write. A name still held by a terminating instance answers 409 only after admission passed.
  if (manifests.length > 0) await client.create(manifests[0] as KubeObject, { dryRun: true, signal }).catch(ignoreConflict);

  const result: ScaleResult = { from: instances.length, to: desired, created: plan.create.map((i) => `instance-${i}`), deleted: plan.remove, derivedFrom };
  // The asked count is recorded as the instance writes start, as a Deployment's replicas are: it is
  // the desired state they converge to (the tree shows the cluster progressing until they have).
  // The Event likewise records the action as it is taken, as the deployment controller's are.
  const recorded = Promise.all([
    spec && storeCount(client, namespace, spec, desired, signal, options),
    recordEvent(client, {
      namespace: live,
      reason: 'ClusterScaled',
      action: 'Scale',
      note: `CMP cluster ${cluster} scaled from ${result.from} to ${desired} instance(s)${derivedFrom ? ` (sizes derived from ${derivedFrom})` : ''}.`,
    }).catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`)),
  ]);
  const total = plan.create.length + plan.remove.length;
  let done = 0;
  const tick = () => options.onProgress?.(++done, total);
  options.onProgress?.(0, total);
  const kindOf = new Map(all.map((o) => [o.metadata.name, o.kind]));
  try {
    await mapBounded(plan.remove, async (name) => {
      await client.delete(refOfKind(kindOf.get(name) ?? 'Pod'), namespace, name, { signal }).catch(ignoreNotFound);
      tick();
    }, { limit: options.concurrency, signal });
    // createReplacingTerminating waits out a terminating namesake, so a conflict is no reason to stop.
    await mapBounded(manifests, async (manifest) => {
      await createReplacingTerminating(client, manifest, signal);
      tick();
    }, { limit: options.concurrency, signal });
  } catch (error) {
    await recorded.catch(() => undefined);
    throw error;
  }
  await recorded;
  return result;
}

/**
 * Records the asked count in the namespace's spec annotation. A namespace-scoped user (e.g. with the
 * edit role) may change instances but not the namespace: a refused update is reported, not fatal.
 */
async function storeCount(client: KubeClient, namespace: string, spec: StoredSpec, desired: number, signal: AbortSignal | undefined, options: ScaleOptions): Promise<void> {
  const patch = { metadata: { annotations: { [specAnnotation]: serializeStoredSpec({ ...spec, count: desired }) } } };
  await client.mergePatch(resources.namespaces, undefined, namespace, patch, signal).catch((error: unknown) => {
    if (!(error instanceof ApiError && error.isForbidden)) throw error;
    options.onLog?.(`scaled ${namespace} to ${desired}, but the stored count on the namespace could not be updated: ${error.message}`);
  });
}

function ignoreNotFound(error: unknown): void {
  if (!(error instanceof ApiError && error.isNotFound)) throw error;
}

function ignoreConflict(error: unknown): void {
  if (!(error instanceof ApiError && error.isConflict)) throw error;
}

/** A name still held by a terminating instance frees up within seconds; wait for it, then create. */
async function createReplacingTerminating(client: KubeClient, manifest: KubeObject, signal?: AbortSignal): Promise<void> {
  try {
    await client.create(manifest, { signal });
  } catch (error) {
    if (!(error instanceof ApiError && error.isConflict)) throw error;
    const ref = refOfKind(manifest.kind);
    const existing = await client.get(ref, manifest.metadata.namespace, manifest.metadata.name, signal);
    if (!existing.metadata.deletionTimestamp) return;
    if (!(await waitUntilGone(client, ref, manifest.metadata.namespace, manifest.metadata.name, 60_000, signal))) {
      throw new ScaleError(`${manifest.metadata.name} is still terminating after 60 s; try again later.`);
    }
    await client.create(manifest, { signal });
  }
}

async function readQuota(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<QuotaState | undefined> {
  try {
    const quota = await client.get<KubeObject & { spec?: { hard?: Record<string, string> }; status?: { hard?: Record<string, string>; used?: Record<string, string> } }>(
      resources.resourceQuotas, namespace, guardRailNames.resourceQuota, signal);
    return { hard: quota.status?.hard ?? quota.spec?.hard ?? {}, used: quota.status?.used ?? {} };
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return undefined;
    throw error;
  }
}

async function hasServiceAccount(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.get(resources.serviceAccounts, namespace, guardRailNames.serviceAccount, signal);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return false;
    throw error;
  }
}
