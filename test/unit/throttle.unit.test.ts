// throttleDelayMs: only 429 is retried, Retry-After in seconds is honoured within a cap, anything
// unreadable waits one second, and the retries stop after maxThrottleRetries.
import * as assert from 'node:assert/strict';
import { maxThrottleRetries, throttleDelayMs } from '../../src/kube/throttle';

describe('throttleDelayMs', () => {
  it('answers undefined for every status but 429', () => {
    for (const status of [200, 201, 404, 409, 500, 503]) assert.equal(throttleDelayMs(status, '1', 0), undefined, String(status));
  });

  it('waits as many seconds as Retry-After says, up to ten', () => {
    assert.equal(throttleDelayMs(429, '2', 0), 2000);
    assert.equal(throttleDelayMs(429, ' 0 ', 0), 0);
    assert.equal(throttleDelayMs(429, '3600', 0), 10_000);
  });

  it('waits one second when Retry-After is missing or not a number of seconds', () => {
    assert.equal(throttleDelayMs(429, undefined, 0), 1000);
    assert.equal(throttleDelayMs(429, 'Wed, 25 Nov 2026 22:00:00 GMT', 0), 1000);
    assert.equal(throttleDelayMs(429, '-1', 0), 1000);
  });

  it(`gives up after ${maxThrottleRetries} retries`, () => {
    assert.equal(throttleDelayMs(429, '1', maxThrottleRetries - 1), 1000);
    assert.equal(throttleDelayMs(429, '1', maxThrottleRetries), undefined);
  });
});
