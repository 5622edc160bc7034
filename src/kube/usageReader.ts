// Reads what Describe and the tooltips show besides the cached objects: quota usage, the guard rails,
// an instance's events, and CPU/memory from the metrics API, which is optional: without it, nothing.
import { eventRow, type EventRow } from '../core/eventRows';
import { resourcePath, resources, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { podUsages, quotaUsages, type PodUsage, type QuotaUsage } from '../core/usage';
import type { KubeClient } from './kubeClient';

const metricsBase = '/apis/metrics.k8s.io/v1beta1';

/** Per-pod CPU and memory, or undefined when the metrics API does not answer (404, 503, 403, …). */
export async function readPodUsage(client: KubeClient, namespace: string, pod?: string, signal?: AbortSignal): Promise<PodUsage[] | undefined> {
  const path = `${metricsBase}/namespaces/${encodeURIComponent(namespace)}/pods${pod === undefined ? '' : `/${encodeURIComponent(pod)}`}`;
  try {
    return podUsages(await client.transport.request<unknown>({ method: 'GET', path, signal, timeoutMs: 5_000 }));
  } catch {
    // Metrics are a bonus: no metrics-server, no right to read it, or it is slow: show nothing.
    return undefined;
  }
}

/** used/hard of every ResourceQuota in the namespace; empty when there are none or they cannot be read. */
export async function readQuotaUsage(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<QuotaUsage[]> {
  try {
    return quotaUsages(await client.list(resources.resourceQuotas, namespace, undefined, signal));
  } catch {
    return [];
  }
}

const guardRailRefs: [string, ResourceRef][] = [
  ['ResourceQuota', resources.resourceQuotas],
  ['LimitRange', resources.limitRanges],
  ['NetworkPolicy', resources.networkPolicies],
  ['ServiceAccount', resources.serviceAccounts],
  ['RoleBinding', resources.roleBindings],
];

/** The namespace's quotas, limit ranges, network policies, service accounts and role bindings. */
export async function readGuardRails(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const lists = await Promise.all(guardRailRefs.map(async ([kind, ref]) => {
    try {
      return (await client.list(ref, namespace, undefined, signal)).map((o) => ({ ...o, kind, apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version }));
    } catch {
      return [];
    }
  }));
  // Every namespace gets a "default" ServiceAccount; it says nothing about the cluster.
  return lists.flat().filter((o) => !(o.kind === 'ServiceAccount' && o.metadata.name === 'default'));
}

/** Events about one object (core/v1 serves them all, whichever API wrote them). */
export async function readObjectEvents(client: KubeClient, namespace: string, kind: string, name: string, signal?: AbortSignal): Promise<EventRow[]> {
  try {
    const list = await client.transport.request<{ items: unknown[] }>({
      method: 'GET',
      path: resourcePath(resources.coreEvents, namespace),
      query: { fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}`, limit: 500 },
      signal,
      timeoutMs: 15_000,
    });
    return list.items.map(eventRow).filter((row): row is EventRow => row !== undefined);
  } catch {
    return [];
  }
}
