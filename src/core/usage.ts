// Resource usage of a cluster: quota used/hard per resource, and CPU and memory per instance from the
// metrics API ("kubectl top pods"), read from plain JSON and formatted the way kubectl prints them.
import { parseQuantity } from './quantities';

export interface QuotaUsage {
  quota: string;
  resource: string;
  used: string;
  hard: string;
  /** used / hard in percent, when both are quantities and hard is not zero. */
  percent?: number;
}

export interface PodUsage {
  name: string;
  cpuCores: number;
  memoryBytes: number;
}

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const stringMap = (value: unknown): Record<string, string> =>
  isRecord(value) ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};

/** Rows of every ResourceQuota given, resources in name order; a resource without `used` counts as 0. */
export function quotaUsages(quotas: readonly unknown[]): QuotaUsage[] {
  const rows: QuotaUsage[] = [];
  for (const quota of quotas) {
    if (!isRecord(quota) || !isRecord(quota.metadata)) continue;
    const name = typeof quota.metadata.name === 'string' ? quota.metadata.name : '';
    const status = isRecord(quota.status) ? quota.status : {};
    const hard = stringMap(status.hard);
    const used = stringMap(status.used);
    for (const resource of Object.keys(hard).sort()) {
      const row: QuotaUsage = { quota: name, resource, used: used[resource] ?? '0', hard: hard[resource] ?? '' };
      const u = parseQuantity(row.used);
      const h = parseQuantity(row.hard);
      if (u !== undefined && h !== undefined && h > 0) row.percent = Math.round((u / h) * 100);
      rows.push(row);
    }
  }
  return rows;
}

/** "requests.cpu: 500m / 1 (50%)" */
export function quotaUsageLine(row: QuotaUsage): string {
  return `${row.resource}: ${row.used} / ${row.hard}${row.percent === undefined ? '' : ` (${row.percent}%)`}`;
}

/** Per-pod sums over containers, from a PodMetricsList or one PodMetrics; sorted by name. */
export function podUsages(metrics: unknown): PodUsage[] {
  const items = isRecord(metrics) && Array.isArray(metrics.items) ? metrics.items : [metrics];
  const rows: PodUsage[] = [];
  for (const item of items) {
    if (!isRecord(item) || !isRecord(item.metadata) || typeof item.metadata.name !== 'string' || !Array.isArray(item.containers)) continue;
    let cpuCores = 0;
    let memoryBytes = 0;
    for (const container of item.containers) {
      const usage = isRecord(container) ? stringMap(container.usage) : {};
      cpuCores += parseQuantity(usage.cpu ?? '0') ?? 0;
      memoryBytes += parseQuantity(usage.memory ?? '0') ?? 0;
    }
    rows.push({ name: item.metadata.name, cpuCores, memoryBytes });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/** Millicores, as kubectl top prints them: "12m". */
export function formatCpuUsage(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Mebibytes, as kubectl top prints them: "35Mi". */
export function formatMemoryUsage(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}

/** "instance-0: CPU 12m, memory 35Mi" */
export function podUsageLine(row: PodUsage): string {
  return `${row.name}: CPU ${formatCpuUsage(row.cpuCores)}, memory ${formatMemoryUsage(row.memoryBytes)}`;
}
