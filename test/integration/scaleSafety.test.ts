// Scale writes only where it read and checked: a managed namespace whose cluster label names
// another cluster, or that has none, gets its instances itself; a namespace that loses its label or
// is made again between the check and the writes gets none. (Two scales in opposite directions:
// test/reliability/concurrency.test.ts.)
import * as assert from 'node:assert/strict';
import { parseStoredSpec, serializeStoredSpec } from '../../src/core/clusterSpec';
import type { KubeObject, ResourceRef } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { createCluster } from '../../src/kube/clusterCreator';
import { KubeClient } from '../../src/kube/kubeClient';
import { scaleCluster } from '../../src/kube/clusterScaler';
import { NotManagedError } from '../../src/kube/ownership';
import { StaleClusterError } from '../../src/kube/staleCluster';
import { adminKubeConfig, kubectl, uniqueName } from '../support/testPlane';
import { ApiTransport } from '../../src/kube/apiTransport';
import { adminClient, clusterSpec, instanceRange, kubectlCreate, kubectlJson, kubectlNamespace, livePodNames, OwnedNamespaces, podObject, podsRunning, rejection, testImage } from './fixtures';

const storedSpec = (count: number) => serializeStoredSpec({ instanceType: 'container', image: testImage, cpu: 0.25, memoryGiB: 0.25, count });

/** A managed namespace as another CMP tool may leave it: any labels, a stored spec, `count` instances. */
async function managedNamespace(name: string, labels: Record<string, string>, count: number): Promise<void> {
  await kubectlNamespace(name, { 'managed-by': 'cmp', ...labels });
  await kubectl(['annotate', 'namespace', name, `${specAnnotation}=${storedSpec(count)}`]);
  if (count > 0) await kubectlCreate(...instanceRange(count).map((pod) => podObject(name, pod, { 'managed-by': 'cmp', ...(labels.cluster ? { cluster: labels.cluster } : {}) })));
}

async function storedCount(namespace: string): Promise<number | undefined> {
  const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
  return parseStoredSpec(ns.metadata.annotations?.[specAnnotation])?.count;
}

/** A client whose first namespace patch lets `meanwhile` run first: another actor's change, timed between our check and our write. */
class InterleavingClient extends KubeClient {
  private pending: (() => Promise<unknown>) | undefined;

  constructor(meanwhile: () => Promise<unknown>) {
    super(new ApiTransport(adminKubeConfig()));
    this.pending = meanwhile;
  }

  override async mergePatch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, patch: unknown, signal?: AbortSignal): Promise<T> {
    const meanwhile = this.pending;
    this.pending = undefined;
    if (meanwhile) await meanwhile();
    return super.mergePatch<T>(ref, namespace, name, patch, signal);
  }
}

describe('scale writes only where it read and checked', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('a managed namespace labelled cluster=<another> gets its instances itself, never <label>-ns', async () => {
    const victim = uniqueName('victim');
    const victimNs = owned.add(`${victim}-ns`);
    await kubectlNamespace(victimNs);
    const odd = owned.add(uniqueName('odd'));
    await managedNamespace(odd, { cluster: victim, 'cluster-namespace': 'true' }, 1);

    const result = await scaleCluster(client, odd, 3, { concurrency: 3 });
    assert.deepEqual(result.created, ['instance-1', 'instance-2']);
    await podsRunning(odd, instanceRange(3));
    assert.deepEqual(await livePodNames(victimNs), [], `nothing was written to ${victimNs}`);
    assert.equal(await storedCount(odd), 3);
  });

  it('a managed namespace without a cluster label gets its instances itself, never <ns>-ns', async () => {
    const tenant = owned.add(uniqueName('fallback'));
    const wrong = owned.add(`${tenant}-ns`);
    await kubectlNamespace(wrong);
    await managedNamespace(tenant, {}, 0);

    await scaleCluster(client, tenant, 2, { concurrency: 2 });
    await podsRunning(tenant, instanceRange(2));
    assert.deepEqual(await livePodNames(wrong), []);
  });

  it('a namespace whose managed-by label is removed between the check and the writes gets no write', async () => {
    const spec = clusterSpec('unlabel', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });
    await podsRunning(namespace, instanceRange(1));
    const racing = new InterleavingClient(() => kubectl(['label', 'namespace', namespace, 'managed-by-']));
    try {
      await rejection(scaleCluster(racing, namespace, 3, { concurrency: 3 }), NotManagedError);
    } finally {
      racing.transport.dispose();
    }
    assert.deepEqual(await livePodNames(namespace), ['instance-0']);
    assert.equal(await storedCount(namespace), 1, 'the stored count is unchanged');
  });

  it('a namespace made again under the same name (new uid) since it was shown gets no write', async () => {
    const spec = clusterSpec('reborn', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    const shown = await createCluster(client, spec, { concurrency: 1 });
    await kubectl(['delete', 'namespace', namespace, '--wait=true']);
    await managedNamespace(namespace, { cluster: spec.name }, 1);

    await rejection(scaleCluster(client, namespace, 3, { concurrency: 3, expectedUid: shown.metadata.uid }), StaleClusterError);
    assert.deepEqual(await livePodNames(namespace), ['instance-0']);
    assert.equal(await storedCount(namespace), 1);
  });
});
