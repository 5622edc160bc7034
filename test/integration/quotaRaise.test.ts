// A scale past the quota, against the local plane: the scale is refused with the raises that would
// fit, raiseQuota writes them (only upward, guarded by resourceVersion, only in a namespace checked
// as ours) and waits until admission uses them, and the scale then converges.
import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../src/core/kubeTypes';
import { createCluster } from '../../src/kube/clusterCreator';
import { QuotaShortfallError, scaleCluster } from '../../src/kube/clusterScaler';
import { NotManagedError } from '../../src/kube/ownership';
import { raiseQuota } from '../../src/kube/quotaRaiser';
import { StaleClusterError } from '../../src/kube/staleCluster';
import { kubectl, uniqueName } from '../support/testPlane';
import { adminClient, allGuardRails, clusterSpec, instanceRange, kubectlJson, kubectlNamespace, OwnedNamespaces, podsRunning, rejection } from './fixtures';

interface QuotaObject extends KubeObject {
  spec: { hard: Record<string, string> };
  status?: { hard?: Record<string, string> };
}

const quotaOf = (namespace: string) => kubectlJson<QuotaObject>(['get', 'resourcequota', 'cluster-quota', '-n', namespace]);

describe('raise the quota so a scale fits', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('refuses a scale past the quota with the raises that fit, raises them, and the scale then converges', async () => {
    // The defaults a new user gets from an exact quota: 3 instances of 1 core, 2 GiB; then asks for 5.
    const spec = clusterSpec('raise', { count: 3, cpu: 1, memoryGiB: 2, isolation: allGuardRails(1, 2, 3) });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 3 });
    await podsRunning(namespace, instanceRange(3));

    const refused = await rejection(scaleCluster(client, namespace, 5, { concurrency: 2 }), QuotaShortfallError);
    assert.match(refused.message, /^The quota allows requests\.cpu 3 cores; 3 are used and 2 more instances need 2 cores\. Room for 0 more: raise the quota or ask for fewer\.$/);
    assert.deepEqual(refused.raises, [
      { key: 'requests.cpu', from: '3', to: '5' },
      { key: 'limits.cpu', from: '3', to: '5' },
      { key: 'requests.memory', from: '6Gi', to: '10Gi' },
      { key: 'limits.memory', from: '6Gi', to: '10Gi' },
    ]);
    assert.deepEqual(await kubectl(['get', 'pods', '-n', namespace, '-o', 'name']).then((o) => o.trim().split('\n').sort()), instanceRange(3).map((n) => `pod/${n}`), 'the refused scale made nothing');

    const uid = (await kubectlJson<KubeObject>(['get', 'namespace', namespace])).metadata.uid;
    const hard = await raiseQuota(client, namespace, refused.raises, { expectedUid: uid });
    assert.deepEqual(hard, { 'limits.cpu': '5', 'limits.memory': '10Gi', 'requests.cpu': '5', 'requests.memory': '10Gi' });
    const quota = await quotaOf(namespace);
    assert.deepEqual(quota.spec.hard, hard, 'spec.hard holds the new limits');
    assert.deepEqual(quota.status?.hard, hard, 'raiseQuota returned once the quota controller applied them (admission reads status.hard)');

    const scaled = await scaleCluster(client, namespace, 5, { concurrency: 2 });
    assert.equal(scaled.to, 5);
    await podsRunning(namespace, instanceRange(5));
  });

  it('never lowers a limit someone raised meanwhile, and raising again is a no-op', async () => {
    const spec = clusterSpec('raise-keep', { count: 1, isolation: allGuardRails(0.25, 0.25, 1) });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });
    const refused = await rejection(scaleCluster(client, namespace, 3, { concurrency: 2 }), QuotaShortfallError);
    // Another admin raises CPU well past what this scale needs before our raise lands.
    await kubectl(['patch', 'resourcequota', 'cluster-quota', '-n', namespace, '--type=merge', '-p', JSON.stringify({ spec: { hard: { 'requests.cpu': '8' } } })]);
    const hard = await raiseQuota(client, namespace, refused.raises);
    assert.equal(hard['requests.cpu'], '8', 'the higher limit is kept');
    assert.equal(hard['limits.cpu'], '750m');
    assert.equal(hard['requests.memory'], '768Mi');
    const before = (await quotaOf(namespace)).metadata.resourceVersion;
    await raiseQuota(client, namespace, refused.raises);
    assert.equal((await quotaOf(namespace)).metadata.resourceVersion, before, 'a raise already in place writes nothing');
  });

  it('writes nothing in a namespace that is not ours or was made again under the name', async () => {
    const cluster = uniqueName('raise-foreign');
    const namespace = owned.add(`${cluster}-ns`);
    // Labelled like a cluster but for managed-by: not ours, whatever the quota inside says.
    await kubectlNamespace(namespace, { cluster, 'cluster-namespace': 'true' });
    await kubectl(['create', 'quota', 'cluster-quota', '-n', namespace, '--hard=requests.cpu=1']);
    const raises = [{ key: 'requests.cpu', from: '1', to: '4' }];
    const before = (await quotaOf(namespace)).metadata.resourceVersion;
    await rejection(raiseQuota(client, namespace, raises), NotManagedError);
    assert.equal((await quotaOf(namespace)).metadata.resourceVersion, before, 'the foreign quota was not written');

    const spec = clusterSpec('raise-stale', { count: 1, isolation: allGuardRails(0.25, 0.25, 1) });
    const ours = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });
    const quotaBefore = (await quotaOf(ours)).metadata.resourceVersion;
    await rejection(raiseQuota(client, ours, raises, { expectedUid: 'a-uid-from-an-earlier-namespace' }), StaleClusterError);
    assert.equal((await quotaOf(ours)).metadata.resourceVersion, quotaBefore, 'a namespace with another uid than shown is not written');
  });
});
