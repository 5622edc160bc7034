// Summaries of benchmark samples: median with a spread (p25–p75 when there are enough samples,
// else min–max), percentiles by linear interpolation, and the ratios the table prints.

export interface Summary {
  median: number;
  low: number;
  high: number;
  /** What low–high is: the interquartile range, the whole range, or a tail (for p99 rows). */
  spread: 'p25–p75' | 'min–max' | 'p95–max';
  n: number;
  samples: number[];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const a = sorted[lower] as number;
  const b = sorted[upper] as number;
  return a + (b - a) * (rank - lower);
}

/** Median and spread of repeated runs; fewer than 8 samples show min–max, more show p25–p75. */
export function summarize(samples: readonly number[]): Summary {
  const wide = samples.length >= 8;
  return {
    median: percentile(samples, 50),
    low: wide ? percentile(samples, 25) : Math.min(...samples),
    high: wide ? percentile(samples, 75) : Math.max(...samples),
    spread: wide ? 'p25–p75' : 'min–max',
    n: samples.length,
    samples: [...samples],
  };
}

/** A tail percentile of many latency samples, with p95–max as its spread. */
export function summarizeTail(samples: readonly number[], p: number): Summary {
  return { median: percentile(samples, p), low: percentile(samples, 95), high: Math.max(...samples), spread: 'p95–max', n: samples.length, samples: [...samples] };
}

/** A single observation (bundle size, a count): no spread. */
export function single(value: number): Summary {
  return { median: value, low: value, high: value, spread: 'min–max', n: 1, samples: [value] };
}

export function ratio(a: Summary | undefined, b: Summary | undefined): number | undefined {
  if (!a || !b || !Number.isFinite(a.median) || !Number.isFinite(b.median) || b.median === 0) return undefined;
  return a.median / b.median;
}
