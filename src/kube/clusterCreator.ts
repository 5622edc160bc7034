// Creating a CMP cluster: refuse names that are taken, dry-run, write the namespace, the guard
// rails, then the instances with bounded concurrency; on any failure or cancel, delete what this
// create made (its namespace, by uid) so nothing half-made stays behind.

import { storedSpecOf, type ClusterSpec } from '../core/clusterSpec';
import { CancelledError, mapBounded } from '../core/concurrency';
import { resources, type KubeObject } from '../core/kubeTypes';
import { guardRailManifests, guardRailNames, instanceManifest, namespaceManifest } from '../core/manifests';
import { isManaged, namespaceFor } from '../core/names';
import { ApiError, describeError } from './apiError';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { waitForQuotaStatus, waitUntilExists, waitUntilGone } from './waits';

export type CreatePhase = 'checking' | 'namespace' | 'guard-rails' | 'instances' | 'rolling-back' | 'done';

export interface CreateProgress {
  phase: CreatePhase;
  done: number;
  total: number;
}

export interface CreateOptions {
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: CreateProgress) => void;
  onLog?: (message: string) => void;
}

export class CreateClusterError extends Error {
  constructor(message: string, readonly rolledBack: boolean, readonly field?: 'name') {
    super(message);
    this.name = 'CreateClusterError';
  }
}

export type NamespaceAvailability = 'free' | 'cmp-cluster' | 'foreign' | 'unknown';

/** Whether a cluster name can be used: its namespace must not exist yet. */
export async function namespaceAvailability(client: KubeClient, name: string, signal?: AbortSignal): Promise<NamespaceAvailability> {
  try {
    const existing = await client.get(resources.namespaces, undefined, namespaceFor(name), signal);
    return isManaged(existing.metadata.labels) ? 'cmp-cluster' : 'foreign';
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) return 'free';
    if (error instanceof ApiError && error.isForbidden) return 'unknown';
    throw error;
  }
}

export function takenNameMessage(name: string, availability: NamespaceAvailability): string | undefined {
  const namespace = namespaceFor(name);
  if (availability === 'cmp-cluster') return `Cluster "${name}" already exists (namespace ${namespace}).`;
  if (availability === 'foreign') return `Namespace ${namespace} already exists and is not managed by CMP; choose another name.`;
  return undefined;
}

export async function createCluster(client: KubeClient, spec: ClusterSpec, options: CreateOptions): Promise<KubeObject> {
  const { signal } = options;
  const total = spec.count;
  const progress = (phase: CreatePhase, done = 0) => options.onProgress?.({ phase, done, total });
  progress('checking');
  const namespaceObject = namespaceManifest(spec);
  // Both reads at once (one round trip, not two); a taken name still wins over the dry run's error.
  const [availability, dryRun] = await Promise.allSettled([namespaceAvailability(client, spec.name, signal), client.create(namespaceObject, { dryRun: true, signal })]);
  if (availability.status === 'rejected') throw availability.reason;
  const taken = takenNameMessage(spec.name, availability.value);
  if (taken) throw new CreateClusterError(taken, false, 'name');
  if (dryRun.status === 'rejected') throw dryRun.reason;
  if (signal?.aborted) throw new CancelledError();

  progress('namespace');
  // Not cancellable by itself: an aborted POST may still create the namespace on the server, and
  // only once we hold its uid can we roll it back. A cancel takes effect right after.
  const created = await client.create(namespaceObject);
  try {
    if (signal?.aborted) throw new CancelledError();
    const guardRails = guardRailManifests(spec);
    progress('guard-rails');
    await Promise.all(guardRails.map((o) => client.create(o, { dryRun: true, signal })));
    await Promise.all(guardRails.map((o) => client.create(o, { signal })));
    const namespace = created.metadata.name;
    // Pods run as cluster-sa (made above) or as "default", which the controller-manager adds to a new
    // namespace a moment after it exists; admission refuses pods until it is there, and until the
    // quota controller has filled in the quota's status. The two waits are independent: run them at once.
    const serviceAccount = spec.isolation.serviceAccount ? guardRailNames.serviceAccount : 'default';
    const [quotaReady, accountReady] = await Promise.all([
      !spec.isolation.resourceQuota || waitForQuotaStatus(client, resources.resourceQuotas, namespace, guardRailNames.resourceQuota, 15_000, signal),
      spec.instanceType !== 'container' || waitUntilExists(client, resources.serviceAccounts, namespace, serviceAccount, 15_000, signal),
    ]);
    if (!quotaReady) throw new Error('The quota controller did not fill in the new ResourceQuota\'s status within 15 s, so pods would be refused.');
    if (!accountReady) throw new Error(`The service account ${serviceAccount} did not appear in ${namespace} within 15 s, so pods would be refused.`);
    const ctx = { namespace, cluster: spec.name, spec: storedSpecOf(spec), serviceAccount: spec.isolation.serviceAccount };
    const instances = Array.from({ length: spec.count }, (_, i) => instanceManifest(ctx, i));
    // Instances differ only by name, so one dry run checks them all against admission.
    await client.create(instances[0] as KubeObject, { dryRun: true, signal });
    progress('instances', 0);
    // The event goes out with the instances rather than after them: if they fail, the rollback
    // deletes the namespace and the event with it, so it never outlives a create that did not happen.
    const event = recordEvent(client, { namespace: created, reason: 'ClusterCreated', action: 'Create', note: `CMP cluster ${spec.name} created with ${spec.count} ${spec.instanceType} instance(s).` })
      .catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`));
    await mapBounded(instances, (o) => client.create(o, { signal }), { limit: options.concurrency, signal, onProgress: (done) => progress('instances', done) });
    await event;
    progress('done', total);
    return created;
  } catch (error) {
    progress('rolling-back');
    const rolledBack = await rollback(client, created, options);
    const cause = error instanceof CancelledError || signal?.aborted ? 'Cancelled.' : describeError(error);
    const outcome = rolledBack ? `Rolled back: namespace ${created.metadata.name} was deleted.` : `Rollback incomplete: namespace ${created.metadata.name} is still terminating.`;
    throw new CreateClusterError(`${cause} ${outcome}`, rolledBack);
  }
}

/** Deletes the namespace this create made (uid-guarded) and waits for it to go, so a retry can reuse the name. */
async function rollback(client: KubeClient, created: KubeObject, options: CreateOptions): Promise<boolean> {
  const { name, uid } = created.metadata;
  try {
    await client.delete(resources.namespaces, undefined, name, { uid });
  } catch (error) {
    if (!(error instanceof ApiError && error.isNotFound)) {
      options.onLog?.(`rollback of ${name} failed: ${describeError(error)}`);
      return false;
    }
  }
  return waitUntilGone(client, resources.namespaces, undefined, name, 60_000);
}
