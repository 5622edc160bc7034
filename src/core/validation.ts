// Validation of the create form as the user types: each field's raw text becomes either a value or
// one message shown beside it, and the whole form becomes a ClusterSpec only when nothing is wrong.

import { quotaFor, instanceTypes, type ClusterSpec, type InstanceType } from './clusterSpec';
import { clip, clusterNameError, parseLabels } from './nameRules';
import { formatNumber } from './quantities';

export interface ClusterFormInput {
  name: string;
  instanceType: string;
  image: string;
  cpu: string;
  memoryGiB: string;
  count: string;
  resourceQuota: boolean;
  quotaCpu: string;
  quotaMemoryGiB: string;
  limitRange: boolean;
  networkPolicy: boolean;
  serviceAccount: boolean;
  labels: string;
}

export type FormField = Exclude<keyof ClusterFormInput, 'resourceQuota' | 'limitRange' | 'networkPolicy' | 'serviceAccount'>;
export type FieldErrors = Partial<Record<FormField, string>>;

export interface ValidationLimits {
  maxInstances: number;
  /** False when the VirtualMachine CRD is absent; the reason is shown in the form. */
  vmAvailable: boolean;
  maxCpuPerInstance: number;
  maxMemoryGiBPerInstance: number;
  /** The fewest instances the form accepts: 1 for a create (the default), 0 for an edit. */
  minInstances?: number;
  /** An empty quota field leaves that resource unlimited (an edit: as a quota another tool made may be); a create asks for both. */
  quotaMayBeUnlimited?: boolean;
}

export const defaultLimits: ValidationLimits = { maxInstances: 500, vmAvailable: false, maxCpuPerInstance: 128, maxMemoryGiBPerInstance: 1024 };

export interface ValidationResult {
  errors: FieldErrors;
  spec?: ClusterSpec;
}

// An image reference checked piece by piece (digest, tag, path components), each with a pattern
// that cannot backtrack: one regular expression for the whole reference took exponential time on
// inputs like 'a/a-a-a-…!' and ran on every keystroke.
const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const registryHost = /^[a-z0-9]+(?:[.-]+[a-z0-9]+)*(?::[0-9]{1,5})?$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

export function imageError(image: string): string | undefined {
  if (image.length === 0) return 'Enter a container image, like nginx:1.27.';
  if (/\s/.test(image)) return 'An image reference has no spaces.';
  if (image.length > 4096) return `The image reference is ${image.length} characters; at most 4096.`;
  const notImage = `"${clip(image)}" is not an image reference (registry/name:tag, lowercase).`;
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  if (at >= 0 && !digestPattern.test(image.slice(at + 1))) return `The digest after "@" must be sha256: and 64 hexadecimal digits.`;
  const colon = named.indexOf(':', named.lastIndexOf('/') + 1);
  const path = colon >= 0 ? named.slice(0, colon) : named;
  if (colon >= 0 && !tagPattern.test(named.slice(colon + 1))) return `The tag "${clip(named.slice(colon + 1))}" may use letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-").`;
  const parts = path.split('/');
  const [first, ...rest] = parts;
  const firstOk = rest.length > 0 ? registryHost.test(first ?? '') || pathComponent.test(first ?? '') : pathComponent.test(first ?? '');
  if (!firstOk || !rest.every((part) => pathComponent.test(part))) return notImage;
  return undefined;
}

/** How finely an amount may be given, and what to say when it is finer than that. */
interface Step {
  size: number;
  error: (label: string, typed: string, value: number) => string;
}

const millicores: Step = {
  size: 0.001,
  error: (label, typed, value) => `${label} must be a whole number of millicores: ${typed} cores is ${formatNumber(value * 1000)} millicores.`,
};
const mebibytes: Step = {
  size: 1 / 1024,
  error: (label, typed, value) => `${label} must be a whole number of MiB: ${typed} GiB is ${formatNumber(value * 1024)} MiB.`,
};
const wholeCores: Step = { size: 1, error: () => 'A VM has whole cores: use 1, 2, 4…' };

/** A positive decimal typed by a person ("2", "0.5"); messages name the field and unit. */
function parseAmount(text: string, label: string, unit: string, min: number, max: number, step: Step): { value?: number; error?: string } {
  const trimmed = text.trim();
  const field = capitalise(label);
  if (trimmed.length === 0) return { error: `Enter the ${label}.` };
  if (/^-(\d*\.?\d+|\d+\.)$/.test(trimmed)) return { error: `${field} must be more than 0.` };
  if (!/^\d*\.?\d+$|^\d+\.$/.test(trimmed)) return { error: `${field} must be a number of ${unit}, like 2 or 0.5.` };
  const value = Number(trimmed);
  if (value <= 0) return { error: `${field} must be more than 0.` };
  if (value < min) return { error: `${field} must be at least ${min} ${unit}.` };
  if (value > max) return { error: `${field} must be at most ${max} ${unit}.` };
  if (Math.abs(Math.round(value / step.size) * step.size - value) > 1e-9) return { error: step.error(field, trimmed, value) };
  return { value };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A count exactly as typed: plain ASCII digits, no sign, no spaces, no leading zero, no exponent.
 * Each near miss ("+5", " 5 ", "00", "1e309", "٣") gets its own message rather than a guess at
 * what was meant. `minimum` is 1 for a create, 0 for a scale.
 */
export function parseCount(text: string, maxInstances: number, minimum = 1): { value?: number; error?: string } {
  const trimmed = text.trim();
  const atLeast = minimum > 0 ? 'A cluster needs at least 1 instance.' : 'The instance count cannot be negative.';
  if (trimmed.length === 0) return { error: 'Enter the number of instances.' };
  if (trimmed !== text) return { error: `Type the count without spaces around it: ${clip(trimmed)}.` };
  if (/^-\d+$/.test(text)) return { error: atLeast };
  if (/^\+\d+$/.test(text)) return { error: `Type the count without a sign: ${clip(text.slice(1))}.` };
  if (/^\p{Nd}+$/u.test(text) && !/^[0-9]+$/.test(text)) return { error: 'Type the count with the digits 0-9.' };
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i.test(text)) return { error: `The instance count must be a whole number like 3, not the exponent form ${clip(text)}.` };
  if (!/^[0-9]+$/.test(text)) return { error: 'The instance count must be a whole number.' };
  if (text.length > 1 && text.startsWith('0')) return { error: `Type the count without leading zeros: ${clip(text.replace(/^0+(?=\d)/, ''))}.` };
  const value = Number(text);
  if (value < minimum) return { error: atLeast };
  if (value > maxInstances) return { error: `At most ${maxInstances} instances (setting cmp.maxInstances).` };
  return { value };
}

export function validateClusterForm(input: ClusterFormInput, limits: ValidationLimits = defaultLimits): ValidationResult {
  const errors: FieldErrors = {};
  const nameError = clusterNameError(input.name);
  if (nameError) errors.name = nameError;

  let instanceType: InstanceType | undefined;
  if (!instanceTypes.includes(input.instanceType as InstanceType)) errors.instanceType = 'Choose container or vm.';
  else if (input.instanceType === 'vm' && !limits.vmAvailable) errors.instanceType = 'VMs need KubeVirt: the VirtualMachine CRD (kubevirt.io/v1) is not installed.';
  else instanceType = input.instanceType as InstanceType;

  // The form hides the image for VMs, so a VM choice never gets an image message, even when refused.
  if (input.instanceType !== 'vm') {
    const error = imageError(input.image.trim());
    if (error) errors.image = error;
  }
  // A VM's minimum is 0 so that 0.5 reaches the step check and gets the whole-cores message too.
  const cpu = instanceType === 'vm'
    ? parseAmount(input.cpu, 'CPU per instance', 'cores', 0, limits.maxCpuPerInstance, wholeCores)
    : parseAmount(input.cpu, 'CPU per instance', 'cores', 0.001, limits.maxCpuPerInstance, millicores);
  if (cpu.error) errors.cpu = cpu.error;
  const memory = parseAmount(input.memoryGiB, 'memory per instance', 'GiB', 0.125, limits.maxMemoryGiBPerInstance, mebibytes);
  if (memory.error) errors.memoryGiB = memory.error;
  const count = parseCount(input.count, limits.maxInstances, limits.minInstances ?? 1);
  if (count.error) errors.count = count.error;

  let quota: { quotaCpu?: number; quotaMemoryGiB?: number } = {};
  if (input.resourceQuota) {
    const unlimited = (text: string) => limits.quotaMayBeUnlimited === true && text.trim() === '';
    const quotaCpu = unlimited(input.quotaCpu) ? {} : parseAmount(input.quotaCpu, 'quota CPU', 'cores', 0.001, 1e6, millicores);
    const quotaMemory = unlimited(input.quotaMemoryGiB) ? {} : parseAmount(input.quotaMemoryGiB, 'quota memory', 'GiB', 1 / 1024, 1e7, mebibytes);
    if (quotaCpu.error) errors.quotaCpu = quotaCpu.error;
    if (quotaMemory.error) errors.quotaMemoryGiB = quotaMemory.error.replace(/0\.0009765625 GiB/, '1 MiB');
    quota = { ...(quotaCpu.value !== undefined ? { quotaCpu: quotaCpu.value } : {}), ...(quotaMemory.value !== undefined ? { quotaMemoryGiB: quotaMemory.value } : {}) };
    if (cpu.value !== undefined && count.value !== undefined && quotaCpu.value !== undefined) {
      const needed = quotaFor(cpu.value, 1, count.value).quotaCpu;
      if (quotaCpu.value + 1e-9 < needed) errors.quotaCpu = `The quota's ${quotaCpu.value} cores cannot hold ${count.value} × ${cpu.value} = ${needed} cores.`;
    }
    if (memory.value !== undefined && count.value !== undefined && quotaMemory.value !== undefined) {
      const needed = quotaFor(1, memory.value, count.value).quotaMemoryGiB;
      if (quotaMemory.value + 1e-9 < needed) errors.quotaMemoryGiB = `The quota's ${quotaMemory.value} GiB cannot hold ${count.value} × ${memory.value} = ${needed} GiB.`;
    }
  }
  const labels = parseLabels(input.labels);
  if (labels.error) errors.labels = labels.error;

  if (Object.keys(errors).length > 0 || !instanceType || cpu.value === undefined || memory.value === undefined || count.value === undefined) {
    return { errors };
  }
  return {
    errors,
    spec: {
      name: input.name,
      instanceType,
      image: instanceType === 'vm' ? '' : input.image.trim(),
      cpu: cpu.value,
      memoryGiB: memory.value,
      count: count.value,
      isolation: {
        resourceQuota: input.resourceQuota,
        ...quota,
        limitRange: input.limitRange,
        networkPolicy: input.networkPolicy,
        serviceAccount: input.serviceAccount,
      },
      labels: labels.labels,
    },
  };
}
