// Runs competing variants of one measure in interleaved rounds (the order rotates every round, so
// drift on the shared plane hits each alike) and retries a run the API server's restart broke.
import type { BenchContext } from './benchTypes';
import { isOutage, waitReady } from './benchPlane';

export interface Variant {
  who: string;
  /** One timed run; returns milliseconds (or whatever the measure samples). */
  run: (round: number) => Promise<number>;
  /** Slow variants (kubectl) run only ctx.runs times, spread evenly over the rounds. */
  slow?: boolean;
}

/** Rounds for measures where the fast contenders get more runs than kubectl at full size (less noise). */
export function fastRounds(ctx: BenchContext): number {
  return ctx.size === 'full' ? ctx.runs * 2 : ctx.runs;
}

/** Whether a slow variant runs in this round. */
export function slowRunsIn(ctx: BenchContext, round: number, runs: number): boolean {
  return round % Math.max(1, Math.floor(runs / ctx.runs)) === 0;
}

export async function rounds(ctx: BenchContext, label: string, runs: number, variants: readonly Variant[]): Promise<Map<string, number[]>> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.who, []]));
  for (let round = 0; round < runs; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length] as Variant).filter((v) => !v.slow || slowRunsIn(ctx, round, runs));
    for (const variant of order) {
      const value = await retryOnOutage(ctx, `${label} ${variant.who}`, () => variant.run(round));
      samples.get(variant.who)?.push(value);
      ctx.log(`  ${label} round ${round + 1}/${runs} ${variant.who}: ${value.toFixed(1)}`);
    }
  }
  return samples;
}

/** Runs fn; if the API server went away meanwhile, waits for it and runs fn again (at most 3 times). */
export async function retryOnOutage<T>(ctx: BenchContext, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt >= 3 || !isOutage(error)) throw error;
      ctx.log(`  ${what}: the API server went away (${error instanceof Error ? error.message.slice(0, 120) : String(error)}); waiting and retrying`);
      ctx.floor.close();
      await waitReady(ctx.floor);
    }
  }
}

export function elapsed(start: number): number {
  return performance.now() - start;
}
