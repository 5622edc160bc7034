// Whether an instance that just went away is gone for good: its cluster's namespace deleted (or
// being deleted), or the cluster scaled below it (the stored count no longer includes its index).
// Anything else (a restart, a recreate, Delete Instance before a scale converges) may come back.

import { readStoredSpec } from '../../core/clusterSpec';
import { resources, type KubeObject } from '../../core/kubeTypes';
import { instanceIndexOf, specAnnotation } from '../../core/names';
import type { KubeClient } from '../kubeClient';

/** A sentence saying why the instance will not come back, or undefined when it may. */
export async function goneForGood(client: KubeClient, namespace: string, pod: string): Promise<string | undefined> {
  let ns: KubeObject;
  try {
    ns = await client.get(resources.namespaces, undefined, namespace);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return `the cluster's namespace ${namespace} was deleted`;
    return undefined; // cannot tell (Forbidden, unreachable): keep waiting
  }
  if (ns.metadata.deletionTimestamp) return `the cluster's namespace ${namespace} is being deleted`;
  const index = instanceIndexOf(pod);
  const { spec, countStored } = readStoredSpec(ns.metadata.annotations?.[specAnnotation]);
  if (index !== undefined && spec && countStored && index >= spec.count) return `${pod} was deleted (the cluster was scaled to ${spec.count})`;
  return undefined;
}
