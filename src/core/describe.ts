// "CMP: Describe" as data: what a cluster is (namespace, spec, guard rails, quota usage, instances
// with their usage) or what one instance is (summary, usage, recent events, the object itself).
import { formatAge, type ClusterView, type InstanceView } from './clusterView';
import { compareEventRows, type EventRow } from './eventRows';
import type { KubeObject } from './kubeTypes';
import { specAnnotation } from './names';
import { formatCpuUsage, formatMemoryUsage, quotaUsageLine, type PodUsage, type QuotaUsage } from './usage';

type Doc = Record<string, unknown>;

const noisyAnnotations = new Set(['kubectl.kubernetes.io/last-applied-configuration', specAnnotation]);

/** The object without server bookkeeping a reader does not need (managedFields, last-applied). */
export function cleanObject(object: KubeObject): Doc {
  const metadata: Doc = { ...object.metadata };
  delete metadata.managedFields;
  const kept = Object.entries(object.metadata.annotations ?? {}).filter(([key]) => !noisyAnnotations.has(key));
  if (kept.length) metadata.annotations = Object.fromEntries(kept);
  else delete metadata.annotations;
  return { ...object, metadata };
}

function usageOf(usage: readonly PodUsage[] | undefined, name: string): Doc | undefined {
  const row = usage?.find((u) => u.name === name);
  return row ? { cpu: formatCpuUsage(row.cpuCores), memory: formatMemoryUsage(row.memoryBytes) } : undefined;
}

function instanceSummary(view: InstanceView, usage: readonly PodUsage[] | undefined, now: number): Doc {
  return withoutEmpty({
    name: view.name,
    kind: view.kind,
    phase: view.phase,
    ready: view.ready,
    restarts: view.kind === 'Pod' ? view.restarts : undefined,
    reason: view.reason,
    node: view.node,
    ip: view.ip,
    age: formatAge(view.createdAt, now) || undefined,
    usage: usageOf(usage, view.name),
  });
}

/** Guard rails as short entries: kind, name, and the part of the object that says what it enforces. */
function guardRail(object: KubeObject): Doc {
  const body = object as KubeObject & { roleRef?: unknown; subjects?: unknown };
  return withoutEmpty({ kind: object.kind, name: object.metadata.name, spec: object.spec, roleRef: body.roleRef, subjects: body.subjects });
}

export interface ClusterDescribeInput {
  view: ClusterView;
  contextName: string;
  guardRails: readonly KubeObject[];
  quotas: readonly QuotaUsage[];
  /** Present only when the metrics API answered. */
  usage?: readonly PodUsage[];
  now?: number;
}

export function clusterDescribeDocument(input: ClusterDescribeInput): Doc {
  const { view } = input;
  const now = input.now ?? Date.now();
  const total = Math.max(view.instances.length, view.spec?.count ?? 0);
  return withoutEmpty({
    cluster: view.name,
    namespace: view.namespace,
    context: input.contextName,
    status: withoutEmpty({ health: view.health, ready: `${view.readyCount}/${total}`, terminating: view.terminating || undefined, age: formatAge(view.createdAt, now) || undefined, created: view.createdAt }),
    spec: view.spec ? withoutEmpty({ ...view.spec, image: view.spec.image || undefined, derivedFromInstance: view.specDerived || undefined }) : undefined,
    labels: view.labels,
    guardRails: input.guardRails.map(guardRail),
    quotaUsage: input.quotas.length ? input.quotas.map(quotaUsageLine) : undefined,
    instances: view.instances.map((i) => instanceSummary(i, input.usage, now)),
  });
}

export interface InstanceDescribeInput {
  object: KubeObject;
  view?: InstanceView;
  cluster: string;
  contextName: string;
  usage?: readonly PodUsage[];
  events: readonly EventRow[];
  now?: number;
}

export function instanceDescribeDocument(input: InstanceDescribeInput): Doc {
  const now = input.now ?? Date.now();
  const events = [...input.events].sort(compareEventRows).reverse().map((e) => withoutEmpty({
    lastSeen: e.lastSeen, age: formatAge(e.lastSeen, now) || undefined, type: e.type, reason: e.reason, count: e.count > 1 ? e.count : undefined, message: e.message, from: e.source || undefined,
  }));
  return withoutEmpty({
    instance: input.object.metadata.name,
    cluster: input.cluster,
    namespace: input.object.metadata.namespace,
    context: input.contextName,
    summary: input.view ? instanceSummary(input.view, input.usage, now) : undefined,
    events: events.length ? events : 'none',
    object: cleanObject(input.object),
  });
}

/** Drops undefined values, so the YAML has no "key: null" noise. */
function withoutEmpty(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, value]) => value !== undefined));
}
