// Reading a cluster's instances: its Pods, and its VirtualMachines when the server has KubeVirt's
// CRD. Both carry managed-by=cmp and cluster=<name>.

import { resources, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { managedSelector } from '../core/names';
import { ApiError } from './apiError';
import type { KubeClient } from './kubeClient';

/** The cluster's instances; with metadataOnly, only their metadata (names, labels, deletion), which is quicker. */
export async function listInstances(client: KubeClient, namespace: string, signal?: AbortSignal, metadataOnly = false): Promise<KubeObject[]> {
  const list = (ref: ResourceRef) => (metadataOnly ? client.listMetadata(ref, namespace, managedSelector, signal) : client.list(ref, namespace, managedSelector, signal));
  const pods = list(resources.pods).then((items) => items.map((o) => ({ ...o, kind: 'Pod', apiVersion: 'v1' })));
  const vms = list(resources.virtualMachines)
    .then((items) => items.map((o) => ({ ...o, kind: 'VirtualMachine', apiVersion: 'kubevirt.io/v1' })))
    .catch((error: unknown) => {
      if (error instanceof ApiError && (error.isNotFound || error.isForbidden)) return [];
      throw error;
    });
  const [podList, vmList] = await Promise.all([pods, vms]);
  return [...podList, ...vmList];
}
