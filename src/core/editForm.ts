// What the Edit form shows beside a live cluster's values (locked labels, quota use, instances off
// the stored spec), a fingerprint of what the tree's cache also knows (labels, sizes, instance
// names) and of its guard rails (watched by the form), so the form can say "changed on the server"
// when the cluster moves on while it is open,
// and the rebase of the user's input onto the live values: what the user did not touch follows the
// server, so a review never reverts someone else's change made while the form was open.

import type { ClusterView } from './clusterView';
import { guardRailKeys, lockedLabels, offSpecInstances, userLabels, type GuardRailKey, type LiveCluster } from './clusterEdit';
import type { KubeObject } from './kubeTypes';
import { parseLabels } from './nameRules';
import { cpuCoresOf, formatNumber, memoryGiBOf } from './quantities';
import type { ClusterFormInput } from './validation';

export interface EditSummary {
  lockedLabels: string;
  quotaCpuUsed: string;
  quotaMemoryUsed: string;
  offSpec: string[];
}

export function editSummary(live: LiveCluster, quotaUsed: Readonly<Record<string, string>>): EditSummary {
  const hasQuota = live.guardRails.resourceQuota !== undefined;
  const cpu = cpuCoresOf(quotaUsed['requests.cpu']);
  const memory = memoryGiBOf(quotaUsed['requests.memory']);
  return {
    lockedLabels: Object.entries(lockedLabels(live.namespace)).map(([k, v]) => `${k}=${v}`).join(', '),
    quotaCpuUsed: hasQuota && cpu !== undefined ? `In use now: ${formatNumber(cpu)} cores requested.` : '',
    quotaMemoryUsed: hasQuota && memory !== undefined ? `In use now: ${formatNumber(memory)} GiB requested.` : '',
    offSpec: offSpecInstances(live).map((o) => `${o.name}: ${o.differs}`),
  };
}

export interface ClusterFingerprint {
  labels: string;
  sizes: string;
  instances: string;
}

/** The fingerprint of a live read. */
export function liveFingerprint(live: LiveCluster): ClusterFingerprint {
  return {
    labels: JSON.stringify(sorted(userLabels(live.namespace))),
    sizes: JSON.stringify([live.spec.image, live.spec.cpu, live.spec.memoryGiB]),
    instances: live.instances.map((i) => i.metadata.name).sort().join(','),
  };
}

/** The fingerprint of the tree's view of the same cluster. */
export function viewFingerprint(view: ClusterView): ClusterFingerprint {
  const labels = userLabels({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: view.namespace, labels: view.labels } });
  return {
    labels: JSON.stringify(sorted(labels)),
    sizes: JSON.stringify(view.spec ? [view.spec.image, view.spec.cpu, view.spec.memoryGiB] : []),
    instances: view.instances.filter((i) => i.phase !== 'Terminating').map((i) => i.name).sort().join(','),
  };
}

/** Left out of a guard rail's fingerprint: besides metadata and status, kind and apiVersion, which a list's items get added last (another key order than a GET's). */
const ignoredFields = new Set(['metadata', 'status', 'kind', 'apiVersion']);

/**
 * What of a guard rail an edit reads and writes, as text: everything but metadata and status (a
 * quota's status.used changes with every instance; that is no change to the form). "absent" when gone.
 */
export function guardRailFingerprint(object: KubeObject | undefined): string {
  if (!object) return 'absent';
  return JSON.stringify(object, function topLevelOnly(this: unknown, key: string, value: unknown) {
    return this === object && ignoredFields.has(key) ? undefined : value;
  });
}

/** The guard rails of a live read, each as its fingerprint. */
export function guardRailFingerprints(live: LiveCluster): Record<GuardRailKey, string> {
  return Object.fromEntries(guardRailKeys.map((key) => [key, guardRailFingerprint(live.guardRails[key])])) as Record<GuardRailKey, string>;
}

/** What differs ("labels, instances"), or undefined when nothing the form shows did. */
export function fingerprintChange(a: ClusterFingerprint, b: ClusterFingerprint): string | undefined {
  const changed = (['labels', 'sizes', 'instances'] as const).filter((k) => a[k] !== b[k]);
  return changed.length ? changed.join(', ') : undefined;
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

const fieldTitles: Record<keyof ClusterFormInput, string> = {
  name: 'name', instanceType: 'instance type', image: 'image', cpu: 'CPU per instance', memoryGiB: 'memory per instance', count: 'instance count',
  resourceQuota: 'ResourceQuota', quotaCpu: 'quota CPU', quotaMemoryGiB: 'quota memory', limitRange: 'LimitRange', networkPolicy: 'NetworkPolicy',
  serviceAccount: 'ServiceAccount + RoleBinding', labels: 'labels',
};

/**
 * The user's input rebased onto the live values: a field the user left as it was loaded (`base`)
 * takes the live value; labels merge key by key (the user's additions, changes and removals over the
 * live labels). `kept` names what changed on the server and is kept.
 */
export function rebaseInput(base: ClusterFormInput, input: ClusterFormInput, live: ClusterFormInput): { input: ClusterFormInput; kept: string[] } {
  const result: Record<string, string | boolean> = { ...input };
  const kept: string[] = [];
  for (const key of Object.keys(fieldTitles) as (keyof ClusterFormInput)[]) {
    if (key === 'labels') continue;
    if (input[key] === base[key] && live[key] !== base[key]) {
      result[key] = live[key];
      kept.push(fieldTitles[key]);
    }
  }
  const labels = rebaseLabels(base.labels, input.labels, live.labels);
  result.labels = labels.text;
  if (labels.kept.length) kept.push(`labels ${labels.kept.join(', ')}`);
  return { input: result as unknown as ClusterFormInput, kept };
}

function rebaseLabels(baseText: string, inputText: string, liveText: string): { text: string; kept: string[] } {
  const [base, input, live] = [parseLabels(baseText), parseLabels(inputText), parseLabels(liveText)];
  // Text that does not parse is the user's to fix: validation names the error on it as typed.
  if (input.error || base.error || live.error) return { text: inputText, kept: [] };
  const merged = new Map(Object.entries(live.labels));
  for (const [key, value] of Object.entries(input.labels)) if (base.labels[key] !== value) merged.set(key, value);
  for (const key of Object.keys(base.labels)) if (!(key in input.labels)) merged.delete(key);
  const kept = [...new Set([...Object.keys(live.labels), ...Object.keys(base.labels)])]
    .filter((key) => live.labels[key] !== base.labels[key] && input.labels[key] === base.labels[key]);
  if (kept.length === 0) return { text: inputText, kept };
  return { text: [...merged].map(([k, v]) => `${k}=${v}`).join(', '), kept };
}
