// ClusterCache against the local plane: changes made with kubectl (namespaces labelled, annotated,
// unlabelled, deleted; pods added, relabelled, deleted) show in clusters()/cluster(ns) and in onDidChange.
import * as assert from 'node:assert/strict';
import type { ClusterView } from '../../src/core/clusterView';
import { resourcePath, resources } from '../../src/core/kubeTypes';
import { ClusterCache, type CacheChange, type CacheState } from '../../src/kube/clusterCache';
import { createCluster } from '../../src/kube/clusterCreator';
import { ListWatch } from '../../src/kube/listWatch';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { adminClient, clusterSpec, instanceRange, kubectlCreate, kubectlNamespace, OwnedNamespaces, podObject, podsRunning, testImage } from './fixtures';

const managedLabels = (cluster: string) => ({ 'managed-by': 'cmp', cluster, 'cluster-namespace': 'true' });
const instanceLabels = (cluster: string) => ({ 'managed-by': 'cmp', cluster });

/** A started cache with every change it reported, and helpers to wait on it. */
class WatchedCache {
  readonly changes: CacheChange[] = [];
  readonly states: CacheState[] = [];
  readonly cache: ClusterCache;
  private readonly client = adminClient();

  constructor(coalesceMs = 30) {
    this.cache = new ClusterCache(this.client, { fallbackNamespaces: () => [], coalesceMs });
    this.cache.onDidChange((change) => this.changes.push(change));
    this.cache.onDidChangeState((state) => this.states.push(state));
  }

  async start(): Promise<void> {
    await this.cache.start();
    await eventually('the cache to be ready', async () => (this.cache.state.kind === 'ready' ? true : undefined));
  }

  /** Waits until cluster(namespace) satisfies the check; returns that view. */
  view(what: string, namespace: string, check: (view: ClusterView | undefined) => boolean): Promise<ClusterView | undefined> {
    return eventually(what, async () => {
      const view = this.cache.cluster(namespace);
      return check(view) ? { view } : undefined;
    }).then((found) => found.view);
  }

  /** Waits for a change naming the namespace, reported after `since` changes. */
  changed(namespace: string, since: number, structural: boolean): Promise<CacheChange> {
    return eventually(`a ${structural ? 'structural' : 'non-structural'} change for ${namespace}`, async () =>
      this.changes.slice(since).find((c) => c.namespaces.has(namespace) && c.structural === structural));
  }

  dispose(): void {
    this.cache.dispose();
    this.client.transport.dispose();
  }
}

describe('cluster cache', () => {
  const owned = new OwnedNamespaces();
  const watched = new WatchedCache();
  const client = adminClient();
  before(() => watched.start());
  after(async () => {
    watched.dispose();
    await owned.run();
    client.transport.dispose();
  });

  it('watches the whole plane when it may list namespaces', () => {
    assert.deepEqual(watched.cache.state, { kind: 'ready', scope: 'cluster' });
    assert.deepEqual(watched.states.at(-1), { kind: 'ready', scope: 'cluster' });
  });

  it('follows a cluster made and changed with kubectl: labels, pods, spec annotation, unlabel, delete', async () => {
    const cluster = uniqueName('kc');
    const namespace = owned.add(`${cluster}-ns`);
    const bystander = owned.add(`${uniqueName('quiet')}-ns`);
    await kubectlNamespace(bystander, managedLabels('quiet'));
    await watched.view('the bystander cluster', bystander, (v) => v !== undefined);

    let mark = watched.changes.length;
    await kubectlNamespace(namespace, managedLabels(cluster));
    const appeared = await watched.view('the new cluster', namespace, (v) => v !== undefined);
    assert.equal(appeared?.name, cluster);
    assert.equal(appeared?.labels['cluster-namespace'], 'true');
    assert.deepEqual(appeared?.instances, []);
    const added = await watched.changed(namespace, mark, true);
    assert.ok(!added.namespaces.has(bystander), 'a quiet cluster is not reported as changed');
    assert.ok(watched.cache.clusters().some((c) => c.namespace === namespace));

    mark = watched.changes.length;
    await kubectlCreate(
      podObject(namespace, 'instance-0', instanceLabels(cluster), { cpu: '500m', memory: '1Gi' }),
      podObject(namespace, 'instance-1', instanceLabels(cluster), { cpu: '500m', memory: '1Gi' }),
    );
    const running = await watched.view('both instances running', namespace, (v) => v?.readyCount === 2);
    assert.deepEqual(running?.instances.map((i) => [i.name, i.kind, i.state]), [['instance-0', 'Pod', 'running'], ['instance-1', 'Pod', 'running']]);
    assert.ok(running?.instances.every((i) => i.node?.startsWith('cmp-dev-node-')), 'instances show their node');
    assert.equal(running?.specDerived, true, 'without the annotation, sizes are read off instance-0');
    assert.deepEqual(running?.spec, { instanceType: 'container', image: testImage, cpu: 0.5, memoryGiB: 1, count: 2 });
    assert.equal(running?.health, 'ready');
    const podChange = await watched.changed(namespace, mark, false);
    assert.ok(!podChange.namespaces.has(bystander));

    const stored = { instanceType: 'container', image: testImage, cpu: 1, memoryGiB: 2, count: 3 };
    await kubectl(['annotate', 'namespace', namespace, `cmp.io/cluster-spec=${JSON.stringify(stored)}`]);
    const annotated = await watched.view('the stored spec', namespace, (v) => v?.specDerived === false);
    assert.deepEqual(annotated?.spec, stored);
    assert.equal(annotated?.health, 'progressing', 'two of the three stored instances exist');

    await kubectl(['label', 'pod', 'instance-1', '-n', namespace, 'managed-by-']);
    const relabelled = await watched.view('instance-1 to leave the cluster', namespace, (v) => v?.instances.length === 1);
    assert.equal(relabelled?.instances[0]?.name, 'instance-0');

    await kubectl(['delete', 'pod', 'instance-0', '-n', namespace, '--wait=false']);
    await watched.view('instance-0 to go', namespace, (v) => v?.instances.length === 0);

    mark = watched.changes.length;
    await kubectl(['label', 'namespace', namespace, 'managed-by-']);
    await watched.view('the unlabelled cluster to go', namespace, (v) => v === undefined);
    await watched.changed(namespace, mark, true);
    assert.ok(!watched.cache.clusters().some((c) => c.namespace === namespace));

    mark = watched.changes.length;
    await kubectl(['label', 'namespace', namespace, 'managed-by=cmp']);
    await watched.view('the relabelled cluster to come back', namespace, (v) => v?.name === cluster);
    await watched.changed(namespace, mark, true);

    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    const terminating = await watched.view('the deleted cluster to show as terminating', namespace, (v) => v === undefined || v.terminating);
    if (terminating) assert.equal(terminating.health, 'terminating');
    await watched.view('the deleted cluster to go', namespace, (v) => v === undefined);
    assert.ok(watched.cache.cluster(bystander), 'the bystander is still there');
  });

  it('shows a cluster made by createCluster with its stored spec, and its instances as they change', async () => {
    const spec = clusterSpec('cached', { count: 3 });
    const namespace = owned.add(`${spec.name}-ns`);
    const created = await createCluster(client, spec, { concurrency: 3 });
    const view = await watched.view('three ready instances', namespace, (v) => v?.readyCount === 3);
    assert.equal(view?.uid, created.metadata.uid);
    assert.deepEqual(view?.spec, { instanceType: 'container', image: testImage, cpu: 0.25, memoryGiB: 0.25, count: 3 });
    assert.equal(view?.specDerived, false);
    assert.equal(view?.health, 'ready');
    assert.deepEqual(view?.instances.map((i) => i.name), instanceRange(3));

    const pod = watched.cache.instanceObject(namespace, 'Pod', 'instance-2');
    assert.equal(pod?.metadata.namespace, namespace);
    assert.equal(watched.cache.namespaceObject(namespace)?.metadata.uid, created.metadata.uid);

    await kubectl(['delete', 'pod', 'instance-2', '-n', namespace, '--wait=false']);
    const fewer = await watched.view('instance-2 to go', namespace, (v) => v?.instances.length === 2);
    assert.equal(fewer?.health, 'progressing', 'fewer instances than the stored count');
  });

  it('lists what already exists when it starts', async () => {
    const spec = clusterSpec('prior', { count: 2 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });
    await podsRunning(namespace, instanceRange(2));

    const late = new WatchedCache();
    try {
      await late.start();
      const view = await late.view('the existing cluster', namespace, (v) => v?.readyCount === 2);
      assert.equal(view?.name, spec.name);
      assert.deepEqual(view?.instances.map((i) => i.state), ['running', 'running']);
    } finally {
      late.dispose();
    }
  });

  it('coalesces a burst of watch events into fewer change reports', async () => {
    const cluster = uniqueName('burst');
    const namespace = owned.add(`${cluster}-ns`);
    await kubectlNamespace(namespace, managedLabels(cluster));
    const slow = new WatchedCache(400);
    let rawEvents = 0;
    let synced = false;
    const raw = new ListWatch(client.transport, { path: resourcePath(resources.pods, namespace) }, {
      onSync: () => (synced = true),
      onEvent: () => (rawEvents += 1),
      onError: () => undefined,
    });
    try {
      await slow.start();
      raw.start();
      await eventually('the raw watch to list', async () => (synced ? true : undefined));
      await slow.view('the burst cluster', namespace, (v) => v !== undefined);
      const mark = slow.changes.length;
      await kubectlCreate(...instanceRange(6).map((name) => podObject(namespace, name, instanceLabels(cluster))));
      await slow.view('six running instances', namespace, (v) => v?.readyCount === 6);
      await new Promise((done) => setTimeout(done, 500));
      const reports = slow.changes.slice(mark).filter((c) => c.namespaces.has(namespace)).length;
      assert.ok(rawEvents >= 12, `each pod is added, scheduled and started (saw ${rawEvents} events)`);
      assert.ok(reports >= 1 && reports < rawEvents / 2, `${rawEvents} watch events became ${reports} change reports`);
    } finally {
      raw.dispose();
      slow.dispose();
    }
  });

  it('stops reporting once disposed', async () => {
    const late = new WatchedCache();
    await late.start();
    late.dispose();
    const mark = late.changes.length;
    const cluster = uniqueName('after');
    const namespace = owned.add(`${cluster}-ns`);
    await kubectlNamespace(namespace, managedLabels(cluster));
    await watched.view('the live cache to see it', namespace, (v) => v !== undefined);
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(late.changes.length, mark);
    assert.equal(late.cache.cluster(namespace), undefined);
  });
});
