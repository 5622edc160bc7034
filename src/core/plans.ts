// Plans for changing a cluster: which instances a scale creates and deletes so that exactly
// instance-0 … instance-(N-1) remain, whether the quota can hold the result, and how to recover the
// instance sizes when the namespace carries no stored spec.

import type { InstanceType, StoredSpec } from './clusterSpec';
import { instanceIndexOf, instanceName } from './names';
import { cpuCoresOf, formatNumber, memoryGiBOf, parseQuantity } from './quantities';

export interface ScalePlan {
  /** Indices to create, lowest first (gaps are refilled). */
  create: number[];
  /** Instance names to delete, highest index first. */
  remove: string[];
}

/** From the names present now to exactly instance-0 … instance-(desired-1). Other names are not ours to touch. */
export function scalePlan(existingNames: readonly string[], desired: number): ScalePlan {
  const present = new Set<number>();
  for (const name of existingNames) {
    const index = instanceIndexOf(name);
    if (index !== undefined) present.add(index);
  }
  const create: number[] = [];
  for (let i = 0; i < desired; i++) if (!present.has(i)) create.push(i);
  const remove = [...present].filter((i) => i >= desired).sort((a, b) => b - a).map(instanceName);
  return { create, remove };
}

export interface QuotaState {
  hard: Record<string, string>;
  used: Record<string, string>;
}

/**
 * Why the quota cannot hold the cluster after the plan, or undefined when it can. Only CPU and
 * memory are checked (the keys CMP sets); used counts what runs now.
 */
export function quotaShortfall(quota: QuotaState, spec: Pick<StoredSpec, 'cpu' | 'memoryGiB'>, plan: ScalePlan): string | undefined {
  const delta = plan.create.length - plan.remove.length;
  if (delta <= 0) return undefined;
  const checks: { key: string; per: number; unit: string; toUnits: (q: string) => number | undefined }[] = [
    { key: 'requests.cpu', per: spec.cpu, unit: 'cores', toUnits: (q) => cpuCoresOf(q) },
    { key: 'limits.cpu', per: spec.cpu, unit: 'cores', toUnits: (q) => cpuCoresOf(q) },
    { key: 'requests.memory', per: spec.memoryGiB, unit: 'GiB', toUnits: (q) => memoryGiBOf(q) },
    { key: 'limits.memory', per: spec.memoryGiB, unit: 'GiB', toUnits: (q) => memoryGiBOf(q) },
  ];
  for (const check of checks) {
    const hardText = quota.hard[check.key];
    if (hardText === undefined) continue;
    const hard = check.toUnits(hardText) ?? Infinity;
    const used = check.toUnits(quota.used[check.key] ?? '0') ?? 0;
    const needed = used + delta * check.per;
    if (needed > hard + 1e-9) {
      const room = Math.max(0, Math.floor((hard - used + 1e-9) / check.per));
      const more = delta === 1 ? '1 more instance needs' : `${delta} more instances need`;
      return `The quota allows ${check.key} ${formatNumber(hard)} ${check.unit}; ${formatNumber(used)} are used and ${more} ${formatNumber(delta * check.per)} ${check.unit}. Room for ${room} more: raise the quota or ask for fewer.`;
    }
  }
  const podsHard = quota.hard.pods === undefined ? undefined : parseQuantity(quota.hard.pods);
  if (podsHard !== undefined) {
    const podsUsed = parseQuantity(quota.used.pods ?? '0') ?? 0;
    if (podsUsed + delta > podsHard) return `The quota allows ${podsHard} pods and ${podsUsed} exist; ${delta} more ${delta === 1 ? 'does' : 'do'} not fit.`;
  }
  return undefined;
}

interface InstanceLike {
  kind: string;
  spec?: unknown;
}

/** Recovers instance sizes from an existing Pod or VirtualMachine, for clusters without a stored spec. */
export function specFromInstance(instance: InstanceLike, count: number): StoredSpec | undefined {
  const spec = (instance.spec ?? {}) as Record<string, unknown>;
  if (instance.kind === 'Pod') {
    const container = (spec.containers as { image?: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] | undefined)?.[0];
    if (!container?.image) return undefined;
    const sizes = container.resources?.requests ?? container.resources?.limits ?? {};
    return completeSpec('container', container.image, sizes.cpu, sizes.memory, count);
  }
  if (instance.kind === 'VirtualMachine') {
    const domain = ((spec.template as { spec?: { domain?: Record<string, unknown> } } | undefined)?.spec?.domain ?? {}) as {
      cpu?: { cores?: number };
      resources?: { requests?: Record<string, string> };
    };
    const cpu = domain.resources?.requests?.cpu ?? (domain.cpu?.cores === undefined ? undefined : String(domain.cpu.cores));
    return completeSpec('vm', '', cpu, domain.resources?.requests?.memory, count);
  }
  return undefined;
}

function completeSpec(instanceType: InstanceType, image: string, cpu: string | undefined, memory: string | undefined, count: number): StoredSpec | undefined {
  const cores = cpuCoresOf(cpu);
  const gib = memoryGiBOf(memory);
  if (cores === undefined || gib === undefined || cores <= 0 || gib <= 0) return undefined;
  return { instanceType, image, cpu: cores, memoryGiB: gib, count };
}
