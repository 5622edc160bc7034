// The cluster spec: what a user asks for (type, sizes, count, guard rails, labels). It is stored as
// JSON in an annotation on the namespace so that scale can recreate instances with the same sizes.

export const instanceTypes = ['container', 'vm'] as const;
export type InstanceType = (typeof instanceTypes)[number];

export interface Isolation {
  resourceQuota: boolean;
  quotaCpu: number;
  quotaMemoryGiB: number;
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

/** Reads the annotation back; anything malformed yields undefined so callers fall back to instances. */
export function parseStoredSpec(text: string | undefined): StoredSpec | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const positive = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n > 0;
  if (!instanceTypes.includes(v.instanceType as InstanceType)) return undefined;
  if (typeof v.image !== 'string' || !positive(v.cpu) || !positive(v.memoryGiB)) return undefined;
  const count = Number.isInteger(v.count) && (v.count as number) >= 0 ? (v.count as number) : 0;
  return { instanceType: v.instanceType as InstanceType, image: v.image, cpu: v.cpu, memoryGiB: v.memoryGiB, count };
}

/** Quota that holds `count` instances of the given sizes exactly. */
export function defaultQuota(cpu: number, memoryGiB: number, count: number): { quotaCpu: number; quotaMemoryGiB: number } {
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return { quotaCpu: round(cpu * count), quotaMemoryGiB: round(memoryGiB * count) };
}
