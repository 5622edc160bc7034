// Scaling a CMP cluster to exactly N instances, always in the namespace that was read and checked
// (never one derived from a label). The asked count is stored first, guarded by the namespace's
// resourceVersion; then gaps are refilled and the highest indices deleted (each delete guarded by
// the instance's uid), and the cluster is read back until it holds exactly the stored count. When
// another scale stores its count after ours, both converge to that later count.

import { parseStoredSpec, readStoredSpec, serializeStoredSpec, type StoredSpec } from '../core/clusterSpec';
import { mapBounded } from '../core/concurrency';
import { refOfKind, resources, type KubeObject } from '../core/kubeTypes';
import { instanceManifest } from '../core/manifests';
import { clusterNameOf, instanceIndexOf, instanceName, specAnnotation } from '../core/names';
import { quotaShortfall, scalePlan, specFromInstance, type ScalePlan } from '../core/plans';
import { quotaToFit, type QuotaRaise } from '../core/quotaFit';
import { imageError } from '../core/validation';
import { ApiError, describeError } from './apiError';
import { listInstances } from './clusterInstances';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { createReplacingTerminating, hasServiceAccount, readQuota } from './scaleReads';
import { readManagedNamespace } from './ownership';
import { StaleClusterError } from './staleCluster';
import { withRetries } from './transient';

export interface ScaleOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** The namespace's uid when the caller showed it: a namespace recreated under the name is refused. */
  expectedUid?: string;
  onProgress?: (done: number, total: number) => void;
  onLog?: (message: string) => void;
}

export interface ScaleResult {
  from: number;
  /** The count the cluster holds now: the asked one, or a later scale's (see asked). */
  to: number;
  created: string[];
  deleted: string[];
  /** Set when the namespace had no stored spec and sizes came from an instance. */
  derivedFrom?: string;
  /** Set when another scale stored its count after this one: what this one asked for. */
  asked?: number;
}

export class ScaleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaleError';
  }
}

/** A scale the quota cannot hold, with the raises that would let it (empty when none would help). */
export class QuotaShortfallError extends ScaleError {
  constructor(message: string, readonly raises: QuotaRaise[]) {
    super(message);
    this.name = 'QuotaShortfallError';
  }
}

/** Reads and writes before a scale gives up on converging (another writer keeps changing the cluster). */
const maxRounds = 8;

interface Snapshot {
  live: KubeObject;
  /** Every managed object in the namespace, terminating ones included. */
  all: KubeObject[];
  /** Live instances (named instance-<n>, not terminating), lowest index first. */
  instances: KubeObject[];
}

export async function scaleCluster(client: KubeClient, namespace: string, desired: number, options: ScaleOptions): Promise<ScaleResult> {
  const { signal } = options;
  if (!Number.isInteger(desired) || desired < 0) throw new ScaleError(`The instance count must be a whole number of 0 or more, not ${desired}.`);
  // The first round reads everything at once, one round trip: the namespace (the ownership check
  // decides before any write), its instances' metadata, the quota and whether cluster-sa exists.
  const [first, quotaRead, accountRead] = await Promise.allSettled([
    readSnapshot(client, namespace, options.expectedUid, true, signal),
    withRetries(() => readQuota(client, namespace, signal), { signal }),
    withRetries(() => hasServiceAccount(client, namespace, signal), { signal }),
  ]);
  if (first.status === 'rejected') throw first.reason;
  let snapshot = first.value;
  const expectedUid = snapshot.live.metadata.uid;
  const cluster = clusterNameOf({ name: namespace, labels: snapshot.live.metadata.labels });
  const from = snapshot.instances.length;
  const sizes = await sizesOf(client, namespace, snapshot, signal);
  const plan = scalePlan(namesOf(snapshot), desired);
  if (!sizes.spec && plan.create.length > 0) {
    throw new ScaleError(`Cluster ${cluster} has no stored spec and no instance to copy sizes from, so new instances cannot be made.`);
  }
  let serviceAccount: boolean | undefined;
  if (sizes.spec && plan.create.length > 0) {
    // Only making instances needs the quota and cluster-sa; a scale down does not fail on reading them.
    if (quotaRead.status === 'rejected') throw quotaRead.reason;
    if (accountRead.status === 'rejected') throw accountRead.reason;
    const shortfall = quotaRead.value && quotaShortfall(quotaRead.value, sizes.spec, plan);
    if (shortfall && quotaRead.value) throw new QuotaShortfallError(shortfall, quotaToFit(quotaRead.value, sizes.spec, plan));
    serviceAccount = accountRead.value;
    // Instances differ only by name, so one dry run, in this namespace, checks them all against
    // admission before any write. A name held by a terminating instance answers 409 after admission.
    const probe = instanceManifest({ namespace, cluster, spec: sizes.spec, serviceAccount }, plan.create[0] as number);
    await withRetries(() => client.create(probe, { dryRun: true, signal }), { signal }).catch(ignore('conflict'));
  }

  // The asked count is stored before any instance write, as a Deployment's replicas are: it is the
  // desired state the writes converge to, and the resourceVersion guard means the namespace is still
  // the one just checked (same uid, still managed). A conflict means it changed: read again.
  let claimed = false;
  let target = desired;
  const created = new Set<string>();
  const deleted = new Set<string>();
  let done = 0;
  let total = 0;
  let event: Promise<void> | undefined;
  for (let round = 0; round < maxRounds; round++) {
    if (round > 0) snapshot = await readSnapshot(client, namespace, expectedUid, false, signal);
    const stored = parseStoredSpec(snapshot.live.metadata.annotations?.[specAnnotation]);
    if (claimed && stored) target = stored.count;
    const next = scalePlan(namesOf(snapshot), target);
    if (claimed && next.create.length === 0 && next.remove.length === 0) {
      await event;
      return {
        from,
        to: target,
        created: [...created],
        deleted: [...deleted],
        derivedFrom: sizes.derivedFrom,
        ...(target === desired ? {} : { asked: desired }),
      };
    }
    if (!claimed) {
      const outcome = await claim(client, namespace, snapshot.live, sizes.spec, desired, signal, options);
      if (outcome === 'conflict') continue;
      claimed = true;
      event = recordEvent(client, {
        namespace: snapshot.live,
        reason: 'ClusterScaled',
        action: 'Scale',
        note: `CMP cluster ${cluster} scaled from ${from} to ${desired} instance(s)${sizes.derivedFrom ? ` (sizes derived from ${sizes.derivedFrom})` : ''}.`,
      }).catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`));
    }
    const spec = stored ?? sizes.spec;
    if (next.create.length > 0 && !spec) throw new ScaleError(`Cluster ${cluster} has no stored spec and no instance to copy sizes from, so new instances cannot be made.`);
    serviceAccount ??= next.create.length > 0 ? await withRetries(() => hasServiceAccount(client, namespace, signal), { signal }) : false;
    total += next.create.length + next.remove.length;
    options.onProgress?.(done, total);
    const tick = () => options.onProgress?.(++done, total);
    try {
      await applyPlan(client, namespace, snapshot, next, spec && { namespace, cluster, spec, serviceAccount }, { created, deleted, tick, signal, concurrency: options.concurrency });
    } catch (error) {
      await event;
      throw error;
    }
  }
  await event;
  throw new ScaleError(`Cluster ${cluster} did not settle at ${target} instances after ${maxRounds} rounds: something else keeps changing its instances.`);
}

/** The namespace (managed, same uid as first seen, not terminating) and its instances, in one round trip. */
async function readSnapshot(client: KubeClient, namespace: string, expectedUid: string | undefined, metadataOnly: boolean, signal?: AbortSignal): Promise<Snapshot> {
  const [owned, listed] = await Promise.allSettled([
    withRetries(() => readManagedNamespace(client, namespace, signal), { signal }),
    withRetries(() => listInstances(client, namespace, signal, metadataOnly), { signal }),
  ]);
  if (owned.status === 'rejected') throw owned.reason;
  if (listed.status === 'rejected') throw listed.reason;
  const live = owned.value;
  if (expectedUid && live.metadata.uid !== expectedUid) throw new StaleClusterError(namespace, 'nothing was changed');
  if (live.metadata.deletionTimestamp) throw new ScaleError(`Cluster namespace ${namespace} is being deleted; it cannot be scaled.`);
  const all = listed.value;
  // Other managed objects (not named instance-<n>) are neither counted nor copied.
  const instances = all
    .filter((o) => !o.metadata.deletionTimestamp && instanceIndexOf(o.metadata.name) !== undefined)
    .sort((a, b) => (instanceIndexOf(a.metadata.name) ?? 0) - (instanceIndexOf(b.metadata.name) ?? 0));
  return { live, all, instances };
}

function namesOf(snapshot: Snapshot): string[] {
  return snapshot.all.filter((o) => !o.metadata.deletionTimestamp).map((o) => o.metadata.name);
}

/** The sizes new instances get: the stored spec, else the lowest instance whose sizes can be read (as the tree does). */
async function sizesOf(client: KubeClient, namespace: string, snapshot: Snapshot, signal?: AbortSignal): Promise<{ spec?: StoredSpec; derivedFrom?: string }> {
  const { spec: stored, problem } = readStoredSpec(snapshot.live.metadata.annotations?.[specAnnotation]);
  const imageProblem = stored?.instanceType === 'container' ? imageError(stored.image) : undefined;
  if (problem || imageProblem) {
    // Someone (another tool, a hand edit) wrote sizes we would not: refuse rather than guess.
    throw new ScaleError(`The stored spec of ${namespace} (annotation ${specAnnotation}) cannot be used: ${problem ?? `its image: ${imageProblem}`}. Nothing was changed; correct or remove the annotation, then scale again.`);
  }
  if (stored) return { spec: stored };
  if (snapshot.instances.length === 0) return {};
  // Sizes are in the instances' specs, which a metadata list leaves out.
  const whole = (await withRetries(() => listInstances(client, namespace, signal), { signal }))
    .filter((o) => !o.metadata.deletionTimestamp && instanceIndexOf(o.metadata.name) !== undefined)
    .sort((a, b) => (instanceIndexOf(a.metadata.name) ?? 0) - (instanceIndexOf(b.metadata.name) ?? 0));
  const source = whole.find((o) => specFromInstance(o, whole.length) !== undefined);
  return source ? { spec: specFromInstance(source, whole.length), derivedFrom: source.metadata.name } : {};
}

/**
 * Stores the asked count on the namespace, guarded by the resourceVersion just read. Without a spec
 * to store, the guarded patch changes nothing but still proves the namespace unchanged. A
 * namespace-scoped user (the edit role) may change instances but not the namespace: then the scale
 * goes ahead unguarded, and says so.
 */
async function claim(client: KubeClient, namespace: string, live: KubeObject, spec: StoredSpec | undefined, desired: number, signal: AbortSignal | undefined, options: ScaleOptions): Promise<'claimed' | 'conflict'> {
  const annotations = spec ? { [specAnnotation]: serializeStoredSpec({ ...spec, count: desired }) } : undefined;
  const patch = { metadata: { resourceVersion: live.metadata.resourceVersion, ...(annotations ? { annotations } : {}) } };
  try {
    // Sent again after a passing fault; if the first one landed, the guard answers 409 and the scale reads again.
    await withRetries(() => client.mergePatch(resources.namespaces, undefined, namespace, patch, signal), { signal });
    return 'claimed';
  } catch (error) {
    if (error instanceof ApiError && error.isConflict) return 'conflict';
    if (!(error instanceof ApiError && error.isForbidden)) throw error;
    options.onLog?.(`scaling ${namespace} to ${desired} without storing the count on the namespace (not allowed to patch it): ${error.message}`);
    return 'claimed';
  }
}

interface Tally {
  created: Set<string>;
  deleted: Set<string>;
  tick: () => void;
  signal?: AbortSignal;
  concurrency: number;
}

/** Deletes (highest index first, each by uid) then creates, within the write bound. */
async function applyPlan(client: KubeClient, namespace: string, snapshot: Snapshot, plan: ScalePlan, ctx: Parameters<typeof instanceManifest>[0] | undefined, tally: Tally): Promise<void> {
  // Named in plan order (the result lists them so); only a scale that converged returns them.
  for (const name of plan.remove) tally.deleted.add(name);
  if (ctx) for (const index of plan.create) tally.created.add(instanceName(index));
  const byName = new Map(snapshot.all.map((o) => [o.metadata.name, o]));
  await mapBounded(plan.remove, async (name) => {
    const object = byName.get(name);
    // A 409 here means the name now belongs to another object (uid precondition): the next round decides.
    await withRetries(() => client.delete(refOfKind(object?.kind ?? 'Pod'), namespace, name, { uid: object?.metadata.uid, signal: tally.signal }), { signal: tally.signal }).catch(ignore('notFound', 'conflict'));
    tally.tick();
  }, { limit: tally.concurrency, signal: tally.signal });
  if (!ctx) return;
  await mapBounded(plan.create, async (index) => {
    const manifest = instanceManifest(ctx, index);
    await withRetries(() => createReplacingTerminating(client, manifest, tally.signal), { signal: tally.signal });
    tally.tick();
  }, { limit: tally.concurrency, signal: tally.signal });
}

function ignore(...kinds: ('notFound' | 'conflict')[]): (error: unknown) => void {
  return (error) => {
    if (error instanceof ApiError && ((kinds.includes('notFound') && error.isNotFound) || (kinds.includes('conflict') && error.isConflict))) return;
    throw error;
  };
}
