// What Describe shows: a cluster (status, spec, guard rails, quota usage, instances with usage) and
// one instance (summary, events oldest first, the object without server bookkeeping).
import * as assert from 'node:assert/strict';
import { clusterView } from '../../src/core/clusterView';
import { cleanObject, clusterDescribeDocument, instanceDescribeDocument } from '../../src/core/describe';
import type { EventRow } from '../../src/core/eventRows';
import { guardRailManifests } from '../../src/core/manifests';
import { clusterSpec, namespaceObject, readyPod } from './fixtures';

const now = Date.parse('2026-01-01T01:00:00Z');
const spec = JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 2 });
const namespace = namespaceObject('my-app-ns', { labels: { 'managed-by': 'cmp', cluster: 'my-app' }, annotations: { 'cmp.io/cluster-spec': spec }, creationTimestamp: '2026-01-01T00:00:00Z' });
const pods = [readyPod('instance-0', { creationTimestamp: '2026-01-01T00:30:00Z' }), readyPod('instance-1')];

describe('clusterDescribeDocument', () => {
  it('assembles status, spec, guard rails, quota usage and instances with usage', () => {
    const doc = clusterDescribeDocument({
      view: clusterView(namespace, pods),
      contextName: 'dev',
      guardRails: guardRailManifests(clusterSpec()),
      quotas: [{ quota: 'cluster-quota', resource: 'requests.cpu', used: '3', hard: '4500m', percent: 67 }],
      usage: [{ name: 'instance-0', cpuCores: 0.012, memoryBytes: 40 * 2 ** 20 }],
      now,
    });
    assert.equal(doc.cluster, 'my-app');
    assert.equal(doc.namespace, 'my-app-ns');
    assert.equal(doc.context, 'dev');
    assert.deepEqual(doc.status, { health: 'ready', ready: '2/2', age: '60m', created: '2026-01-01T00:00:00Z' });
    assert.deepEqual(doc.spec, { instanceType: 'container', image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 2 });
    assert.deepEqual((doc.guardRails as { kind: string }[]).map((g) => g.kind), ['ResourceQuota', 'LimitRange', 'NetworkPolicy', 'ServiceAccount', 'RoleBinding']);
    assert.deepEqual(doc.quotaUsage, ['requests.cpu: 3 / 4500m (67%)']);
    const instances = doc.instances as Record<string, unknown>[];
    assert.deepEqual(instances[0], { name: 'instance-0', kind: 'Pod', phase: 'Running', ready: true, restarts: 0, age: '30m', usage: { cpu: '12m', memory: '40Mi' } });
    assert.equal(instances[1]?.usage, undefined, 'no usage without metrics for that instance');
  });

  it('leaves out quota usage and usage when there are none', () => {
    const doc = clusterDescribeDocument({ view: clusterView(namespace, []), contextName: 'dev', guardRails: [], quotas: [], now });
    assert.equal('quotaUsage' in doc, false);
    assert.deepEqual(doc.instances, []);
    assert.deepEqual(doc.status, { health: 'progressing', ready: '0/2', age: '60m', created: '2026-01-01T00:00:00Z' });
  });
});

describe('instanceDescribeDocument', () => {
  const event = (key: string, lastSeen: string, message: string): EventRow => ({ key, type: 'Normal', reason: 'Started', object: 'Pod/instance-0', message, count: 1, firstSeen: lastSeen, lastSeen, source: 'kubelet' });

  it('lists events oldest first and shows the cleaned object', () => {
    const pod = readyPod('instance-0', { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'kept' } });
    const doc = instanceDescribeDocument({
      object: pod,
      view: clusterView(namespace, [pod]).instances[0],
      cluster: 'my-app',
      contextName: 'dev',
      events: [event('b', '2026-01-01T00:50:00Z', 'second'), event('a', '2026-01-01T00:40:00Z', 'first')],
      now,
    });
    assert.equal(doc.instance, 'instance-0');
    assert.deepEqual((doc.events as { message: string }[]).map((e) => e.message), ['first', 'second']);
    assert.deepEqual((doc.object as { metadata: { annotations: unknown } }).metadata.annotations, { note: 'kept' });
  });

  it('says "none" when there are no events', () => {
    const doc = instanceDescribeDocument({ object: readyPod('instance-0'), cluster: 'my-app', contextName: 'dev', events: [], now });
    assert.equal(doc.events, 'none');
    assert.equal('summary' in doc, false);
  });
});

describe('cleanObject', () => {
  it('drops managedFields and the stored spec, and an annotations map left empty', () => {
    const cleaned = cleanObject({ ...namespace, metadata: { ...namespace.metadata, managedFields: [{ manager: 'x' }] } as typeof namespace.metadata });
    const metadata = cleaned.metadata as Record<string, unknown>;
    assert.equal('managedFields' in metadata, false);
    assert.equal('annotations' in metadata, false);
    assert.equal(metadata.name, 'my-app-ns');
  });
});
