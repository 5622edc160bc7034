// Kubernetes quantities for CPU cores and GiB of memory: formatting what we send and parsing what
// other tools wrote, so sizes round-trip without drift.

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
/** Powers of ten; negative ones are applied by division so that "127999m" reads as exactly 127.999. */
const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity's value in base units (cores, bytes), or undefined when it is not a quantity. */
export function parseQuantity(text: string): number | undefined {
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+))?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?$/.exec(text.trim());
  if (!match) return undefined;
  const [, number, exponent, suffix = ''] = match;
  const binary = binarySuffixes[suffix];
  const power = Number(exponent ?? 0) + (binary === undefined ? (decimalExponents[suffix] ?? 0) : 0);
  const decimal = power < 0 ? Number(number) / 10 ** -power : Number(number) * 10 ** power;
  return decimal * (binary ?? 1);
}

/** Cores as a quantity: whole cores plain ("2"), fractions in millicores ("1500m"). */
export function formatCpu(cores: number): string {
  const milli = Math.round(cores * 1000);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

/** GiB as a quantity: whole GiB as "4Gi", fractions in MiB ("1536Mi"). */
export function formatMemoryGiB(gib: number): string {
  const mib = Math.round(gib * 1024);
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

export function cpuCoresOf(quantity: string | undefined): number | undefined {
  return quantity === undefined ? undefined : parseQuantity(quantity);
}

export function memoryGiBOf(quantity: string | undefined): number | undefined {
  const bytes = quantity === undefined ? undefined : parseQuantity(quantity);
  return bytes === undefined ? undefined : bytes / 2 ** 30;
}

/** Two quantities equal by value ("0.5" and "500m", "1Gi" and "1024Mi"); text that is no quantity must match exactly. */
export function sameQuantity(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const [x, y] = [parseQuantity(a), parseQuantity(b)];
  return x !== undefined && y !== undefined ? Math.abs(x - y) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(y)) : a === b;
}

/** Short human form: 2, 0.5, 1.25 (no trailing zeros). */
export function formatNumber(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
