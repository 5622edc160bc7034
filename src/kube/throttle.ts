// What to do with an API server's 429 Too Many Requests (API Priority and Fairness, or a rate limit
// in front of the server): the request was not processed, so wait as long as Retry-After says
// (bounded) and send it again, a few times at most, as client-go does.

export const maxThrottleRetries = 5;
const defaultDelayMs = 1000;
const maxDelayMs = 10_000;

/** Milliseconds to wait before sending again, or undefined when the answer is final. */
export function throttleDelayMs(status: number, retryAfter: string | undefined, attempt: number): number | undefined {
  if (status !== 429 || attempt >= maxThrottleRetries) return undefined;
  const seconds = retryAfter !== undefined && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) : undefined;
  return seconds === undefined ? defaultDelayMs : Math.min(maxDelayMs, seconds * 1000);
}
