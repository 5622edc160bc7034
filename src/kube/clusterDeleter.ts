// Deleting a CMP cluster: re-read the namespace, refuse anything without managed-by=cmp, delete with
// uid and resourceVersion preconditions (so neither a namespace recreated under the same name nor
// one whose labels changed since the check is hit: a change means read and check again), and
// explain a namespace stuck in Terminating; force-finalizing is a separate, explicit call.

import { refOfKind, resources, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { clusterNameOf, instanceIndexOf } from '../core/names';
import { ApiError, describeError } from './apiError';
import { recordEvent } from './eventRecorder';
import type { KubeClient } from './kubeClient';
import { NoSuchClusterError, NotManagedError, provedUnchanged, readManagedNamespace } from './ownership';
import { StaleClusterError } from './staleCluster';
import { withRetries } from './transient';

export async function deleteCluster(client: KubeClient, namespace: string, options: { expectedUid?: string; onLog?: (message: string) => void } = {}): Promise<KubeObject> {
  let live = await withRetries(() => readManagedNamespace(client, namespace));
  if (options.expectedUid && live.metadata.uid !== options.expectedUid) throw new StaleClusterError(namespace, 'nothing was deleted');
  await recordEvent(client, {
    namespace: live,
    reason: 'ClusterDeleting',
    action: 'Delete',
    note: `CMP cluster ${clusterNameOf({ name: namespace, labels: live.metadata.labels })} is being deleted.`,
  }).catch((error: unknown) => options.onLog?.(`could not record event: ${describeError(error)}`));
  try {
    for (let check = 1; ; check++) {
      try {
        await deleteOnce(client, resources.namespaces, undefined, namespace, live.metadata.uid, live.metadata.resourceVersion);
        break;
      } catch (error) {
        // The namespace changed since it was checked (labels, annotations): check it again, then delete that version.
        if (!(error instanceof ApiError && error.isConflict) || check >= 3) throw error;
        const again = await withRetries(() => readManagedNamespace(client, namespace));
        if (again.metadata.uid !== live.metadata.uid) throw error;
        live = again;
      }
    }
  } catch (error) {
    // The "being deleted" event is already written (a terminating namespace accepts no new events), so
    // say it failed; but never into a namespace that is no longer ours or no longer the one checked.
    const stillOurs = !(error instanceof NotManagedError || error instanceof NoSuchClusterError || (error instanceof ApiError && error.isConflict));
    if (stillOurs) {
      await recordEvent(client, { namespace: live, reason: 'ClusterDeleteFailed', action: 'Delete', type: 'Warning', note: `Deleting the CMP cluster failed: ${describeError(error)}` })
        .catch(() => undefined);
    }
    if (error instanceof ApiError && error.isConflict) throw new StaleClusterError(namespace, 'nothing was deleted');
    throw error;
  }
  return live;
}

/**
 * A uid-guarded delete, sent again after a passing fault. When a retry is refused (404, or 409 for
 * an object already terminating), the first one may have landed: the object is read, and one gone
 * or terminating under the same uid counts as deleted.
 */
async function deleteOnce(client: KubeClient, ref: ResourceRef, namespace: string | undefined, name: string, uid: string | undefined, resourceVersion?: string): Promise<void> {
  await withRetries(async (attempt) => {
    try {
      await client.delete(ref, namespace, name, { uid, resourceVersion });
    } catch (error) {
      if (attempt === 0 || !(error instanceof ApiError && (error.isNotFound || error.isConflict))) throw error;
      const now = await client.get(ref, namespace, name).catch((e: unknown) => {
        if (e instanceof ApiError && e.isNotFound) return undefined;
        throw e;
      });
      if (now && !(now.metadata.uid === uid && now.metadata.deletionTimestamp)) throw error;
    }
  });
}

/** What Delete Instance acts on: the instance as shown, and the namespace it was shown in (both by uid when known). */
export interface InstanceTarget {
  namespace: string;
  namespaceUid?: string;
  kind: 'Pod' | 'VirtualMachine';
  name: string;
  uid?: string;
}

/**
 * Deletes one instance (Pod or VirtualMachine) of a managed cluster: the namespace must still be
 * the managed one shown (and unchanged since checked), and the delete carries the instance's uid,
 * so an instance made again under the same name since it was shown is left alone.
 */
export async function deleteInstance(client: KubeClient, target: InstanceTarget): Promise<void> {
  if (instanceIndexOf(target.name) === undefined) throw new Error(`${target.name} is not a CMP instance name.`);
  // Checked, then proved unchanged right before the delete: a label removed meanwhile means check again.
  for (let check = 1; ; check++) {
    const live = await withRetries(() => readManagedNamespace(client, target.namespace));
    if (target.namespaceUid && live.metadata.uid !== target.namespaceUid) throw new StaleClusterError(target.namespace, 'nothing was deleted');
    const proof = await withRetries(() => provedUnchanged(client, live));
    if (proof !== 'changed') break;
    if (check >= 3) throw new Error(`Namespace ${target.namespace} keeps changing; nothing was deleted. Try again.`);
  }
  try {
    await deleteOnce(client, refOfKind(target.kind), target.namespace, target.name, target.uid);
  } catch (error) {
    if (error instanceof ApiError && error.isConflict) throw new Error(`${target.name} was replaced since it was shown (its uid changed); nothing was deleted.`, { cause: error });
    throw error;
  }
}

interface NamespaceStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** Why a namespace is still terminating, from its conditions and finalizers, in plain words. */
export function terminationReasons(namespace: KubeObject): string[] {
  const status = (namespace.status ?? {}) as NamespaceStatus;
  const reasons = (status.conditions ?? [])
    .filter((c) => c.status === 'True' && c.message)
    .map((c) => `${c.type}: ${c.message}`);
  const specFinalizers = ((namespace.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
  const finalizers = [...specFinalizers, ...(namespace.metadata.finalizers ?? [])];
  if (finalizers.length > 0) reasons.push(`finalizers: ${finalizers.join(', ')}`);
  return reasons.length > 0 ? reasons : ['no condition explains it yet; the namespace controller may be busy or not running'];
}

/**
 * Clears the namespace's finalizers through the finalize subresource. Only for a namespace already
 * terminating and still ours; the caller asks the user twice before calling this.
 */
export async function forceFinalize(client: KubeClient, namespace: string, expectedUid: string): Promise<void> {
  const live = await readManagedNamespace(client, namespace);
  if (live.metadata.uid !== expectedUid) throw new StaleClusterError(namespace, 'nothing was deleted');
  if (!live.metadata.deletionTimestamp) throw new Error(`Namespace ${namespace} is not terminating; delete it first.`);
  await client.transport.request({
    method: 'PUT',
    path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/finalize`,
    body: { ...live, spec: { ...((live.spec ?? {}) as object), finalizers: [] } },
    timeoutMs: 30_000,
  });
}
