// The cluster spec: what a user asks for (type, sizes, count, guard rails, labels). It is stored as
// JSON in an annotation on the namespace so that scale can recreate instances with the same sizes.

export const instanceTypes = ['container', 'vm'] as const;
export type InstanceType = (typeof instanceTypes)[number];

export interface Isolation {
  resourceQuota: boolean;
  /** Hard limits of the quota; undefined leaves that resource unlimited (an edit keeps a quota another tool made that way). */
  quotaCpu?: number;
  quotaMemoryGiB?: number;
  limitRange: boolean;
  networkPolicy: boolean;
  serviceAccount: boolean;
}

export interface ClusterSpec {
  name: string;
  instanceType: InstanceType;
  /** Container image; unused by VMs. */
  image: string;
  cpu: number;
  memoryGiB: number;
  count: number;
  isolation: Isolation;
  labels: Record<string, string>;
}

/** The part of the spec kept on the namespace: enough to make more instances like the first. */
export interface StoredSpec {
  instanceType: InstanceType;
  image: string;
  cpu: number;
  memoryGiB: number;
  count: number;
}

export function storedSpecOf(spec: ClusterSpec): StoredSpec {
  return { instanceType: spec.instanceType, image: spec.image, cpu: spec.cpu, memoryGiB: spec.memoryGiB, count: spec.count };
}

export function serializeStoredSpec(spec: StoredSpec): string {
  return JSON.stringify(spec);
}

/** The bounds a stored spec must keep (the form's own limits): anything outside is not a spec we made. */
export const storedSpecBounds = { maxCpu: 128, maxMemoryGiB: 1024, maxCount: 10_000, maxImageLength: 4096 } as const;

/**
 * Reads the annotation back: the spec, or (when the annotation is there but unusable) what is wrong
 * with it, named, so a scale can refuse before writing instead of making instances from absurd sizes.
 */
export function readStoredSpec(text: string | undefined): { spec?: StoredSpec; problem?: string; countStored?: boolean } {
  if (!text) return {};
  if (text.length > 16_384) return { problem: `it is ${text.length} characters long` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'it is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: 'it is not a JSON object' };
  const v = value as Record<string, unknown>;
  const bounded = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= max;
  const shown = (n: unknown) => JSON.stringify(n)?.slice(0, 40) ?? 'nothing';
  if (!instanceTypes.includes(v.instanceType as InstanceType)) return { problem: `instanceType is ${shown(v.instanceType)}, not "container" or "vm"` };
  if (typeof v.image !== 'string' || v.image.length > storedSpecBounds.maxImageLength || /[\s\p{Cc}]/u.test(v.image)) return { problem: 'image is not an image reference' };
  if (!bounded(v.cpu, storedSpecBounds.maxCpu)) return { problem: `cpu is ${shown(v.cpu)}, not a number of cores above 0 and at most ${storedSpecBounds.maxCpu}` };
  if (!bounded(v.memoryGiB, storedSpecBounds.maxMemoryGiB)) return { problem: `memoryGiB is ${shown(v.memoryGiB)}, not a number of GiB above 0 and at most ${storedSpecBounds.maxMemoryGiB}` };
  if (v.count !== undefined && !(Number.isSafeInteger(v.count) && (v.count as number) >= 0 && (v.count as number) <= storedSpecBounds.maxCount)) {
    return { problem: `count is ${shown(v.count)}, not a whole number from 0 to ${storedSpecBounds.maxCount}` };
  }
  // countStored: whether the count was written (a missing one reads as 0, which decides nothing).
  return { spec: { instanceType: v.instanceType as InstanceType, image: v.image, cpu: v.cpu, memoryGiB: v.memoryGiB, count: (v.count as number | undefined) ?? 0 }, countStored: v.count !== undefined };
}

/** The spec in the annotation, or undefined when there is none or it is unusable (callers then fall back to instances). */
export function parseStoredSpec(text: string | undefined): StoredSpec | undefined {
  return readStoredSpec(text).spec;
}

/** Quota that holds `count` instances of the given sizes exactly. */
export function quotaFor(cpu: number, memoryGiB: number, count: number): { quotaCpu: number; quotaMemoryGiB: number } {
  // Float noise off, the value kept: 3 × 1000Mi is 2.9296875 GiB exactly (rounding to 0.001 made it 2.93, above a 3000Mi quota).
  const exact = (n: number) => Math.round(n * 1e9) / 1e9;
  return { quotaCpu: exact(cpu * count), quotaMemoryGiB: exact(memoryGiB * count) };
}

/**
 * How many instances the form's default quota holds: twice the count asked for, and at least two
 * more, so scaling up soon after a create fits without raising the quota.
 */
export function headroomCount(count: number): number {
  return Math.max(2 * count, count + 2);
}

/** The quota the create form suggests for `count` instances: room for headroomCount(count). */
export function suggestedQuota(cpu: number, memoryGiB: number, count: number): { quotaCpu: number; quotaMemoryGiB: number } {
  return quotaFor(cpu, memoryGiB, headroomCount(count));
}
