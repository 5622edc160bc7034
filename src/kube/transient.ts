// Faults that may pass: the connection lost or cut (status 0, not a cancel), or the server
// answering 500/502/503/504 (a restart, an overloaded front). Reads, and writes that can be sent
// again safely, go through withRetries: for up to 30 s, so one such fault, or an apiserver
// restart, does not fail a create, scale or delete (each stays cancellable meanwhile).

import { setTimeout as delay } from 'node:timers/promises';
import { ApiError } from './apiError';

export function isTransient(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 0) return error.reason === 'Unreachable' || error.reason === 'Unreadable';
  return error.status === 500 || error.status === 502 || error.status === 503 || error.status === 504;
}

export interface RetryOptions {
  signal?: AbortSignal;
  /** How long to keep trying after the first failure: long enough to ride out an apiserver restart. */
  budgetMs?: number;
  /** The first wait; each later one doubles, up to 4 s. */
  firstWaitMs?: number;
}

/** Runs `step` until it succeeds, fails with a lasting error, is cancelled, or the time budget is spent. */
export async function withRetries<T>(step: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const budgetMs = options.budgetMs ?? 30_000;
  let wait = options.firstWaitMs ?? 250;
  let deadline: number | undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step(attempt);
    } catch (error) {
      deadline ??= Date.now() + budgetMs;
      if (!isTransient(error) || options.signal?.aborted || Date.now() + wait > deadline) throw error;
    }
    await delay(wait * (0.8 + Math.random() * 0.4), undefined, { signal: options.signal }).catch(() => undefined);
    wait = Math.min(4000, wait * 2);
  }
}
