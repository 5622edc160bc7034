// Bounded parallelism for writes: at most `limit` calls in flight, stop launching on the first
// failure or on cancel, and settle everything already started before reporting.

export class CancelledError extends Error {
  constructor(message = 'Cancelled.') {
    super(message);
    this.name = 'CancelledError';
  }
}

export interface BoundedOptions {
  limit: number;
  signal?: AbortSignal;
  /** Called after each item succeeds, with the number done so far. */
  onProgress?: (done: number) => void;
}

export async function mapBounded<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, options: BoundedOptions): Promise<R[]> {
  const results = new Array<R>(items.length);
  const limit = Math.max(1, Math.floor(options.limit));
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      if (options.signal?.aborted) {
        failure = { error: new CancelledError() };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
        done += 1;
        options.onProgress?.(done);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  if (options.signal?.aborted) throw new CancelledError();
  return results;
}
