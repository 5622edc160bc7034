// scaleCluster against the local plane: up, down (highest indices first), gap refill, convergence,
// the quota check before any write, sizes derived from an instance, and refusals.
import * as assert from 'node:assert/strict';
import { parseStoredSpec } from '../../src/core/clusterSpec';
import { resourcePath, resources, type KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { createCluster } from '../../src/kube/clusterCreator';
import { scaleCluster, ScaleError } from '../../src/kube/clusterScaler';
import { ListWatch } from '../../src/kube/listWatch';
import { NotManagedError } from '../../src/kube/ownership';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import {
  adminClient, allGuardRails, clusterSpec, instanceRange, kubectlCreate, kubectlJson, kubectlNamespace, livePodNames, OwnedNamespaces, podObject, podsRunning,
  rejection, testImage, type KubeList, type PodObject,
} from './fixtures';

interface EventObject extends KubeObject {
  reason: string;
  note: string;
  reportingController: string;
}

const managedLabels = (cluster: string) => ({ 'managed-by': 'cmp', cluster, 'cluster-namespace': 'true' });

async function storedCount(namespace: string): Promise<number | undefined> {
  const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
  return parseStoredSpec(ns.metadata.annotations?.[specAnnotation])?.count;
}

async function cmpEvents(namespace: string, reason: string): Promise<EventObject[]> {
  const list = await kubectlJson<KubeList<EventObject>>(['get', 'events.events.k8s.io', '-n', namespace]);
  return list.items.filter((e) => e.reportingController === 'cmp-vscode' && e.reason === reason);
}

async function podUids(namespace: string): Promise<Map<string, string | undefined>> {
  const pods = await kubectlJson<KubeList<PodObject>>(['get', 'pods', '-n', namespace]);
  return new Map(pods.items.map((p) => [p.metadata.name, p.metadata.uid]));
}

describe('scale a cluster', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('scales up, then down deleting the highest indices first', async () => {
    const spec = clusterSpec('updown', { count: 2, isolation: allGuardRails(0.25, 0.25, 5) });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });

    const up = await scaleCluster(client, namespace, 4, { concurrency: 4 });
    assert.deepEqual(up, { from: 2, to: 4, created: ['instance-2', 'instance-3'], deleted: [], derivedFrom: undefined });
    const pods = await podsRunning(namespace, instanceRange(4));
    for (const pod of pods) {
      assert.equal(pod.spec.serviceAccountName, 'cluster-sa', `${pod.metadata.name} runs as the cluster's account`);
      assert.deepEqual(pod.spec.containers[0]?.resources?.requests, { cpu: '250m', memory: '256Mi' });
      assert.equal(pod.metadata.labels?.cluster, spec.name);
    }
    assert.equal(await storedCount(namespace), 4, 'the new count is stored on the namespace');

    // Watch the pods to see the order in which the API receives the deletions.
    const deletionOrder: string[] = [];
    let synced = false;
    const watch = new ListWatch(client.transport, { path: resourcePath(resources.pods, namespace) }, {
      onSync: () => (synced = true),
      onEvent: (type, pod) => {
        const going = type === 'DELETED' || pod.metadata.deletionTimestamp !== undefined;
        if (going && !deletionOrder.includes(pod.metadata.name)) deletionOrder.push(pod.metadata.name);
      },
      onError: () => undefined,
    });
    watch.start();
    try {
      await eventually('the pod watch to list', async () => (synced ? true : undefined));
      const down = await scaleCluster(client, namespace, 1, { concurrency: 1 });
      assert.deepEqual(down, { from: 4, to: 1, created: [], deleted: ['instance-3', 'instance-2', 'instance-1'], derivedFrom: undefined });
      await eventually('three deletions seen by the watch', async () => (deletionOrder.length >= 3 ? true : undefined));
      assert.deepEqual(deletionOrder, ['instance-3', 'instance-2', 'instance-1']);
    } finally {
      watch.dispose();
    }
    await podsRunning(namespace, ['instance-0']);
    assert.equal(await storedCount(namespace), 1);
  });

  it('refills a gap: instance-1 deleted with kubectl comes back when scaled to the same count', async () => {
    const spec = clusterSpec('gap', { count: 3 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 3 });
    await podsRunning(namespace, instanceRange(3));
    const before = await podUids(namespace);

    await kubectl(['delete', 'pod', 'instance-1', '-n', namespace]);
    assert.deepEqual(await livePodNames(namespace), ['instance-0', 'instance-2']);

    const result = await scaleCluster(client, namespace, 3, { concurrency: 2 });
    assert.deepEqual(result, { from: 2, to: 3, created: ['instance-1'], deleted: [], derivedFrom: undefined });
    await podsRunning(namespace, instanceRange(3));
    const after = await podUids(namespace);
    assert.notEqual(after.get('instance-1'), before.get('instance-1'), 'instance-1 is a new pod');
    assert.equal(after.get('instance-0'), before.get('instance-0'), 'instance-0 was not touched');
    assert.equal(after.get('instance-2'), before.get('instance-2'), 'instance-2 was not touched');
  });

  it('refills a gap whose instance is still terminating, once the old one is gone', async () => {
    const spec = clusterSpec('held', { count: 2 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });
    await podsRunning(namespace, instanceRange(2));
    const before = await podUids(namespace);
    // A finalizer keeps the deleted pod terminating until the test lets it go.
    await kubectl(['patch', 'pod', 'instance-1', '-n', namespace, '--type=merge', '-p', '{"metadata":{"finalizers":["cmp.test/hold"]}}']);
    await kubectl(['delete', 'pod', 'instance-1', '-n', namespace, '--wait=false']);
    assert.deepEqual(await livePodNames(namespace), ['instance-0']);

    const scaling = scaleCluster(client, namespace, 2, { concurrency: 2 });
    await new Promise((done) => setTimeout(done, 1500));
    await kubectl(['patch', 'pod', 'instance-1', '-n', namespace, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    const result = await scaling;
    assert.deepEqual(result, { from: 1, to: 2, created: ['instance-1'], deleted: [], derivedFrom: undefined });
    await podsRunning(namespace, instanceRange(2));
    assert.notEqual((await podUids(namespace)).get('instance-1'), before.get('instance-1'));
  });

  it('converges: scaling twice to N leaves exactly instance-0..N-1, and other pods alone', async () => {
    const spec = clusterSpec('conv', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });
    // A pod another CMP tool labelled as managed, and one nobody manages: neither is an instance.
    await kubectlCreate(
      podObject(namespace, 'helper', { 'managed-by': 'cmp', cluster: spec.name }),
      podObject(namespace, 'sidecar', { app: 'sidecar' }),
    );

    const first = await scaleCluster(client, namespace, 3, { concurrency: 3 });
    assert.deepEqual(first, { from: 1, to: 3, created: ['instance-1', 'instance-2'], deleted: [], derivedFrom: undefined });
    const second = await scaleCluster(client, namespace, 3, { concurrency: 3 });
    assert.deepEqual(second, { from: 3, to: 3, created: [], deleted: [], derivedFrom: undefined });
    await podsRunning(namespace, [...instanceRange(3), 'helper', 'sidecar']);

    const none = await scaleCluster(client, namespace, 0, { concurrency: 3 });
    assert.deepEqual(none, { from: 3, to: 0, created: [], deleted: ['instance-2', 'instance-1', 'instance-0'], derivedFrom: undefined });
    await eventually('only helper and sidecar to remain', async () => ((await livePodNames(namespace)).join() === 'helper,sidecar' ? true : undefined));
    assert.equal(await storedCount(namespace), 0);
  });

  it('refuses before any write when the quota cannot hold the new count', async () => {
    const spec = clusterSpec('quota', { count: 2, isolation: allGuardRails(0.25, 0.25, 2) });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });
    await podsRunning(namespace, instanceRange(2));
    const nsBefore = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    const podsBefore = await podUids(namespace);

    const error = await rejection(scaleCluster(client, namespace, 3, { concurrency: 2 }), ScaleError);
    assert.match(error.message, /^The quota allows requests\.cpu 0\.5 cores; 0\.5 are used .*Room for 0 more/);

    const nsAfter = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(nsAfter.metadata.resourceVersion, nsBefore.metadata.resourceVersion, 'the namespace was not written');
    assert.deepEqual(await podUids(namespace), podsBefore, 'no pod was created or deleted');
    assert.deepEqual(await cmpEvents(namespace, 'ClusterScaled'), []);
  });

  it('derives sizes from an existing instance when the namespace has no stored spec, and says so', async () => {
    const cluster = uniqueName('derived');
    const namespace = owned.add(`${cluster}-ns`);
    await kubectlNamespace(namespace, managedLabels(cluster));
    // "helper" is managed but not an instance: its sizes must not be copied, nor it counted.
    await kubectlCreate(
      podObject(namespace, 'instance-0', { 'managed-by': 'cmp', cluster }, { cpu: '300m', memory: '384Mi' }),
      podObject(namespace, 'helper', { 'managed-by': 'cmp', cluster }, { cpu: '100m', memory: '128Mi' }),
    );

    const result = await scaleCluster(client, namespace, 3, { concurrency: 2 });
    assert.deepEqual(result, { from: 1, to: 3, created: ['instance-1', 'instance-2'], deleted: [], derivedFrom: 'instance-0' });
    const pods = await podsRunning(namespace, [...instanceRange(3), 'helper']);
    for (const pod of pods.filter((p) => p.metadata.name === 'instance-1' || p.metadata.name === 'instance-2')) {
      assert.equal(pod.spec.containers[0]?.image, testImage);
      assert.deepEqual(pod.spec.containers[0]?.resources, { requests: { cpu: '300m', memory: '384Mi' }, limits: { cpu: '300m', memory: '384Mi' } });
      assert.deepEqual(pod.metadata.labels, { 'managed-by': 'cmp', cluster, 'cmp.io/instance-index': pod.metadata.name.slice('instance-'.length) });
    }
    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.deepEqual(parseStoredSpec(ns.metadata.annotations?.[specAnnotation]), { instanceType: 'container', image: testImage, cpu: 0.3, memoryGiB: 0.375, count: 3 });
    const events = await cmpEvents(namespace, 'ClusterScaled');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.note, `CMP cluster ${cluster} scaled from 1 to 3 instance(s) (sizes derived from instance-0).`);
  });

  it('refuses to grow a cluster that has neither a stored spec nor an instance', async () => {
    const cluster = uniqueName('empty');
    const namespace = owned.add(`${cluster}-ns`);
    const before = await kubectlNamespace(namespace, managedLabels(cluster));
    const error = await rejection(scaleCluster(client, namespace, 2, { concurrency: 2 }), ScaleError);
    assert.equal(error.message, `Cluster ${cluster} has no stored spec and no instance to copy sizes from, so new instances cannot be made.`);
    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(await livePodNames(namespace), []);
  });

  it('refuses a namespace CMP does not manage, and a count below zero', async () => {
    const namespace = owned.add(uniqueName('plain'));
    const before = await kubectlNamespace(namespace, { cluster: 'lookalike' });
    await kubectlCreate(podObject(namespace, 'instance-0', { cluster: 'lookalike' }));
    const error = await rejection(scaleCluster(client, namespace, 3, { concurrency: 2 }), NotManagedError);
    assert.equal(error.namespace, namespace);
    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.deepEqual(await livePodNames(namespace), ['instance-0']);

    await rejection(scaleCluster(client, namespace, -1, { concurrency: 2 }), ScaleError);
  });
});
