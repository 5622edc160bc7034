// Editing a live CMP cluster: the form's values read from its live objects, and what an edited spec
// changes, object by object (create, a JSON merge patch guarded by the live resourceVersion, or a
// delete guarded by uid and resourceVersion). Pure: the kube layer dry-runs and writes these.

import { readStoredSpec, serializeStoredSpec, type ClusterSpec, type StoredSpec } from './clusterSpec';
import { resources, type KubeObject, type ResourceRef } from './kubeTypes';
import { guardRailManifests, guardRailNames } from './manifests';
import { clusterLabel, clusterNameOf, clusterNamespaceLabel, instanceIndexOf, isManaged, managedByLabel, specAnnotation } from './names';
import { cpuCoresOf, formatNumber, memoryGiBOf, sameQuantity } from './quantities';
import { validateClusterForm, type ClusterFormInput, type ValidationLimits, type ValidationResult } from './validation';

export type GuardRailKey = keyof typeof guardRailNames;
export const guardRailKeys = Object.keys(guardRailNames) as GuardRailKey[];

/** Where each guard rail lives in the API. */
export const guardRailRefs: Record<GuardRailKey, ResourceRef> = {
  resourceQuota: resources.resourceQuotas,
  limitRange: resources.limitRanges,
  networkPolicy: resources.networkPolicies,
  serviceAccount: resources.serviceAccounts,
  roleBinding: resources.roleBindings,
};

/** Each guard rail as a person names it: its kind and name ("ResourceQuota cluster-quota"). */
export const guardRailTitles: Record<GuardRailKey, string> = {
  resourceQuota: `ResourceQuota ${guardRailNames.resourceQuota}`,
  limitRange: `LimitRange ${guardRailNames.limitRange}`,
  networkPolicy: `NetworkPolicy ${guardRailNames.networkPolicy}`,
  serviceAccount: `ServiceAccount ${guardRailNames.serviceAccount}`,
  roleBinding: `RoleBinding ${guardRailNames.roleBinding}`,
};

/** A cluster as read for an edit: its namespace, the guard rails found under our names, its live instances. */
export interface LiveCluster {
  namespace: KubeObject;
  guardRails: Partial<Record<GuardRailKey, KubeObject>>;
  /** Instances named instance-<n> that are not terminating. */
  instances: KubeObject[];
  /** The stored spec, or one derived from an instance when the namespace has none. */
  spec: StoredSpec;
}

/** Labels every CMP namespace carries (and the one the API adds): shown in the form, never editable. */
const lockedLabelKeys = new Set([managedByLabel, clusterLabel, clusterNamespaceLabel, 'kubernetes.io/metadata.name']);

export function lockedLabels(namespace: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(namespace.metadata.labels ?? {}).filter(([k]) => lockedLabelKeys.has(k)));
}

export function userLabels(namespace: KubeObject): Record<string, string> {
  return Object.fromEntries(Object.entries(namespace.metadata.labels ?? {}).filter(([k]) => !lockedLabelKeys.has(k)));
}

type QuotaObject = KubeObject & { spec?: { hard?: Record<string, string> } };

/** The hard limit the form shows for a resource: requests first, then limits, then the short key. */
function quotaValue(hard: Readonly<Record<string, string>>, resource: 'cpu' | 'memory'): string | undefined {
  return hard[`requests.${resource}`] ?? hard[`limits.${resource}`] ?? hard[resource];
}

/** The form's values for the live cluster: what an unchanged Apply would write back as it is. */
export function editFormInput(live: LiveCluster): ClusterFormInput {
  const quota = live.guardRails.resourceQuota as QuotaObject | undefined;
  const hard = quota?.spec?.hard ?? {};
  // Exact values, not rounded for show: an unchanged form must validate and write nothing back.
  const number = (value: number | undefined) => (value === undefined ? '' : String(value));
  return {
    name: clusterNameOf(live.namespace.metadata),
    instanceType: live.spec.instanceType,
    image: live.spec.image,
    cpu: String(live.spec.cpu),
    memoryGiB: String(live.spec.memoryGiB),
    count: String(live.instances.length),
    resourceQuota: quota !== undefined,
    quotaCpu: number(cpuCoresOf(quotaValue(hard, 'cpu'))),
    quotaMemoryGiB: number(memoryGiBOf(quotaValue(hard, 'memory'))),
    limitRange: live.guardRails.limitRange !== undefined,
    networkPolicy: live.guardRails.networkPolicy !== undefined,
    // Either half there counts as on: an unchanged form completes the pair rather than deleting the half.
    serviceAccount: live.guardRails.serviceAccount !== undefined || live.guardRails.roleBinding !== undefined,
    labels: Object.entries(userLabels(live.namespace)).map(([k, v]) => `${k}=${v}`).join(', '),
  };
}

/** What an edit cannot change: the cluster's name (its namespace) and its instance type. */
export interface FixedFields {
  name: string;
  instanceType: string;
}

/**
 * Validates the edit form as the create form, with the name and type fixed to the live cluster's
 * (whatever the form sends) and a count of 0 allowed. A name another CMP tool chose that our rules
 * would refuse still edits: the name is checked as a stand-in and restored. Where the live cluster
 * has a quota, an empty quota field leaves that resource unlimited; a quota turned on here needs both.
 */
export function validateEditInput(input: ClusterFormInput, limits: ValidationLimits, fixed: FixedFields, liveHasQuota: boolean): ValidationResult {
  const result = validateClusterForm(
    { ...input, name: 'edit', instanceType: fixed.instanceType },
    { ...limits, minInstances: 0, quotaMayBeUnlimited: liveHasQuota, vmAvailable: limits.vmAvailable || fixed.instanceType === 'vm' },
  );
  return result.spec ? { errors: result.errors, spec: { ...result.spec, name: fixed.name } } : result;
}

export type ObjectChange =
  | { action: 'create'; kind: string; name: string; manifest: KubeObject }
  | { action: 'update'; kind: string; name: string; live: KubeObject; patch: Record<string, unknown> }
  | { action: 'delete'; kind: string; name: string; live: KubeObject };

/** What `spec` changes in the live cluster; the count is left to the scale that follows. */
export function editChanges(live: LiveCluster, spec: ClusterSpec): ObjectChange[] {
  const changes: ObjectChange[] = [];
  const namespacePatch = namespaceChange(live, spec);
  if (namespacePatch) changes.push({ action: 'update', kind: 'Namespace', name: live.namespace.metadata.name, live: live.namespace, patch: namespacePatch });
  const desired = new Map(relocated(guardRailManifests(spec), live.namespace.metadata.name).map((o) => [o.metadata.name, o]));
  for (const key of guardRailKeys) {
    const name = guardRailNames[key];
    const wanted = desired.get(name);
    const current = live.guardRails[key];
    if (wanted && !current) changes.push({ action: 'create', kind: wanted.kind, name, manifest: wanted });
    else if (!wanted && current) changes.push({ action: 'delete', kind: current.kind, name, live: current });
    else if (wanted && current) {
      const patch = guardRailPatch(current, wanted);
      if (patch) changes.push({ action: 'update', kind: current.kind, name, live: current, patch });
    }
  }
  return changes;
}

/** Guard rails a change would touch that do not carry managed-by=cmp: CMP leaves those alone, and says so. */
export function foreignObjects(changes: readonly ObjectChange[]): string[] {
  return changes.flatMap((c) => (c.action !== 'create' && c.kind !== 'Namespace' && !isManaged(c.live.metadata.labels) ? [`${c.kind} ${c.name}`] : []));
}

/** The namespace's user labels and stored sizes as the spec has them; the stored count stays (scale writes it). */
function namespaceChange(live: LiveCluster, spec: ClusterSpec): Record<string, unknown> | undefined {
  const labels: Record<string, string | null> = {};
  const current = userLabels(live.namespace);
  for (const key of Object.keys(current)) if (!(key in spec.labels)) labels[key] = null;
  for (const [key, value] of Object.entries(spec.labels)) if (current[key] !== value) labels[key] = value;
  const storedText = live.namespace.metadata.annotations?.[specAnnotation];
  const stored = readStoredSpec(storedText);
  const count = stored.countStored ? stored.spec?.count ?? live.instances.length : live.instances.length;
  const wantedSpec: StoredSpec = { instanceType: live.spec.instanceType, image: spec.image, cpu: spec.cpu, memoryGiB: spec.memoryGiB, count };
  const sameSpec = stored.spec !== undefined && JSON.stringify({ ...stored.spec, count }) === JSON.stringify(wantedSpec);
  const metadata: Record<string, unknown> = {};
  if (Object.keys(labels).length) metadata.labels = labels;
  if (!sameSpec) metadata.annotations = { [specAnnotation]: serializeStoredSpec(wantedSpec) };
  if (Object.keys(metadata).length === 0) return undefined;
  return { metadata: { ...metadata, resourceVersion: live.namespace.metadata.resourceVersion } };
}

/**
 * The fields of a guard rail CMP sets, as a merge patch over the live object; undefined when they
 * already match. What others added is kept: quota keys CMP does not set, LimitRange entries of other
 * types, NetworkPolicy egress and policy types, RoleBinding subjects; a quota resource whose value
 * the form leaves as it is keeps its limits.* (which may differ from requests.*); a RoleBinding's
 * roleRef is never patched (the API refuses any change; see editNotes).
 */
function guardRailPatch(live: KubeObject, wanted: KubeObject): Record<string, unknown> | undefined {
  const spec = fieldsToPatch(live, wanted);
  if (!spec || Object.keys(spec).length === 0) return undefined;
  return { ...spec, metadata: { resourceVersion: live.metadata.resourceVersion } };
}

type Fields = Record<string, unknown>;

function fieldsToPatch(live: KubeObject, wanted: KubeObject): Fields | undefined {
  const liveFields = live as unknown as Fields;
  const wantedFields = wanted as unknown as Fields;
  const liveSpec = (liveFields.spec ?? {}) as Fields;
  const wantedSpec = (wantedFields.spec ?? {}) as Fields;
  switch (wanted.kind) {
    case 'ResourceQuota': {
      const liveHard = (liveSpec.hard ?? {}) as Record<string, string>;
      const wantedHard = (wantedSpec.hard ?? {}) as Record<string, string>;
      const hard: Record<string, string | null> = {};
      for (const resource of ['cpu', 'memory'] as const) {
        const value = wantedHard[`requests.${resource}`];
        if (sameQuantity(quotaValue(liveHard, resource), value)) continue;
        // No limit wanted: every key that limits the resource goes (a merge patch's null removes it).
        if (value === undefined) {
          for (const key of [`requests.${resource}`, `limits.${resource}`, resource]) if (key in liveHard) hard[key] = null;
          continue;
        }
        for (const key of [`requests.${resource}`, `limits.${resource}`]) if (wantedHard[key] !== undefined) hard[key] = wantedHard[key];
        // The short form ("cpu", the same as requests.cpu) would otherwise go on limiting at the old value.
        if (resource in liveHard) hard[resource] = value;
      }
      return Object.keys(hard).length ? { spec: { hard } } : undefined;
    }
    case 'LimitRange': {
      const liveLimits = (liveSpec.limits ?? []) as Fields[];
      const ours = ((wantedSpec.limits ?? []) as Fields[])[0];
      if (!ours) return undefined;
      const at = liveLimits.findIndex((l) => l.type === ours.type);
      const limits = at < 0 ? [...liveLimits, ours] : liveLimits.map((l, i) => (i === at ? ours : l));
      return sameJson(liveLimits, limits) ? undefined : { spec: { limits } };
    }
    case 'NetworkPolicy': {
      const types = [...new Set([...((liveSpec.policyTypes ?? []) as string[]), ...((wantedSpec.policyTypes ?? []) as string[])])];
      const wantedFieldsOfSpec: Fields = { podSelector: wantedSpec.podSelector, ingress: wantedSpec.ingress, policyTypes: types };
      const changed = Object.fromEntries(Object.entries(wantedFieldsOfSpec).filter(([k, v]) => !sameJson(liveSpec[k], v)));
      return Object.keys(changed).length ? { spec: changed } : undefined;
    }
    case 'RoleBinding': {
      const subjects = (liveFields.subjects ?? []) as Fields[];
      const missing = ((wantedFields.subjects ?? []) as Fields[]).filter((w) => !subjects.some((s) => sameJson(s, w)));
      return missing.length ? { subjects: [...subjects, ...missing] } : undefined;
    }
    default:
      return undefined;
  }
}

/** What the review should say about the live cluster that an edit leaves alone. */
export function editNotes(live: LiveCluster, spec: ClusterSpec): string[] {
  const notes: string[] = [];
  const binding = live.guardRails.roleBinding as (KubeObject & { roleRef?: { kind?: string; name?: string } }) | undefined;
  const wanted = guardRailManifests(spec).find((o) => o.kind === 'RoleBinding') as (KubeObject & { roleRef?: { kind?: string; name?: string } }) | undefined;
  if (binding?.roleRef && wanted?.roleRef && (binding.roleRef.kind !== wanted.roleRef.kind || binding.roleRef.name !== wanted.roleRef.name)) {
    notes.push(`RoleBinding ${binding.metadata.name} binds ${binding.roleRef.kind ?? ''} ${binding.roleRef.name ?? ''}, not ${wanted.roleRef.kind ?? ''} ${wanted.roleRef.name ?? ''}; its role cannot be changed in place, so the edit leaves it as it is.`);
  }
  return notes;
}

/** Equal as JSON, with quantities compared by value ("0.5" and "500m"), so a server's canonical form is no change. */
function sameJson(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a === b || sameQuantity(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameJson(a[k], b[k]));
  }
  return a === b;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Manifests made for `namespace` whatever the spec's name would derive: CMP writes only where it read and checked. */
function relocated(objects: KubeObject[], namespace: string): KubeObject[] {
  return objects.map((o) => {
    const moved = { ...o, metadata: { ...o.metadata, namespace } } as KubeObject & { subjects?: { namespace?: string }[] };
    if (moved.subjects) moved.subjects = moved.subjects.map((s) => ({ ...s, namespace }));
    return moved;
  });
}

/** Warnings for hard limits set below what the cluster uses now (admission then refuses new instances). */
export function quotaBelowUsage(spec: ClusterSpec, used: Readonly<Record<string, string>>): string[] {
  if (!spec.isolation.resourceQuota) return [];
  const checks = [
    { key: 'requests.cpu', hard: spec.isolation.quotaCpu, used: cpuCoresOf(used['requests.cpu']), unit: 'cores' },
    { key: 'requests.memory', hard: spec.isolation.quotaMemoryGiB, used: memoryGiBOf(used['requests.memory']), unit: 'GiB' },
  ];
  return checks.filter((c) => c.used !== undefined && c.hard !== undefined && c.hard + 1e-9 < c.used).map((c) =>
    `The quota's ${c.key} ${formatNumber(c.hard ?? 0)} ${c.unit} is below the ${formatNumber(c.used ?? 0)} ${c.unit} in use: no new instance can start until use falls below it.`);
}

/** Instances made with another image or size than the stored spec, named with what differs. */
export function offSpecInstances(live: LiveCluster): { name: string; differs: string }[] {
  const out: { name: string; differs: string }[] = [];
  for (const instance of live.instances) {
    if (instance.kind !== 'Pod' || instanceIndexOf(instance.metadata.name) === undefined) continue;
    const container = ((instance.spec as { containers?: { image?: string; resources?: { requests?: Record<string, string> } }[] } | undefined)?.containers ?? [])[0];
    const differs: string[] = [];
    if (container?.image !== undefined && container.image !== live.spec.image) differs.push(`image ${container.image}`);
    const cpu = cpuCoresOf(container?.resources?.requests?.cpu);
    const memory = memoryGiBOf(container?.resources?.requests?.memory);
    if (cpu !== undefined && Math.abs(cpu - live.spec.cpu) > 1e-9) differs.push(`${formatNumber(cpu)} CPU`);
    if (memory !== undefined && Math.abs(memory - live.spec.memoryGiB) > 1e-9) differs.push(`${formatNumber(memory)} GiB`);
    if (differs.length) out.push({ name: instance.metadata.name, differs: differs.join(', ') });
  }
  return out;
}
