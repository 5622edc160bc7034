// What Describe and the tooltips read besides the cache, against the local control plane: quota
// usage, guard rails, an instance's events, and the metrics API, which this plane does not serve.
import * as assert from 'node:assert/strict';
import { readGuardRails, readObjectEvents, readPodUsage, readQuotaUsage } from '../../src/kube/usageReader';
import { eventually } from '../support/testPlane';
import { Clock, cmpNamespace, deleteNamespace, LogFiles, loggingPod, paneClient } from './paneFixtures';

describe('usage and describe reads', () => {
  const client = paneClient();
  const files = new LogFiles();
  let namespace = '';

  before(async () => {
    namespace = (await cmpNamespace(client, 'usage')).namespace;
    await client.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'cluster-quota', namespace }, spec: { hard: { pods: '4', services: '3' } } });
    await client.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'cluster-sa', namespace } });
    await loggingPod(client, namespace, 'instance-0', files.write('instance-0', [[new Clock().next(), 'hello']]));
  });

  after(async () => {
    await deleteNamespace(namespace);
    files.remove();
    client.transport.dispose();
  });

  it('reads quota used/hard as the quota controller counts it', async () => {
    const rows = await eventually('the quota to count the pod', async () => {
      const quota = await readQuotaUsage(client, namespace);
      return quota.find((q) => q.resource === 'pods')?.used === '1' ? quota : undefined;
    });
    assert.deepEqual(rows.map((r) => `${r.quota} ${r.resource} ${r.used}/${r.hard}`), ['cluster-quota pods 1/4', 'cluster-quota services 0/3']);
    assert.equal(rows[0]?.percent, 25);
  });

  it('lists the guard rails without the default ServiceAccount', async () => {
    const rails = await readGuardRails(client, namespace);
    assert.deepEqual(rails.map((r) => `${r.kind}/${r.metadata.name}`).sort(), ['ResourceQuota/cluster-quota', 'ServiceAccount/cluster-sa']);
  });

  it('reads the events of one instance', async () => {
    const events = await eventually('the scheduler\'s event about instance-0', async () => {
      const rows = await readObjectEvents(client, namespace, 'Pod', 'instance-0');
      return rows.some((r) => r.reason === 'Scheduled') ? rows : undefined;
    });
    assert.ok(events.every((e) => e.object === 'Pod/instance-0'));
  });

  it('reads nothing, and throws nothing, when the metrics API is not served', async () => {
    assert.equal(await readPodUsage(client, namespace), undefined);
    assert.equal(await readPodUsage(client, namespace, 'instance-0'), undefined);
  });
});
