// What the Edit form shows beside a live cluster's values (locked labels, quota use, instances off
// the stored spec) and a fingerprint of what the tree's cache also knows (labels, sizes, instance
// names), so the form can say "changed on the server" when the cluster moves on while it is open.

import type { ClusterView } from './clusterView';
import { lockedLabels, offSpecInstances, userLabels, type LiveCluster } from './clusterEdit';
import { cpuCoresOf, formatNumber, memoryGiBOf } from './quantities';

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
  const labels = Object.fromEntries(Object.entries(view.labels).filter(([k]) => k in userLabels({ kind: 'Namespace', apiVersion: 'v1', metadata: { name: view.namespace, labels: view.labels } })));
  return {
    labels: JSON.stringify(sorted(labels)),
    sizes: JSON.stringify(view.spec ? [view.spec.image, view.spec.cpu, view.spec.memoryGiB] : []),
    instances: view.instances.filter((i) => i.phase !== 'Terminating').map((i) => i.name).sort().join(','),
  };
}

/** What differs ("labels, instances"), or undefined when nothing the form shows did. */
export function fingerprintChange(a: ClusterFingerprint, b: ClusterFingerprint): string | undefined {
  const changed = (['labels', 'sizes', 'instances'] as const).filter((k) => a[k] !== b[k]);
  return changed.length ? changed.join(', ') : undefined;
}

function sorted(record: Record<string, string>): [string, string][] {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
