// Ownership, through the fault proxy (which sees every request): scale, delete, Delete Instance and
// Force Finalize against namespaces CMP must not change: one without managed-by=cmp, one whose
// cluster label names another namespace (a victim beside it), one whose managed-by label is removed
// between the operation's check and its first write, and one made again under the same name (new
// uid) since it was shown. The unowned ones get no successful write at all; the mismatched one gets
// writes only in itself; the victim is never touched.
import * as assert from 'node:assert/strict';
import { serializeStoredSpec } from '../../src/core/clusterSpec';
import type { KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { deleteCluster, deleteInstance, forceFinalize } from '../../src/kube/clusterDeleter';
import { scaleCluster } from '../../src/kube/clusterScaler';
import type { KubeClient } from '../../src/kube/kubeClient';
import type { SeenRequest } from '../support/faultProxy';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { defaultServiceAccount, instanceRange, kubectlCreate, kubectlJson, kubectlNamespace, namespaceGone, OwnedNamespaces, podObject, testImage } from '../integration/fixtures';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

type Operation = 'scale to 3' | 'delete cluster' | 'Delete Instance' | 'Force Finalize';
const operations: Operation[] = ['scale to 3', 'delete cluster', 'Delete Instance', 'Force Finalize'];

/** A namespace with a stored spec and `count` instances, labelled as given (managed or not). */
async function clusterLike(name: string, labels: Record<string, string>, count = 1): Promise<KubeObject> {
  await kubectlNamespace(name, labels);
  await defaultServiceAccount(name);
  await kubectl(['annotate', 'namespace', name, `${specAnnotation}=${serializeStoredSpec({ instanceType: 'container', image: testImage, cpu: 0.25, memoryGiB: 0.25, count })}`]);
  await kubectlCreate(...instanceRange(count).map((pod) => podObject(name, pod, { 'managed-by': 'cmp', ...(labels.cluster ? { cluster: labels.cluster } : {}) })));
  return kubectlJson<KubeObject>(['get', 'namespace', name]);
}

/** What a namespace and its pods look like, to compare before and after. */
async function fingerprint(namespace: string): Promise<string> {
  const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
  const pods = await kubectlJson<{ items: KubeObject[] }>(['get', 'pods', '-n', namespace]);
  const finalizers = (ns.spec as { finalizers?: string[] } | undefined)?.finalizers;
  return JSON.stringify({ uid: ns.metadata.uid, labels: ns.metadata.labels, annotations: ns.metadata.annotations, finalizers, deleting: Boolean(ns.metadata.deletionTimestamp), pods: pods.items.map((p) => `${p.metadata.name}/${p.metadata.uid}/${Boolean(p.metadata.deletionTimestamp)}`).sort() });
}

async function run(client: KubeClient, operation: Operation, namespace: string, uid: string | undefined, podUid?: string): Promise<unknown> {
  switch (operation) {
    case 'scale to 3':
      return scaleCluster(client, namespace, 3, { concurrency: 4, expectedUid: uid });
    case 'delete cluster':
      return deleteCluster(client, namespace, { expectedUid: uid });
    case 'Delete Instance':
      return deleteInstance(client, { namespace, namespaceUid: uid, kind: 'Pod', name: 'instance-0', uid: podUid });
    case 'Force Finalize':
      return forceFinalize(client, namespace, uid ?? '');
  }
}

/** A write the server carried out (a dry run writes nothing). */
const succeeded = (r: SeenRequest) => r.method !== 'GET' && !r.query.has('dryRun') && r.status !== undefined && r.status < 300;
const touches = (r: SeenRequest, namespace: string) => r.path === `/api/v1/namespaces/${namespace}` || r.path.startsWith(`/api/v1/namespaces/${namespace}/`) || new RegExp(`^/apis/[^/]+/[^/]+/namespaces/${namespace}(/|$)`).test(r.path);

describe('reliability: ownership', function () {
  this.timeout(5 * 60_000);
  let proxied: Proxied;
  let client: KubeClient;
  const owned = new OwnedNamespaces();
  const tally = { tried: 0, held: 0 };

  before(async () => {
    proxied = await startProxied();
    client = proxied.client();
  });
  after(async () => {
    recordFigure({ measure: `ownership: ${operations.length} operations × (no managed-by, label removed before the first write, made again with a new uid; mismatched cluster label)`, value: `${tally.held} of ${tally.tried} held`, goal: 'all: never modified', met: tally.held === tally.tried && tally.tried > 0 });
    await proxied.close();
    await owned.run();
  });

  /** Runs the operation, expects it refused, and the namespace exactly as it was with no successful write to it. */
  async function refusedUntouched(operation: Operation, namespace: string, uid: string | undefined, podUid: string | undefined, meanwhile?: () => Promise<void>): Promise<void> {
    tally.tried += 1;
    const from = proxied.proxy.requests.length;
    let remove: () => void = () => undefined;
    if (meanwhile) remove = proxied.proxy.inject((r) => r.method !== 'GET' && !r.path.endsWith('/events'), { kind: 'before', run: meanwhile }, 1);
    const before = meanwhile ? undefined : await fingerprint(namespace);
    try {
      await assert.rejects(run(client, operation, namespace, uid, podUid), `${operation} on ${namespace} is refused`);
    } finally {
      remove();
    }
    const landed = proxied.proxy.requests.slice(from).filter((r) => succeeded(r) && touches(r, namespace) && !r.path.endsWith('/events'));
    assert.deepEqual(landed.map((r) => `${r.method} ${r.path} → ${r.status}`), [], `${operation}: no write landed in ${namespace}`);
    if (before) assert.equal(await fingerprint(namespace), before, `${operation}: ${namespace} is as it was`);
    tally.held += 1;
  }

  for (const operation of operations) {
    it(`${operation}: refuses a namespace without managed-by=cmp`, async () => {
      const name = uniqueName('own');
      const ns = owned.add(`${name}-ns`);
      const live = await clusterLike(ns, { cluster: name, 'cluster-namespace': 'true' });
      const pod = await kubectlJson<KubeObject>(['get', 'pod', 'instance-0', '-n', ns]);
      await refusedUntouched(operation, ns, live.metadata.uid, pod.metadata.uid);
    });

    // Force Finalize has no write before its one guarded call; the label case is for the others.
    if (operation !== 'Force Finalize') it(`${operation}: refuses a namespace whose managed-by label is removed between the check and the first write`, async () => {
      const name = uniqueName('own');
      const ns = owned.add(`${name}-ns`);
      const live = await clusterLike(ns, { 'managed-by': 'cmp', cluster: name, 'cluster-namespace': 'true' });
      const pod = await kubectlJson<KubeObject>(['get', 'pod', 'instance-0', '-n', ns]);
      await refusedUntouched(operation, ns, live.metadata.uid, pod.metadata.uid, async () => {
        await kubectl(['label', 'namespace', ns, 'managed-by-']);
      });
      const after = await kubectlJson<KubeObject>(['get', 'namespace', ns]);
      assert.equal(after.metadata.deletionTimestamp, undefined, 'still there');
      assert.equal(after.metadata.annotations?.[specAnnotation], live.metadata.annotations?.[specAnnotation], 'the stored spec unchanged');
    });

    it(`${operation}: refuses a namespace made again under the same name since it was shown`, async () => {
      const name = uniqueName('own');
      const ns = owned.add(`${name}-ns`);
      const first = await clusterLike(ns, { 'managed-by': 'cmp', cluster: name, 'cluster-namespace': 'true' });
      const firstPod = await kubectlJson<KubeObject>(['get', 'pod', 'instance-0', '-n', ns]);
      await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=90s']);
      await clusterLike(ns, { 'managed-by': 'cmp', cluster: name, 'cluster-namespace': 'true' });
      if (operation === 'Force Finalize') {
        // Terminating but held by a finalizer of its own, so the force has something to refuse.
        await kubectl(['patch', 'pod', 'instance-0', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":["cmp.io/test-hold"]}}']);
        await kubectl(['delete', 'namespace', ns, '--wait=false']);
        await eventually('the namespace controller to mark the held instance deleted', async () => ((await kubectlJson<KubeObject>(['get', 'pod', 'instance-0', '-n', ns])).metadata.deletionTimestamp ? true : undefined), 60_000);
      }
      await refusedUntouched(operation, ns, first.metadata.uid, firstPod.metadata.uid);
      if (operation === 'Force Finalize') await kubectl(['patch', 'pod', 'instance-0', '-n', ns, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    });
  }

  it('a managed namespace labelled cluster=<victim>: scale, Delete Instance and delete act on it alone, never on <victim>-ns', async () => {
    const victim = uniqueName('victim');
    const victimNs = owned.add(`${victim}-ns`);
    await clusterLike(victimNs, { cluster: victim }, 2);
    const victimBefore = await fingerprint(victimNs);
    const odd = owned.add(`${uniqueName('odd')}-x`);
    const live = await clusterLike(odd, { 'managed-by': 'cmp', cluster: victim, 'cluster-namespace': 'true' }, 1);
    const from = proxied.proxy.requests.length;
    for (const operation of ['scale to 3', 'Delete Instance', 'delete cluster'] as const) {
      tally.tried += 1;
      const pod = operation === 'Delete Instance' ? await kubectlJson<KubeObject>(['get', 'pod', 'instance-0', '-n', odd]) : undefined;
      await run(client, operation, odd, live.metadata.uid, pod?.metadata.uid);
      const stray = proxied.proxy.requests.slice(from).filter((r) => r.method !== 'GET' && !touches(r, odd));
      assert.deepEqual(stray.map((r) => `${r.method} ${r.path}`), [], `${operation}: writes only in ${odd}`);
      assert.equal(await fingerprint(victimNs), victimBefore, `${operation}: ${victimNs} untouched`);
      tally.held += 1;
    }
    await namespaceGone(odd, 90_000);
  });
});
