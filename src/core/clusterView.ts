// What the tree shows about a cluster and its instances, computed from the raw objects: per-instance
// state, cluster health and the one-line description. Pure, so every rule has a unit test.

import { parseStoredSpec, type StoredSpec } from './clusterSpec';
import { specFromInstanceFallback } from './storedSpecSource';
import type { KubeObject } from './kubeTypes';
import { clusterNameOf, instanceIndexOf, specAnnotation } from './names';
import { formatNumber } from './quantities';

export type InstanceState = 'running' | 'pending' | 'failed' | 'terminating' | 'stopped' | 'unknown';
export type Health = 'ready' | 'progressing' | 'failing' | 'terminating';

export interface InstanceView {
  name: string;
  uid?: string;
  index: number;
  kind: 'Pod' | 'VirtualMachine';
  state: InstanceState;
  phase: string;
  ready: boolean;
  restarts: number;
  node?: string;
  ip?: string;
  createdAt?: string;
  /** Why it is not running, when the object says (e.g. CrashLoopBackOff, ImagePullBackOff). */
  reason?: string;
}

export interface ClusterView {
  name: string;
  namespace: string;
  uid?: string;
  labels: Record<string, string>;
  createdAt?: string;
  terminating: boolean;
  spec?: StoredSpec;
  /** True when sizes were read off an instance because the namespace has no stored spec. */
  specDerived: boolean;
  instances: InstanceView[];
  health: Health;
  readyCount: number;
}

interface PodStatus {
  phase?: string;
  podIP?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
}

const failingReasons = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError', 'InvalidImageName', 'RunContainerError', 'Error', 'OOMKilled']);

export function podView(pod: KubeObject): InstanceView | undefined {
  const index = instanceIndexOf(pod.metadata.name);
  if (index === undefined) return undefined;
  const status = (pod.status ?? {}) as PodStatus;
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  const containers = status.containerStatuses ?? [];
  const restarts = containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const reason = containers.map((c) => c.state?.waiting?.reason ?? c.state?.terminated?.reason).find((r) => r !== undefined);
  const readyCondition = status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const phase = status.phase ?? 'Pending';
  let state: InstanceState;
  if (pod.metadata.deletionTimestamp) state = 'terminating';
  else if (phase === 'Failed' || (reason !== undefined && failingReasons.has(reason))) state = 'failed';
  else if (phase === 'Running' && readyCondition) state = 'running';
  else if (phase === 'Succeeded') state = 'stopped';
  else if (phase === 'Unknown') state = 'unknown';
  else state = 'pending';
  return {
    name: pod.metadata.name,
    uid: pod.metadata.uid,
    index,
    kind: 'Pod',
    state,
    phase: pod.metadata.deletionTimestamp ? 'Terminating' : phase,
    ready: readyCondition && !pod.metadata.deletionTimestamp,
    restarts,
    node: spec.nodeName,
    ip: status.podIP,
    createdAt: pod.metadata.creationTimestamp,
    reason,
  };
}

export function virtualMachineView(vm: KubeObject): InstanceView | undefined {
  const index = instanceIndexOf(vm.metadata.name);
  if (index === undefined) return undefined;
  const status = (vm.status ?? {}) as { ready?: boolean; printableStatus?: string };
  const printable = status.printableStatus ?? 'Provisioning';
  let state: InstanceState;
  if (vm.metadata.deletionTimestamp) state = 'terminating';
  else if (status.ready) state = 'running';
  else if (printable === 'Stopped' || printable === 'Paused') state = 'stopped';
  // KubeVirt's failure statuses: ErrorUnschedulable, ErrImagePull, ImagePullBackOff, CrashLoopBackOff, DataVolumeError…
  else if (/Err|Fail|Crash|Unschedulable|BackOff/.test(printable)) state = 'failed';
  else if (printable === 'Unknown') state = 'unknown';
  else state = 'pending';
  return {
    name: vm.metadata.name,
    uid: vm.metadata.uid,
    index,
    kind: 'VirtualMachine',
    state,
    phase: vm.metadata.deletionTimestamp ? 'Terminating' : printable,
    ready: status.ready === true && !vm.metadata.deletionTimestamp,
    restarts: 0,
    createdAt: vm.metadata.creationTimestamp,
    reason: state === 'failed' ? printable : undefined,
  };
}

export function clusterView(namespace: KubeObject, instanceObjects: readonly KubeObject[]): ClusterView {
  const instances = instanceObjects
    .map((o) => (o.kind === 'VirtualMachine' ? virtualMachineView(o) : podView(o)))
    .filter((v): v is InstanceView => v !== undefined)
    .sort((a, b) => a.index - b.index || a.kind.localeCompare(b.kind));
  const stored = parseStoredSpec(namespace.metadata.annotations?.[specAnnotation]);
  const derived = stored ? undefined : specFromInstanceFallback(instanceObjects, instances.length);
  const phase = (namespace.status as { phase?: string } | undefined)?.phase;
  const terminating = Boolean(namespace.metadata.deletionTimestamp) || phase === 'Terminating';
  const readyCount = instances.filter((i) => i.ready).length;
  const spec = stored ?? derived;
  return {
    name: clusterNameOf({ name: namespace.metadata.name, labels: namespace.metadata.labels }),
    namespace: namespace.metadata.name,
    uid: namespace.metadata.uid,
    labels: namespace.metadata.labels ?? {},
    createdAt: namespace.metadata.creationTimestamp,
    terminating,
    spec,
    specDerived: !stored && derived !== undefined,
    instances,
    health: healthOf(terminating, instances, stored?.count),
    readyCount,
  };
}

function healthOf(terminating: boolean, instances: readonly InstanceView[], desired: number | undefined): Health {
  if (terminating) return 'terminating';
  if (instances.some((i) => i.state === 'failed' || i.state === 'unknown')) return 'failing';
  // Stopped VMs and finished pods are settled, not progressing; without a stored count, any count is right.
  const settled = instances.every((i) => i.ready || i.state === 'stopped');
  const countOk = desired === undefined || instances.length === desired;
  return settled && countOk ? 'ready' : 'progressing';
}

/** "3/3 ready · container · 2 CPU · 4 GiB" */
export function clusterDescription(view: ClusterView): string {
  if (view.terminating) return 'Terminating…';
  const total = Math.max(view.instances.length, view.spec?.count ?? 0);
  const parts = [`${view.readyCount}/${total} ready`];
  if (view.spec) {
    parts.push(view.spec.instanceType, `${formatNumber(view.spec.cpu)} CPU`, `${formatNumber(view.spec.memoryGiB)} GiB`);
  }
  return parts.join(' · ');
}

/** "Running · ready · 2 restarts · cmp-node-1 · 10.64.0.3" */
export function instanceDescription(view: InstanceView): string {
  const parts = [view.reason && view.state === 'failed' ? view.reason : view.phase];
  if (view.kind === 'Pod') parts.push(view.ready ? 'ready' : 'not ready');
  if (view.restarts > 0) parts.push(`${view.restarts} restart${view.restarts === 1 ? '' : 's'}`);
  if (view.node) parts.push(view.node);
  if (view.ip) parts.push(view.ip);
  return parts.join(' · ');
}

/** "5m", "3h", "2d": ages as kubectl prints them. */
export function formatAge(createdAt: string | undefined, now: number = Date.now()): string {
  const created = createdAt ? Date.parse(createdAt) : NaN;
  if (Number.isNaN(created)) return '';
  const seconds = Math.max(0, Math.floor((now - created) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}
