// mapBounded: results in order, never more than `limit` calls in flight, no new launches after the
// first failure or a cancel, everything started settled before it reports, and progress counts.
import * as assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { CancelledError, mapBounded } from '../../src/core/concurrency';

/** A promise the test resolves when it chooses. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => { open = resolve; });
  return { promise, open };
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('mapBounded', () => {
  it('returns results in item order whatever order they finish in', async () => {
    const results = await mapBounded([30, 5, 20, 0], async (ms, i) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return `${i}:${ms}`;
    }, { limit: 4 });
    assert.deepEqual(results, ['0:30', '1:5', '2:20', '3:0']);
  });

  it('keeps at most `limit` calls in flight, and uses all of them', async () => {
    let inFlight = 0;
    let most = 0;
    await mapBounded(range(10), async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await tick();
      inFlight -= 1;
    }, { limit: 3 });
    assert.equal(most, 3);
  });

  it('runs one at a time when the limit is below 1, and rounds a fractional limit down', async () => {
    for (const [limit, expected] of [[0, 1], [-2, 1], [2.7, 2]] as const) {
      let inFlight = 0;
      let most = 0;
      await mapBounded(range(6), async () => {
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight -= 1;
      }, { limit });
      assert.equal(most, expected, `limit ${limit}`);
    }
  });

  it('calls nothing for no items', async () => {
    let calls = 0;
    assert.deepEqual(await mapBounded([], async () => { calls += 1; }, { limit: 4 }), []);
    assert.equal(calls, 0);
  });

  it('stops launching after the first failure, waits for calls in flight, then rethrows it', async () => {
    const boom = new Error('boom');
    const slow = gate();
    const started: number[] = [];
    const finished: number[] = [];
    let settled = false;
    const run = mapBounded(range(6), async (i) => {
      started.push(i);
      if (i === 0) await slow.promise;
      if (i === 1) throw boom;
      finished.push(i);
    }, { limit: 2 }).finally(() => { settled = true; });
    await tick();
    assert.equal(settled, false, 'must wait for instance 0, still in flight');
    slow.open();
    await assert.rejects(run, (error) => error === boom);
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(finished, [0]);
  });

  it('rethrows the first failure when a later one follows', async () => {
    const first = new Error('first');
    const later = gate();
    const run = mapBounded([0, 1], async (i) => {
      if (i === 0) {
        await later.promise;
        throw new Error('second');
      }
      later.open();
      throw first;
    }, { limit: 2 });
    await assert.rejects(run, (error) => error === first);
  });

  it('starts nothing when already cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    let calls = 0;
    await assert.rejects(mapBounded(range(3), async () => { calls += 1; }, { limit: 2, signal: controller.signal }), CancelledError);
    assert.equal(calls, 0);
  });

  it('stops launching on cancel and reports CancelledError', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = mapBounded(range(5), async (i) => {
      started.push(i);
      if (i === 1) controller.abort();
    }, { limit: 1, signal: controller.signal });
    await assert.rejects(run, (error) => error instanceof CancelledError && error.name === 'CancelledError' && error.message === 'Cancelled.');
    assert.deepEqual(started, [0, 1]);
  });

  it('reports progress once per success, counting up', async () => {
    const progress: number[] = [];
    await mapBounded(range(4), async () => { await tick(); }, { limit: 2, onProgress: (done) => progress.push(done) });
    assert.deepEqual(progress, [1, 2, 3, 4]);
  });

  it('does not count a failure as progress', async () => {
    const progress: number[] = [];
    const run = mapBounded(range(4), async (i) => {
      if (i === 2) throw new Error('no');
    }, { limit: 1, onProgress: (done) => progress.push(done) });
    await assert.rejects(run, { message: 'no' });
    assert.deepEqual(progress, [1, 2]);
  });

  it('passes each item with its index', async () => {
    assert.deepEqual(await mapBounded(['a', 'b'], async (item, index) => `${index}${item}`, { limit: 1 }), ['0a', '1b']);
  });
});
