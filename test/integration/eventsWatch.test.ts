// The events watch against the local control plane: events written through both APIs arrive as one
// row type in newest-first order, and new and updated events arrive live.
import * as assert from 'node:assert/strict';
import { compareEventRows, type EventRow } from '../../src/core/eventRows';
import { EventsWatch } from '../../src/kube/eventsWatch';
import { eventually } from '../support/testPlane';
import { cmpNamespace, deleteNamespace, paneClient } from './paneFixtures';

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
const microTime = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().replace('Z', '000Z');

describe('EventsWatch', () => {
  const client = paneClient();
  let namespace = '';

  /** A core/v1 event about an instance. */
  const coreEvent = (name: string, minutesAgo: number, overrides: Record<string, unknown> = {}) => client.transport.request<{ metadata: { uid: string } }>({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/events`,
    body: {
      apiVersion: 'v1', kind: 'Event', metadata: { name },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'instance-0', namespace },
      reason: 'BackOff', message: `core ${name}`, type: 'Warning', count: 2,
      firstTimestamp: ago(minutesAgo + 1), lastTimestamp: ago(minutesAgo), source: { component: 'kubelet' },
      ...overrides,
    },
  });

  /** An events.k8s.io/v1 event about the namespace, as CMP records its actions. */
  const modernEvent = (name: string, minutesAgo: number) => client.transport.request<{ metadata: { uid: string } }>({
    method: 'POST',
    path: `/apis/events.k8s.io/v1/namespaces/${namespace}/events`,
    body: {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name },
      eventTime: microTime(minutesAgo), reportingController: 'cmp-vscode', reportingInstance: 'cmp-vscode-test', action: 'Scale',
      reason: 'Scaled', note: `modern ${name}`, type: 'Normal', regarding: { apiVersion: 'v1', kind: 'Namespace', name: namespace, namespace },
    },
  });

  before(async () => {
    namespace = (await cmpNamespace(client, 'events')).namespace;
  });

  after(async () => {
    await deleteNamespace(namespace);
    client.transport.dispose();
  });

  it('lists events of both APIs as rows, newest last-seen first, and delivers new and updated ones live', async () => {
    const oldest = await coreEvent('oldest', 10);
    const middle = await modernEvent('middle', 5);
    const newest = await coreEvent('newest', 1);
    const rows = new Map<string, EventRow>();
    const changes: string[] = [];
    let syncs = 0;
    const watch = new EventsWatch(client.transport, namespace, {
      onSync: (all) => {
        syncs += 1;
        rows.clear();
        for (const row of all) rows.set(row.key, row);
      },
      onChange: (type, row) => {
        changes.push(`${type} ${row.message}`);
        if (type === 'DELETED') rows.delete(row.key);
        else rows.set(row.key, row);
      },
      onError: (error) => assert.fail(`events watch failed: ${error.message}`),
    });
    watch.start();
    try {
      await eventually('the first list', async () => (syncs > 0 ? true : undefined));
      const listed = [...rows.values()].sort(compareEventRows);
      assert.deepEqual(listed.map((r) => r.key), [newest.metadata.uid, middle.metadata.uid, oldest.metadata.uid]);
      assert.deepEqual(listed.map((r) => r.message), ['core newest', 'modern middle', 'core oldest']);
      const modern = rows.get(middle.metadata.uid);
      assert.equal(modern?.object, `Namespace/${namespace}`);
      assert.equal(modern?.source, 'cmp-vscode');
      assert.equal(rows.get(oldest.metadata.uid)?.count, 2);
      assert.equal(rows.get(oldest.metadata.uid)?.type, 'Warning');

      const live = await coreEvent('live', 0, { message: '<img src=x onerror=alert(1)> arrived live', type: 'Normal', count: 1 });
      await eventually('the new event to arrive', async () => (rows.has(live.metadata.uid) ? true : undefined));
      assert.equal(rows.get(live.metadata.uid)?.message, '<img src=x onerror=alert(1)> arrived live');
      assert.equal([...rows.values()].sort(compareEventRows)[0]?.key, live.metadata.uid, 'the live event sorts first');

      await client.mergePatch({ group: '', version: 'v1', plural: 'events', namespaced: true }, namespace, 'oldest', { count: 7, lastTimestamp: new Date(Date.now() + 1000).toISOString().replace(/\.\d+Z$/, 'Z') });
      await eventually('the updated count to arrive', async () => (rows.get(oldest.metadata.uid)?.count === 7 ? true : undefined));
      assert.equal([...rows.values()].sort(compareEventRows)[0]?.key, oldest.metadata.uid, 'a repeated event moves to the top');
      assert.deepEqual(changes.filter((c) => !c.startsWith('ADDED modern')), ['ADDED <img src=x onerror=alert(1)> arrived live', 'MODIFIED core oldest']);
      assert.equal(watch.source, 'events.k8s.io/v1');
    } finally {
      watch.dispose();
    }
  });
});
