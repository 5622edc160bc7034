// Reading a cluster's instances: its Pods, and its VirtualMachines when the server has KubeVirt's
// CRD. Both carry managed-by=cmp and cluster=<name>.

import { resources, type KubeObject } from '../core/kubeTypes';
import { managedSelector } from '../core/names';
import { ApiError } from './apiError';
import type { KubeClient } from './kubeClient';

export async function listInstances(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const pods = client.list(resources.pods, namespace, managedSelector, signal).then((items) => items.map((o) => ({ ...o, kind: 'Pod', apiVersion: 'v1' })));
  const vms = client.list(resources.virtualMachines, namespace, managedSelector, signal)
    .then((items) => items.map((o) => ({ ...o, kind: 'VirtualMachine', apiVersion: 'kubevirt.io/v1' })))
    .catch((error: unknown) => {
      if (error instanceof ApiError && (error.isNotFound || error.isForbidden)) return [];
      throw error;
    });
  const [podList, vmList] = await Promise.all([pods, vms]);
  return [...podList, ...vmList];
}
