// Editing a live CMP cluster against the API: read it (the namespace checked as ours, by uid), review
// an edited spec (each change dry-run on the server, its diff the live object against what the
// server would store), then apply exactly the reviewed changes, namespace first, each guarded by the
// resourceVersion it was reviewed at; a conflict means someone changed the cluster meanwhile.

import { createTwoFilesPatch } from 'diff';
import { editChanges, foreignObjects, guardRailKeys, guardRailRefs, quotaBelowUsage, type LiveCluster, type ObjectChange } from '../core/clusterEdit';
import { parseStoredSpec, type ClusterSpec } from '../core/clusterSpec';
import { mapBounded } from '../core/concurrency';
import { refOfKind, type KubeObject } from '../core/kubeTypes';
import { guardRailNames } from '../core/manifests';
import { instanceIndexOf, specAnnotation } from '../core/names';
import { specFromInstanceFallback } from '../core/storedSpecSource';
import { ApiError, describeError } from './apiError';
import { clientLibrary } from './clientLibrary';
import { listInstances } from './clusterInstances';
import type { KubeClient } from './kubeClient';
import { provedUnchanged, readManagedNamespace } from './ownership';
import { StaleClusterError } from './staleCluster';
import { waitForQuotaInForce } from './waits';

export interface LiveClusterRead extends LiveCluster {
  /** The quota's status.used, for the form and the below-usage warning. */
  quotaUsed: Record<string, string>;
}

export class EditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditError';
  }
}

/** Someone changed an object between review and apply: the form reloads and keeps the user's input. */
export class EditConflictError extends EditError {
  constructor(readonly object: string) {
    super(`${object} changed on the server since the review: the form has the new live values; your input is kept. Review again.`);
    this.name = 'EditConflictError';
  }
}

export async function readLiveCluster(client: KubeClient, namespace: string, expectedUid: string | undefined, signal?: AbortSignal): Promise<LiveClusterRead> {
  const live = await readManagedNamespace(client, namespace, signal);
  if (expectedUid && live.metadata.uid !== expectedUid) throw new StaleClusterError(namespace, 'nothing was changed');
  if (live.metadata.deletionTimestamp) throw new EditError(`${namespace} is being deleted; it cannot be edited.`);
  const [rails, instances] = await Promise.all([
    Promise.all(guardRailKeys.map(async (key) => [key, await getIfPresent(client, key, namespace, signal)] as const)),
    listInstances(client, namespace, signal),
  ]);
  const running = instances.filter((o) => !o.metadata.deletionTimestamp && instanceIndexOf(o.metadata.name) !== undefined);
  const spec = parseStoredSpec(live.metadata.annotations?.[specAnnotation]) ?? specFromInstanceFallback(running, running.length);
  if (!spec) throw new EditError(`${namespace} has no usable stored spec and no instance to read sizes from; it cannot be edited here.`);
  const guardRails = Object.fromEntries(rails.filter(([, o]) => o !== undefined));
  const quota = guardRails.resourceQuota as (KubeObject & { status?: { used?: Record<string, string> } }) | undefined;
  return { namespace: live, guardRails, instances: running, spec, quotaUsed: quota?.status?.used ?? {} };
}

async function getIfPresent(client: KubeClient, key: (typeof guardRailKeys)[number], namespace: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  try {
    return await client.get(guardRailRefs[key], namespace, guardRailNames[key], signal);
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return undefined;
    throw error;
  }
}

export interface ReviewedChange {
  change: ObjectChange;
  /** Unified diff of the live object and the dry run's answer (creates diff against nothing). */
  diff: string;
}

export interface EditReview {
  changes: ReviewedChange[];
  warnings: string[];
}

/** Dry-runs every change; ones the server would store unchanged drop out. Refuses guard rails CMP does not own. */
export async function reviewEdit(client: KubeClient, live: LiveClusterRead, spec: ClusterSpec, signal?: AbortSignal): Promise<EditReview> {
  const candidates = editChanges(live, spec);
  const foreign = foreignObjects(candidates);
  if (foreign.length) throw new EditError(`${foreign.join(', ')} in ${live.namespace.metadata.name} ${foreign.length === 1 ? 'is' : 'are'} not labelled managed-by=cmp; CMP will not change ${foreign.length === 1 ? 'it' : 'them'}.`);
  const reviewed = await Promise.all(candidates.map(async (change): Promise<ReviewedChange | undefined> => {
    const after = await write(client, change, true, signal);
    const before = change.action === 'create' ? '' : shownYaml(change.live);
    const afterText = change.action === 'delete' ? '' : shownYaml(after ?? {});
    if (before === afterText) return undefined;
    const title = `${change.kind} ${change.name}`;
    return { change, diff: createTwoFilesPatch(`live ${title}`, `after ${title}`, before, afterText, undefined, undefined, { context: 3 }) };
  }));
  return { changes: reviewed.filter((r): r is ReviewedChange => r !== undefined), warnings: quotaBelowUsage(spec, live.quotaUsed) };
}

/**
 * Writes the reviewed changes: the namespace first (or proves it unchanged: a guarded no-op patch,
 * or, for a user who may not patch namespaces, a fresh read of the same uid and resourceVersion),
 * then the guard rails. `onWritten` counts each write that landed.
 */
export async function applyEdit(client: KubeClient, live: LiveClusterRead, changes: readonly ObjectChange[], options: { concurrency: number; signal?: AbortSignal; onWritten?: () => void }): Promise<void> {
  const namespaceChange = changes.find((c) => c.kind === 'Namespace');
  const written = <T>(work: Promise<T>) => work.then((value) => (options.onWritten?.(), value));
  if (namespaceChange) await written(guarded(write(client, namespaceChange, false, options.signal), namespaceChange));
  else await provedNamespace(client, live.namespace, options.signal);
  const rest = changes.filter((c) => c.kind !== 'Namespace');
  await mapBounded(rest, (change) => written(guarded(write(client, change, false, options.signal), change)), { limit: options.concurrency, signal: options.signal });
  if (!rest.some((c) => c.kind === 'ResourceQuota' && c.action !== 'delete')) return;
  // A scale right after the edit would otherwise be refused by the old limits.
  const namespace = live.namespace.metadata.name;
  if (!(await waitForQuotaInForce(client, namespace, guardRailNames.resourceQuota, 30_000, options.signal))) {
    throw new EditError(`The quota of ${namespace} was changed, but the quota controller has not put the new limits in force within 30 s; new instances may still be refused by the old ones.`);
  }
}

async function provedNamespace(client: KubeClient, namespace: KubeObject, signal?: AbortSignal): Promise<void> {
  const proof = await provedUnchanged(client, namespace, signal);
  if (proof === 'changed') throw new EditConflictError(`Namespace ${namespace.metadata.name}`);
  if (proof === 'unchanged') return;
  const now = await readManagedNamespace(client, namespace.metadata.name, signal);
  if (now.metadata.uid !== namespace.metadata.uid || now.metadata.resourceVersion !== namespace.metadata.resourceVersion) throw new EditConflictError(`Namespace ${namespace.metadata.name}`);
}

async function guarded<T>(work: Promise<T>, change: ObjectChange): Promise<T> {
  try {
    return await work;
  } catch (error) {
    // 409 on a guarded write, 404 on a patch or delete, AlreadyExists on a create: the object moved on.
    if (error instanceof ApiError && (error.isConflict || (error.isNotFound && change.action !== 'create'))) throw new EditConflictError(`${change.kind} ${change.name}`);
    throw new EditError(`${change.action} ${change.kind} ${change.name}: ${describeError(error)}`);
  }
}

async function write(client: KubeClient, change: ObjectChange, dryRun: boolean, signal?: AbortSignal): Promise<KubeObject | undefined> {
  switch (change.action) {
    case 'create':
      return client.create(change.manifest, { dryRun, signal });
    case 'update':
      return client.mergePatch(refOfKind(change.kind), change.live.metadata.namespace, change.name, change.patch, signal, dryRun);
    case 'delete':
      await client.delete(refOfKind(change.kind), change.live.metadata.namespace, change.name, { uid: change.live.metadata.uid, resourceVersion: change.live.metadata.resourceVersion, signal, dryRun });
      return undefined;
  }
}

/** An object as the diff shows it: without the fields the server keeps for itself. */
function shownYaml(object: Partial<KubeObject>): string {
  const serverKept = new Set(['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation']);
  const metadata = Object.fromEntries(Object.entries(object.metadata ?? {}).filter(([key]) => !serverKept.has(key)));
  const shown: Record<string, unknown> = { ...object, metadata };
  delete shown.status;
  return clientLibrary().dumpYaml(shown);
}
