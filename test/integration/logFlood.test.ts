// A flood of log lines against the local control plane: the pane's buffer stays at its capacity,
// every batch for the webview is bounded, and every line is either sent or counted as skipped.
// How fast it goes and how long the event loop stalls are measured by the benchmarks (P6), not here.
import * as assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { LogPaneFeed } from '../../src/kube/logPaneFeed';
import { eventually } from '../support/testPlane';
import { liveClusterFixture, loggingPod } from './paneFixtures';

describe('a flood of log lines', () => {
  const live = liveClusterFixture('flood');
  const { client, files, clock } = live;

  it('keeps the buffer bounded and batches bounded, and loses no count of lines', async () => {
    const total = 200_000;
    const capacity = 10_000;
    const lines: [string, string][] = Array.from({ length: total }, (_, i) => [clock.next(0), `flood line ${i} ${'x'.repeat(40)}`]);
    await loggingPod(client, live.namespace, 'instance-0', files.write('instance-0', lines), { labels: { 'managed-by': 'cmp', cluster: live.cluster } });
    await eventually('the cache to list instance-0', async () => (live.cache.cluster(live.namespace)?.instances.length === 1 ? true : undefined));

    let received = 0;
    let largestBatch = 0;
    let skipped = 0;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const feed = new LogPaneFeed(client.transport, live.cache, { kind: 'instance', namespace: live.namespace, name: 'instance-0' }, { tailLines: total, bufferLines: capacity }, {
      onEntries: () => undefined,
      onState: () => undefined,
      onSourcesChanged: () => undefined,
    });
    // What the panel does every 100 ms: take the batch for the webview.
    const batcher = setInterval(() => {
      const batch = feed.buffer.takeBatch();
      received += batch.entries.length + batch.skipped;
      skipped += batch.skipped;
      largestBatch = Math.max(largestBatch, batch.entries.length);
    }, 100);
    const started = Date.now();
    delay.enable();
    feed.start();
    try {
      await eventually('every line to pass through the pane', async () => (feed.buffer.all().at(-1)?.text.startsWith(`flood line ${total - 1} `) ? true : undefined), 60_000, 20);
      const elapsedMs = Date.now() - started;
      delay.disable();
      const batch = feed.buffer.takeBatch();
      received += batch.entries.length + batch.skipped;
      assert.equal(feed.buffer.size, capacity, 'the pane keeps exactly its capacity');
      assert.ok(largestBatch <= capacity, `batches stay within the capacity (largest ${largestBatch})`);
      assert.equal(received, total, 'every line was either sent or counted as skipped');
      const maxDelayMs = delay.max / 1e6;
      console.log(`      ${total} lines in ${elapsedMs} ms (${Math.round(total / (elapsedMs / 1000))} lines/s); largest batch ${largestBatch}, skipped ${skipped}; event loop delay p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${maxDelayMs.toFixed(1)} ms`);
    } finally {
      clearInterval(batcher);
      feed.dispose();
    }
  });
});
