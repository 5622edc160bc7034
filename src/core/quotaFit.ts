// The quota a scale needs: for a plan that the cluster's ResourceQuota cannot hold, the hard limits
// that would hold it (used now plus what the new instances request), only ever raised, never
// lowered, and only for the keys CMP sets (requests/limits of CPU and memory, pods); and whether
// a quota just written is in force yet (admission holds instances to its status.hard).

import type { StoredSpec } from './clusterSpec';
import type { QuotaState, ScalePlan } from './plans';
import { cpuCoresOf, formatCpu, formatMemoryGiB, memoryGiBOf, parseQuantity, sameQuantity } from './quantities';

/** One hard limit to raise: its key, the quantity now and the quantity that fits. */
export interface QuotaRaise {
  key: string;
  from: string;
  to: string;
}

interface Resource {
  key: string;
  per: (spec: Pick<StoredSpec, 'cpu' | 'memoryGiB'>) => number;
  read: (quantity: string) => number | undefined;
  format: (value: number) => string;
}

/** Up to the next 1/steps (a millicore, a MiB): a raise that rounds down would not fit. */
function roundUp(value: number, steps: number): number {
  return Math.ceil(value * steps - 1e-6) / steps;
}

const resources: Resource[] = [
  { key: 'requests.cpu', per: (s) => s.cpu, read: cpuCoresOf, format: (n) => formatCpu(roundUp(n, 1000)) },
  { key: 'limits.cpu', per: (s) => s.cpu, read: cpuCoresOf, format: (n) => formatCpu(roundUp(n, 1000)) },
  { key: 'requests.memory', per: (s) => s.memoryGiB, read: memoryGiBOf, format: (n) => formatMemoryGiB(roundUp(n, 1024)) },
  { key: 'limits.memory', per: (s) => s.memoryGiB, read: memoryGiBOf, format: (n) => formatMemoryGiB(roundUp(n, 1024)) },
  { key: 'pods', per: () => 1, read: parseQuantity, format: (n) => String(Math.ceil(n)) },
];

/** The raises that let the quota hold the plan; empty when it already does (or the plan shrinks). */
export function quotaToFit(quota: QuotaState, spec: Pick<StoredSpec, 'cpu' | 'memoryGiB'>, plan: ScalePlan): QuotaRaise[] {
  const delta = plan.create.length - plan.remove.length;
  if (delta <= 0) return [];
  const raises: QuotaRaise[] = [];
  for (const resource of resources) {
    const from = quota.hard[resource.key];
    if (from === undefined) continue;
    const hard = resource.read(from);
    if (hard === undefined) continue; // not a quantity we can reason about: left as it is
    const needed = (resource.read(quota.used[resource.key] ?? '0') ?? 0) + delta * resource.per(spec);
    if (needed <= hard + 1e-9) continue;
    raises.push({ key: resource.key, from, to: resource.format(needed) });
  }
  return raises;
}

/** `requests.cpu 3 → 5, requests.memory 6Gi → 10Gi`, as the confirmation shows them. */
export function describeRaises(raises: readonly QuotaRaise[]): string {
  return raises.map((r) => `${r.key} ${r.from} → ${r.to}`).join(', ');
}

/**
 * The hard limits after the raises, from the quota object's own spec.hard: other keys kept, and a
 * key raised only if it is still there and the raise is above what it says now (never lowered).
 */
export function raisedHard(specHard: Readonly<Record<string, string>>, raises: readonly QuotaRaise[]): Record<string, string> {
  const hard = { ...specHard };
  for (const raise of raises) {
    const resource = resources.find((r) => r.key === raise.key);
    const now = hard[raise.key];
    // A key removed meanwhile limits nothing any more: it is not added back.
    const nowValue = now === undefined ? undefined : resource?.read(now);
    const toValue = resource?.read(raise.to);
    if (nowValue !== undefined && toValue !== undefined && toValue > nowValue + 1e-9) hard[raise.key] = raise.to;
  }
  return hard;
}

/**
 * Whether a quota's spec.hard is in force: admission checks status.hard, which the quota controller
 * copies from spec.hard a moment after each write, so until every key matches, the old limits hold.
 */
export function quotaInForce(spec: Readonly<Record<string, string>>, status: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(spec), ...Object.keys(status)]);
  return [...keys].every((key) => sameQuantity(spec[key], status[key]));
}
