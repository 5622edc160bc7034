// ClusterCache with the tenant kubeconfig (edit in tenant-a-ns only, forbidden cluster-wide): it falls
// back to watching the namespaces it was given and shows the CMP cluster there with its pods.
import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/kubeTypes';
import { ClusterCache, type CacheState } from '../../src/kube/clusterCache';
import { eventually, kubectl, tenantKubeconfigPath } from '../support/testPlane';
import { kubectlCreate, kubectlJson, podObject, retrying, tenantClient } from './fixtures';

const tenantNamespace = 'tenant-a-ns';
const clusterLabels: Record<string, string> = { 'managed-by': 'cmp', cluster: 'tenant-a', 'cluster-namespace': 'true' };
// Instance indices unlikely to meet another run's pods in this shared namespace.
const firstIndex = 9000 + (process.pid % 500) * 2;
const podName = (offset: number) => `instance-${firstIndex + offset}`;

describe('tenant kubeconfig: namespaced fallback of the cache', () => {
  let originalLabels: Record<string, string> | undefined;
  const client = tenantClient();
  const logs: string[] = [];
  const states: CacheState[] = [];
  const cache = new ClusterCache(client, { fallbackNamespaces: () => [tenantNamespace, 'default'], onLog: (m) => logs.push(m) });
  cache.onDidChangeState((state) => states.push(state));

  before(async () => {
    const ns = await kubectlJson<KubeObject>(['get', 'namespace', tenantNamespace]);
    originalLabels = ns.metadata.labels ?? {};
    // The admin marks tenant-a-ns as a CMP cluster; the tenant could not label its own namespace.
    await kubectl(['label', 'namespace', tenantNamespace, '--overwrite', ...Object.entries(clusterLabels).map(([k, v]) => `${k}=${v}`)]);
    await kubectlCreate(podObject(tenantNamespace, podName(0), { 'managed-by': 'cmp', cluster: 'tenant-a' }));
  });

  after(async () => {
    cache.dispose();
    client.transport.dispose();
    await retrying('deleting the tenant pods', () => kubectl(['delete', 'pod', '-n', tenantNamespace, '--ignore-not-found', '--wait=false', podName(0), podName(1)]));
    const original = originalLabels;
    if (original === undefined) return;
    const restore = Object.keys(clusterLabels).map((key) => (key in original ? `${key}=${original[key]}` : `${key}-`));
    await retrying('restoring the labels of tenant-a-ns', () => kubectl(['label', 'namespace', tenantNamespace, '--overwrite', ...restore]));
  });

  it('is refused cluster-wide, so it watches tenant-a-ns alone and says why', async () => {
    await cache.start();
    const state = await eventually('the cache to be ready', async () => (cache.state.kind === 'ready' ? cache.state : undefined));
    assert.equal(state.kind, 'ready');
    assert.ok(state.kind === 'ready' && state.scope === 'namespaces', `scope is ${JSON.stringify(state)}`);
    assert.deepEqual(state.namespaces, [tenantNamespace], 'default is not readable by the tenant, so it is left out');
    assert.match(state.reason, /User "tenant" cannot list resource "namespaces"/);
    assert.ok(!states.some((s) => s.kind === 'error'), 'the refusal is a fallback, not an error');
    assert.ok(logs.some((m) => m.startsWith('cannot read namespace default:')), logs.join('\n'));
  });

  it('shows the tenant\'s cluster and its pods', async () => {
    const view = await eventually('the tenant cluster with its instance running', async () => {
      const found = cache.cluster(tenantNamespace);
      return found?.instances.some((i) => i.name === podName(0) && i.state === 'running') ? found : undefined;
    });
    assert.equal(view.name, 'tenant-a');
    assert.deepEqual(cache.clusters().map((c) => c.namespace), [tenantNamespace], 'only the namespace it may read');
    assert.equal(view.specDerived, true);
    assert.equal(view.spec?.instanceType, 'container');
    assert.ok(view.instances.every((i) => i.kind === 'Pod'));
  });

  it('follows pods the tenant adds and removes in its namespace', async () => {
    await kubectl(['run', podName(1), '--image=registry.invalid/cmp/app:1', '--labels=managed-by=cmp,cluster=tenant-a'], tenantKubeconfigPath());
    await eventually(`${podName(1)} in the cache`, async () => (cache.instanceObject(tenantNamespace, 'Pod', podName(1)) ? true : undefined));
    await kubectl(['delete', 'pod', podName(1), '--wait=false'], tenantKubeconfigPath());
    await eventually(`${podName(1)} to leave the cache`, async () =>
      (cache.cluster(tenantNamespace)?.instances.some((i) => i.name === podName(1)) ? undefined : true), 30_000);
  });
});
