// Faults that may pass: the connection lost or cut (status 0, not a cancel), or the server
// answering 500/502/503/504 (a restart, an overloaded front). Writes that can be sent again
// safely go through withRetries, so one such fault does not fail a create, scale or delete.

import { setTimeout as delay } from 'node:timers/promises';
import { ApiError } from './apiError';

export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0) return error.reason === 'Unreachable' || error.reason === 'Unreadable';
  return error.status === 500 || error.status === 502 || error.status === 503 || error.status === 504;
}

export interface RetryOptions {
  signal?: AbortSignal;
  /** Tries in all, the first included. */
  attempts?: number;
  /** The first wait; each later one doubles. */
  firstWaitMs?: number;
}

/** Runs `step` until it succeeds, fails with a lasting error, or has been tried `attempts` times. */
export async function withRetries<T>(step: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 4;
  let wait = options.firstWaitMs ?? 250;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      if (attempt + 1 >= attempts || !isTransient(error) || options.signal?.aborted) throw error;
    }
    await delay(wait * (0.8 + Math.random() * 0.4), undefined, { signal: options.signal }).catch(() => undefined);
    wait *= 2;
  }
}
