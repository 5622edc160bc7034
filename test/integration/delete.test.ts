// deleteCluster, deleteInstance and the stuck-namespace helpers against the local plane: the ownership
// guard refuses foreign namespaces and stale uids without touching them; Terminating is explained.
import * as assert from 'node:assert/strict';
import { resources, type KubeObject } from '../../src/core/kubeTypes';
import { createCluster } from '../../src/kube/clusterCreator';
import { deleteCluster, deleteInstance, forceFinalize, terminationReasons } from '../../src/kube/clusterDeleter';
import { StaleClusterError } from '../../src/kube/staleCluster';
import { NoSuchClusterError, NotManagedError } from '../../src/kube/ownership';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import {
  adminClient, clusterSpec, instanceRange, kubectlCreate, kubectlFind, kubectlJson, kubectlNamespace, livePodNames, namespaceGone, OwnedNamespaces, podObject,
  podsRunning, rejection,
} from './fixtures';

const managedLabels = (cluster: string) => ({ 'managed-by': 'cmp', cluster, 'cluster-namespace': 'true' });

describe('delete a cluster', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  /** Namespaces (or an object in them, as kind/name) held by a test finalizer; released in after() should a test stop half-way. */
  const held = new Map<string, string | undefined>();

  async function release(namespace: string, object: string | undefined): Promise<void> {
    if (object) {
      await kubectl(['patch', object, '-n', namespace, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      return;
    }
    const live = await kubectlFind<KubeObject>(['get', 'namespace', namespace]);
    if (!live) return;
    await client.transport.request({ method: 'PUT', path: `/api/v1/namespaces/${namespace}/finalize`, body: { ...live, spec: { finalizers: [] } } });
  }

  after(async () => {
    for (const [namespace, pod] of held) await release(namespace, pod).catch(() => undefined);
    await owned.run();
    client.transport.dispose();
  });

  it('deletes a managed cluster, guarded by the uid it was shown with', async () => {
    const spec = clusterSpec('gone', { count: 2 });
    const namespace = owned.add(`${spec.name}-ns`);
    const created = await createCluster(client, spec, { concurrency: 2 });
    await podsRunning(namespace, instanceRange(2));

    const live = await deleteCluster(client, namespace, { expectedUid: created.metadata.uid });
    assert.equal(live.metadata.uid, created.metadata.uid);
    await namespaceGone(namespace);
  });

  it('refuses a namespace without managed-by=cmp and leaves it untouched', async () => {
    const namespace = owned.add(uniqueName('foreign'));
    await kubectlNamespace(namespace, { cluster: 'lookalike', 'cluster-namespace': 'true' });
    await kubectlCreate(podObject(namespace, 'instance-0', { cluster: 'lookalike' }));
    const before = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);

    const error = await rejection(deleteCluster(client, namespace, { expectedUid: before.metadata.uid }), NotManagedError);
    assert.equal(error.message, `Namespace "${namespace}" is not managed by CMP (it has no managed-by=cmp label); CMP will not change it.`);
    await rejection(deleteInstance(client, { namespace, kind: 'Pod', name: 'instance-0' }), NotManagedError);

    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'the namespace was not written');
    assert.deepEqual(after.metadata.labels, before.metadata.labels);
    assert.equal(after.metadata.deletionTimestamp, undefined);
    assert.deepEqual(await livePodNames(namespace), ['instance-0']);
    const events = await kubectlJson<{ items: { reportingController?: string }[] }>(['get', 'events.events.k8s.io', '-n', namespace]);
    assert.deepEqual(events.items.filter((e) => e.reportingController === 'cmp-vscode'), [], 'not even an event was written');
  });

  it('refuses a stale uid: the namespace was recreated under the same name since it was shown', async () => {
    const spec = clusterSpec('stale', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    const first = await createCluster(client, spec, { concurrency: 1 });
    await kubectl(['delete', 'namespace', namespace, '--wait=true', '--timeout=60s']);
    const second = await createCluster(client, spec, { concurrency: 1 });
    assert.notEqual(second.metadata.uid, first.metadata.uid);
    const before = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);

    const error = await rejection(deleteCluster(client, namespace, { expectedUid: first.metadata.uid }), StaleClusterError);
    assert.equal(error.message, `Namespace ${namespace} was replaced since it was shown (its uid changed); nothing was deleted.`);
    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.metadata.deletionTimestamp, undefined);
    await podsRunning(namespace, instanceRange(1));
  });

  it('says so when the namespace does not exist', async () => {
    const namespace = `${uniqueName('never')}-ns`;
    const error = await rejection(deleteCluster(client, namespace), NoSuchClusterError);
    assert.equal(error.namespace, namespace);
  });

  it('deletes one instance, and refuses names that are not instances', async () => {
    const spec = clusterSpec('one', { count: 3 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 3 });
    await kubectlCreate(podObject(namespace, 'helper', { 'managed-by': 'cmp', cluster: spec.name }));

    await deleteInstance(client, { namespace, kind: 'Pod', name: 'instance-1' });
    await eventually('instance-1 to be gone', async () => ((await livePodNames(namespace)).join() === 'helper,instance-0,instance-2' ? true : undefined));
    const error = await rejection(deleteInstance(client, { namespace, kind: 'Pod', name: 'helper' }), Error);
    assert.equal(error.message, 'helper is not a CMP instance name.');
    assert.deepEqual(await livePodNames(namespace), ['helper', 'instance-0', 'instance-2']);
  });

  it('explains a namespace stuck on content that has a finalizer', async () => {
    const cluster = uniqueName('stuck');
    const namespace = owned.add(`${cluster}-ns`);
    await kubectlNamespace(namespace, managedLabels(cluster));
    held.set(namespace, 'configmap/held');
    // Content no controller will finish deleting: an object with a finalizer nobody removes.
    await kubectlCreate({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace, finalizers: ['cmp.test/hold'] }, data: { note: 'kept until the test lets go' } });

    await deleteCluster(client, namespace);
    const reasons = await eventually('the namespace controller to report what remains', async () => {
      const live = await client.get(resources.namespaces, undefined, namespace);
      const found = terminationReasons(live);
      return found.some((r) => r.startsWith('NamespaceFinalizersRemaining:')) ? found : undefined;
    }, 30_000);
    assert.ok(reasons.some((r) => /^NamespaceContentRemaining: .*configmaps/.test(r)), reasons.join('\n'));
    assert.ok(reasons.some((r) => /^NamespaceFinalizersRemaining: .*cmp\.test\/hold/.test(r)), reasons.join('\n'));
    assert.ok(reasons.includes('finalizers: kubernetes'), reasons.join('\n'));

    await release(namespace, 'configmap/held');
    await namespaceGone(namespace);
    held.delete(namespace);
  });

  it('force-finalizes a terminating namespace only with the uid it was shown with', async () => {
    const cluster = uniqueName('finalize');
    const namespace = owned.add(`${cluster}-ns`);
    held.set(namespace, undefined);
    await kubectlCreate({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: managedLabels(cluster) }, spec: { finalizers: ['kubernetes', 'cmp.test/hold'] } });
    const live = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    const uid = live.metadata.uid ?? '';

    const notYet = await rejection(forceFinalize(client, namespace, uid), Error);
    assert.equal(notYet.message, `Namespace ${namespace} is not terminating; delete it first.`);

    await deleteCluster(client, namespace, { expectedUid: uid });
    const stuck = await eventually('only the test finalizer to remain', async () => {
      const object = await client.get(resources.namespaces, undefined, namespace);
      return ((object.spec ?? {}) as { finalizers?: string[] }).finalizers?.join() === 'cmp.test/hold' ? object : undefined;
    }, 30_000);
    assert.deepEqual(terminationReasons(stuck), ['finalizers: cmp.test/hold']);

    await rejection(forceFinalize(client, namespace, 'not-its-uid'), StaleClusterError);
    assert.ok(await kubectlFind(['get', 'namespace', namespace]), 'a stale uid finalizes nothing');
    await forceFinalize(client, namespace, uid);
    await namespaceGone(namespace, 15_000);
    held.delete(namespace);
  });
});
