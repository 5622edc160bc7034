// Cluster-wide logs against the local control plane: every instance of the cluster in one stream,
// lines tagged with their instance; instances join as they appear and leave when deleted.
import * as assert from 'node:assert/strict';
import type { LogLine } from '../../src/core/logLines';
import { ClusterLogAggregator } from '../../src/kube/clusterLogs';
import { eventually } from '../support/testPlane';
import { deletePod, liveClusterFixture, loggingPod } from './paneFixtures';

describe('ClusterLogAggregator', () => {
  const live = liveClusterFixture('agg');
  const { client, files, clock } = live;

  const labels = () => ({ 'managed-by': 'cmp', cluster: live.cluster });

  it('follows every instance, adds instances that appear and lets go of deleted ones', async () => {
    for (const name of ['instance-0', 'instance-1']) await loggingPod(client, live.namespace, name, files.write(name, [[clock.next(), `${name} hello`]]), { labels: labels() });
    const lines: { source: string; line: LogLine }[] = [];
    const events: string[] = [];
    const aggregator = new ClusterLogAggregator(client.transport, live.cache, live.namespace, { tailLines: 10, minBackoffMs: 50, maxBackoffMs: 400 }, {
      onLines: (source, batch) => lines.push(...batch.map((line) => ({ source, line }))),
      onMarker: (source, kind, text) => events.push(`${kind} ${source ?? ''}: ${text}`),
      onJoined: (source) => events.push(`joined ${source}`),
      onLeft: (source) => events.push(`left ${source}`),
    });
    const from = (source: string) => lines.filter((l) => l.source === source).map((l) => l.line.text);
    aggregator.start();
    try {
      await eventually('lines of both instances', async () => (from('instance-0').length && from('instance-1').length ? true : undefined));
      assert.deepEqual(from('instance-0'), ['instance-0 hello']);
      assert.deepEqual(from('instance-1'), ['instance-1 hello']);
      assert.deepEqual(aggregator.followed.sort(), ['instance-0', 'instance-1']);

      await loggingPod(client, live.namespace, 'instance-2', files.write('instance-2', [[clock.next(), 'instance-2 hello']]), { labels: labels() });
      await eventually('instance-2 to join with its lines', async () => (from('instance-2').length ? true : undefined));
      assert.ok(events.includes('joined instance-2'));

      files.append('instance-0', [[clock.next(), 'instance-0 again']]);
      await eventually('a followed line of instance-0', async () => (from('instance-0').includes('instance-0 again') ? true : undefined));

      await deletePod(client, live.namespace, 'instance-1');
      await eventually('instance-1 to leave', async () => (events.includes('left instance-1') ? true : undefined), 30_000);
      assert.deepEqual(aggregator.followed.sort(), ['instance-0', 'instance-2']);
      const before = from('instance-1').length;
      files.append('instance-1', [[clock.next(), 'instance-1 after leaving']]);
      files.append('instance-2', [[clock.next(), 'instance-2 still here']]);
      await eventually('instance-2 to keep streaming', async () => (from('instance-2').includes('instance-2 still here') ? true : undefined));
      assert.equal(from('instance-1').length, before, 'nothing from an instance that left');
    } finally {
      aggregator.dispose();
    }
    assert.deepEqual(aggregator.followed, []);
  });
});
