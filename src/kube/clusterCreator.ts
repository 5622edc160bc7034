// Creating a CMP cluster: refuse names that are taken, dry-run, write the namespace, the guard
// rails, then the instances with bounded concurrency; on any failure or cancel, delete what this
// create made (its namespace, by uid) so nothing half-made stays behind. A passing fault (a cut
// connection, a 503) is retried; a namespace POST whose answer was lost is found again by the
// create's own token, so it is either used or rolled back, never left behind.

import { randomUUID } from 'node:crypto';
import { storedSpecOf, type ClusterSpec } from '../core/clusterSpec';
import { CancelledError, mapBounded } from '../core/concurrency';
import { resources, type KubeObject } from '../core/kubeTypes';
import { guardRailManifests, guardRailNames, instanceManifest, namespaceManifest } from '../core/manifests';
import { clusterNameOf, isManaged, namespaceFor } from '../core/names';
import { ApiError, describeError } from './apiError';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { isTransient, withRetries } from './transient';
import { waitForQuotaInForce, waitUntilExists, waitUntilGone } from './waits';

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

/** The annotation that marks a namespace as made by one particular create (the token is random per create). */
export const createTokenAnnotation = 'cmp.io/create-request';

export async function createCluster(client: KubeClient, spec: ClusterSpec, options: CreateOptions): Promise<KubeObject> {
  const { signal } = options;
  const total = spec.count;
  const progress = (phase: CreatePhase, done = 0) => options.onProgress?.({ phase, done, total });
  progress('checking');
  const token = randomUUID();
  const planned = namespaceManifest(spec);
  const namespaceObject: KubeObject = { ...planned, metadata: { ...planned.metadata, annotations: { ...planned.metadata.annotations, [createTokenAnnotation]: token } } };
  // Both reads at once (one round trip, not two); a taken name still wins over the dry run's error.
  const [availability, dryRun] = await Promise.allSettled([
    withRetries(() => namespaceAvailability(client, spec.name, signal), { signal }),
    withRetries(() => client.create(namespaceObject, { dryRun: true, signal }), { signal }),
  ]);
  if (availability.status === 'rejected') throw availability.reason;
  const taken = takenNameMessage(spec.name, availability.value);
  if (taken) throw new CreateClusterError(taken, false, 'name');
  if (dryRun.status === 'rejected') throw dryRun.reason;
  if (signal?.aborted) throw new CancelledError();

  progress('namespace');
  // Not cancellable by itself: an aborted POST may still create the namespace on the server, and
  // only once we hold its uid can we roll it back. A cancel takes effect right after.
  const created = await createOwnNamespace(client, namespaceObject, token);
  try {
    if (signal?.aborted) throw new CancelledError();
    const guardRails = guardRailManifests(spec);
    progress('guard-rails');
    await Promise.all(guardRails.map((o) => withRetries(() => client.create(o, { dryRun: true, signal }), { signal })));
    await Promise.all(guardRails.map((o) => createInOwnNamespace(client, o, signal)));
    const namespace = created.metadata.name;
    // Pods run as cluster-sa (made above) or as "default", which the controller-manager adds to a new
    // namespace a moment after it exists; admission refuses pods until it is there, and until the
    // quota controller has filled in the quota's status. The two waits are independent: run them at once.
    const serviceAccount = spec.isolation.serviceAccount ? guardRailNames.serviceAccount : 'default';
    const [quotaReady, accountReady] = await Promise.all([
      !spec.isolation.resourceQuota || waitForQuotaInForce(client, namespace, guardRailNames.resourceQuota, 15_000, signal),
      spec.instanceType !== 'container' || waitUntilExists(client, resources.serviceAccounts, namespace, serviceAccount, 15_000, signal),
    ]);
    if (signal?.aborted) throw new CancelledError();
    if (!quotaReady) throw new Error('The quota controller did not fill in the new ResourceQuota\'s status within 15 s, so pods would be refused.');
    if (!accountReady) throw new Error(`The service account ${serviceAccount} did not appear in ${namespace} within 15 s, so pods would be refused.`);
    const ctx = { namespace, cluster: spec.name, spec: storedSpecOf(spec), serviceAccount: spec.isolation.serviceAccount };
    const instances = Array.from({ length: spec.count }, (_, i) => instanceManifest(ctx, i));
    // Instances differ only by name, so one dry run checks them all against admission.
    await withRetries(() => client.create(instances[0] as KubeObject, { dryRun: true, signal }), { signal });
    progress('instances', 0);
    // The event goes out with the instances rather than after them: if they fail, the rollback
    // deletes the namespace and the event with it, so it never outlives a create that did not happen.
    const event = recordEvent(client, { namespace: created, reason: 'ClusterCreated', action: 'Create', note: `CMP cluster ${spec.name} created with ${spec.count} ${spec.instanceType} instance(s).` })
      .catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`));
    await mapBounded(instances, (o) => createInOwnNamespace(client, o, signal), { limit: options.concurrency, signal, onProgress: (done) => progress('instances', done) });
    await event;
    progress('done', total);
    return created;
  } catch (error) {
    progress('rolling-back');
    const outcome = await rollback(client, created, options);
    const cause = error instanceof CancelledError || signal?.aborted ? 'Cancelled.' : describeError(error);
    throw new CreateClusterError(`${cause} ${rollbackMessage(created.metadata.name, outcome)}`, outcome.kind === 'deleted');
  }
}

/**
 * POSTs the namespace. When the answer is lost (the connection cut after the server acted, a
 * 503 from a front), the namespace is looked for: one carrying this create's token is ours and is
 * used; none means the POST did not happen, and it is sent again.
 */
async function createOwnNamespace(client: KubeClient, object: KubeObject, token: string): Promise<KubeObject> {
  const name = object.metadata.name;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.create(object);
    } catch (error) {
      if (!isTransient(error) && !(attempt > 0 && error instanceof ApiError && error.isConflict)) throw error;
      const found = await findNamespace(client, name);
      if (found?.metadata.annotations?.[createTokenAnnotation] === token) return found;
      if (found) throw new CreateClusterError(takenNameMessage(clusterNameOf({ name, labels: found.metadata.labels }), isManaged(found.metadata.labels) ? 'cmp-cluster' : 'foreign') ?? `Namespace ${name} exists.`, false, 'name');
      if (attempt >= 8) throw error;
    }
  }
}

/** The namespace, or undefined when it does not exist; read through passing faults for up to a minute. */
async function findNamespace(client: KubeClient, name: string): Promise<KubeObject | undefined> {
  return withRetries(async () => {
    try {
      return await client.get(resources.namespaces, undefined, name);
    } catch (error) {
      if (error instanceof ApiError && error.isNotFound) return undefined;
      throw error;
    }
  }, { budgetMs: 60_000 });
}

/** A create inside the namespace this create made: sent again after a passing fault; a 409 then means the first one landed. */
async function createInOwnNamespace(client: KubeClient, object: KubeObject, signal?: AbortSignal): Promise<void> {
  await withRetries(async (attempt) => {
    try {
      await client.create(object, { signal });
    } catch (error) {
      if (attempt > 0 && error instanceof ApiError && error.isConflict) return;
      throw error;
    }
  }, { signal });
}

type RollbackOutcome = { kind: 'deleted' } | { kind: 'terminating' } | { kind: 'failed'; reason: string } | { kind: 'unconfirmed'; reason: string };

function rollbackMessage(namespace: string, outcome: RollbackOutcome): string {
  switch (outcome.kind) {
    case 'deleted':
      return `Rolled back: namespace ${namespace} was deleted.`;
    case 'terminating':
      return `Rollback incomplete: namespace ${namespace} is still terminating.`;
    case 'unconfirmed':
      return `Rollback sent: namespace ${namespace} is being deleted, but whether it is gone could not be checked (${outcome.reason}).`;
    case 'failed':
      return `Rollback failed: namespace ${namespace} could not be deleted (${outcome.reason}); delete it with \`kubectl delete namespace ${namespace}\`.`;
  }
}

/**
 * Deletes the namespace this create made (uid-guarded) and waits for it to go, so a retry can reuse
 * the name. Whatever goes wrong here is its outcome, never an error that hides the create's own.
 */
async function rollback(client: KubeClient, created: KubeObject, options: CreateOptions): Promise<RollbackOutcome> {
  const { name, uid } = created.metadata;
  try {
    await withRetries(async (attempt) => {
      try {
        await client.delete(resources.namespaces, undefined, name, { uid });
      } catch (error) {
        // Gone already, or (on a retry) the first delete landed and it is terminating.
        if (error instanceof ApiError && (error.isNotFound || (attempt > 0 && error.isConflict))) return;
        throw error;
      }
    }, { budgetMs: 60_000 });
  } catch (error) {
    options.onLog?.(`rollback of ${name} failed: ${describeError(error)}`);
    return { kind: 'failed', reason: describeError(error) };
  }
  try {
    return (await waitUntilGone(client, resources.namespaces, undefined, name, 60_000)) ? { kind: 'deleted' } : { kind: 'terminating' };
  } catch (error) {
    options.onLog?.(`waiting for ${name} to go after the rollback: ${describeError(error)}`);
    return { kind: 'unconfirmed', reason: describeError(error) };
  }
}
