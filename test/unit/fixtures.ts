// Shared inputs for the core unit tests: a valid create form, a cluster spec, and the Kubernetes
// objects the views read, each built from only the fields a test cares about.
import type { ClusterSpec } from '../../src/core/clusterSpec';
import type { KubeObject, ObjectMeta } from '../../src/core/kubeTypes';
import type { ClusterFormInput } from '../../src/core/validation';

/** A form that validates cleanly under the default limits: 3 × (2 cores, 4 GiB), quota 6/12. */
export function formInput(overrides: Partial<ClusterFormInput> = {}): ClusterFormInput {
  return {
    name: 'my-app',
    instanceType: 'container',
    image: 'nginx:1.27',
    cpu: '2',
    memoryGiB: '4',
    count: '3',
    resourceQuota: true,
    quotaCpu: '6',
    quotaMemoryGiB: '12',
    limitRange: true,
    networkPolicy: true,
    serviceAccount: true,
    labels: 'team=web',
    ...overrides,
  };
}

/** 3 × (1.5 cores, 1.5 GiB) with every guard rail on, so quantities come out as 1500m and 1536Mi. */
export function clusterSpec(overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return {
    name: 'my-app',
    instanceType: 'container',
    image: 'nginx:1.27',
    cpu: 1.5,
    memoryGiB: 1.5,
    count: 3,
    isolation: { resourceQuota: true, quotaCpu: 4.5, quotaMemoryGiB: 4.5, limitRange: true, networkPolicy: true, serviceAccount: true },
    labels: { team: 'web' },
    ...overrides,
  };
}

export function pod(name: string, status?: unknown, meta: Partial<ObjectMeta> = {}, spec: unknown = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'my-app-ns', ...meta }, spec, status };
}

export function virtualMachine(name: string, status?: unknown, meta: Partial<ObjectMeta> = {}, spec: unknown = {}): KubeObject {
  return { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name, namespace: 'my-app-ns', ...meta }, spec, status };
}

/** A pod that is Running with its Ready condition True. */
export function readyPod(name: string, meta: Partial<ObjectMeta> = {}, spec: unknown = {}): KubeObject {
  return pod(name, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, meta, spec);
}

export function namespaceObject(name: string, meta: Partial<ObjectMeta> = {}, status?: unknown): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...meta }, status };
}
