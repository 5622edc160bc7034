// The exact objects a CMP cluster is made of, from its spec: the namespace (labels + stored spec),
// the guard rails, and one Pod or VirtualMachine per instance. Pure: what Preview shows is what we send.

import { serializeStoredSpec, storedSpecOf, type ClusterSpec, type StoredSpec } from './clusterSpec';
import type { KubeObject } from './kubeTypes';
import {
  clusterLabel, clusterNamespaceLabel, instanceIndexLabel, instanceName, managedByLabel, managedByValue, namespaceFor, specAnnotation,
} from './names';
import { formatCpu, formatMemoryGiB } from './quantities';

export const guardRailNames = {
  resourceQuota: 'cluster-quota',
  limitRange: 'resource-limits',
  networkPolicy: 'deny-from-other-namespaces',
  serviceAccount: 'cluster-sa',
  roleBinding: 'cluster-admin',
} as const;

function ownedLabels(cluster: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, [clusterLabel]: cluster };
}

export function namespaceManifest(spec: ClusterSpec): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespaceFor(spec.name),
      labels: { ...spec.labels, ...ownedLabels(spec.name), [clusterNamespaceLabel]: 'true' },
      annotations: { [specAnnotation]: serializeStoredSpec(storedSpecOf(spec)) },
    },
  };
}

/** Guard rails in the order they are created: quota and limits first, so instances are checked. */
export function guardRailManifests(spec: ClusterSpec): KubeObject[] {
  const namespace = namespaceFor(spec.name);
  const meta = (name: string) => ({ name, namespace, labels: ownedLabels(spec.name) });
  const { isolation } = spec;
  const objects: KubeObject[] = [];
  if (isolation.resourceQuota) {
    const hard: Record<string, string> = {};
    if (isolation.quotaCpu !== undefined) hard['requests.cpu'] = hard['limits.cpu'] = formatCpu(isolation.quotaCpu);
    if (isolation.quotaMemoryGiB !== undefined) hard['requests.memory'] = hard['limits.memory'] = formatMemoryGiB(isolation.quotaMemoryGiB);
    objects.push({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta(guardRailNames.resourceQuota), spec: { hard } });
  }
  if (isolation.limitRange) {
    const cpu = formatCpu(spec.cpu);
    const memory = formatMemoryGiB(spec.memoryGiB);
    objects.push({
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta(guardRailNames.limitRange),
      spec: {
        limits: [{
          type: 'Container',
          max: { cpu, memory },
          min: { cpu: formatCpu(Math.min(0.1, spec.cpu)), memory: formatMemoryGiB(Math.min(0.125, spec.memoryGiB)) },
          default: { cpu, memory },
          defaultRequest: { cpu, memory },
        }],
      },
    });
  }
  if (isolation.networkPolicy) {
    objects.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta(guardRailNames.networkPolicy),
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    });
  }
  if (isolation.serviceAccount) {
    objects.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(guardRailNames.serviceAccount) });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(guardRailNames.roleBinding),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ kind: 'ServiceAccount', name: guardRailNames.serviceAccount, namespace }],
    } as KubeObject);
  }
  return objects;
}

export interface InstanceContext {
  /** The namespace the instance goes to: the one read and checked, never one derived from a label. */
  namespace: string;
  /** The value of the instances' cluster label. */
  cluster: string;
  spec: StoredSpec;
  /** Whether the cluster has its own ServiceAccount to run instances as. */
  serviceAccount: boolean;
}

export function instanceManifest(ctx: InstanceContext, index: number): KubeObject {
  const name = instanceName(index);
  const { namespace } = ctx;
  const labels = { ...ownedLabels(ctx.cluster), [instanceIndexLabel]: String(index) };
  const cpu = formatCpu(ctx.spec.cpu);
  const memory = formatMemoryGiB(ctx.spec.memoryGiB);
  if (ctx.spec.instanceType === 'vm') {
    return {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name, namespace, labels },
      spec: {
        running: true,
        template: {
          metadata: { labels },
          spec: {
            domain: {
              cpu: { cores: Math.max(1, Math.round(ctx.spec.cpu)) },
              resources: { requests: { cpu, memory }, limits: { cpu, memory } },
              devices: {},
            },
          },
        },
      },
    };
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      ...(ctx.serviceAccount ? { serviceAccountName: guardRailNames.serviceAccount } : {}),
      automountServiceAccountToken: false,
      restartPolicy: 'Always',
      containers: [{
        name: 'instance',
        image: ctx.spec.image,
        resources: { requests: { cpu, memory }, limits: { cpu, memory } },
      }],
    },
  };
}

/** Every object of a new cluster, in write order: namespace, guard rails, instances. */
export function clusterManifests(spec: ClusterSpec): KubeObject[] {
  const ctx: InstanceContext = { namespace: namespaceFor(spec.name), cluster: spec.name, spec: storedSpecOf(spec), serviceAccount: spec.isolation.serviceAccount };
  return [
    namespaceManifest(spec),
    ...guardRailManifests(spec),
    ...Array.from({ length: spec.count }, (_, i) => instanceManifest(ctx, i)),
  ];
}
