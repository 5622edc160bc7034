// Admission plugins ResourceQuota and LimitRanger: pods beyond a quota are refused with 403
// "exceeded quota", and a LimitRange's defaults are written into pods that set no resources.
import * as assert from 'node:assert/strict';
import type { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '../../support/testPlane';
import { TestNamespaces, adminCore, podManifest, refusal } from './fixtures';

/** Creates a quota and waits until the quota controller has computed its usage (admission needs it). */
async function createQuota(core: CoreV1Api, namespace: string, name: string, hard: Record<string, string>): Promise<void> {
  await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name }, spec: { hard } } });
  await eventually(`quota ${namespace}/${name} to have a status`, async () => {
    const quota = await core.readNamespacedResourceQuota({ namespace, name });
    return quota.status?.hard && quota.status.used ? true : undefined;
  });
}

describe('admission: ResourceQuota and LimitRanger', () => {
  let core: CoreV1Api;
  before(() => {
    core = adminCore();
  });
  const namespaces = new TestNamespaces();
  after(() => namespaces.deleteAll());

  it('refuses a pod beyond a pod-count quota with 403 exceeded quota', async () => {
    const namespace = await namespaces.create('quota-count');
    await createQuota(core, namespace, 'one-pod', { pods: '1' });
    await core.createNamespacedPod({ namespace, body: podManifest('first') });
    const refused = await refusal(core.createNamespacedPod({ namespace, body: podManifest('second') }));
    assert.equal(refused.code, 403);
    assert.equal(refused.reason, 'Forbidden');
    assert.match(refused.message, /exceeded quota: one-pod, requested: pods=1, used: pods=1, limited: pods=1/);
    const pods = await core.listNamespacedPod({ namespace });
    assert.deepEqual(pods.items.map((p) => p.metadata?.name), ['first']);
  });

  it('refuses a pod whose CPU request is beyond a compute quota', async () => {
    const namespace = await namespaces.create('quota-cpu');
    await createQuota(core, namespace, 'half-cpu', { 'requests.cpu': '500m' });
    const greedy = podManifest('greedy', { containers: [{ name: 'app', image: 'registry.invalid/cmp/app:1', resources: { requests: { cpu: '1' } } }] });
    const refused = await refusal(core.createNamespacedPod({ namespace, body: greedy }));
    assert.equal(refused.code, 403);
    assert.match(refused.message, /exceeded quota: half-cpu, requested: requests\.cpu=1, used: requests\.cpu=0, limited: requests\.cpu=500m/);

    const modest = podManifest('modest', { containers: [{ name: 'app', image: 'registry.invalid/cmp/app:1', resources: { requests: { cpu: '200m' } } }] });
    await core.createNamespacedPod({ namespace, body: modest });
    await eventually('the quota to count the admitted pod', async () => {
      const quota = await core.readNamespacedResourceQuota({ namespace, name: 'half-cpu' });
      return quota.status?.used?.['requests.cpu'] === '200m' ? true : undefined;
    });
  });

  it('applies a LimitRange default to a pod that sets no resources', async () => {
    const namespace = await namespaces.create('limits');
    await core.createNamespacedLimitRange({
      namespace,
      body: {
        metadata: { name: 'defaults' },
        spec: { limits: [{ type: 'Container', _default: { cpu: '300m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '64Mi' } }] },
      },
    });
    const pod = await core.createNamespacedPod({ namespace, body: podManifest('bare') });
    const resources = pod.spec?.containers[0]?.resources;
    assert.deepEqual(resources?.limits, { cpu: '300m', memory: '256Mi' });
    assert.deepEqual(resources?.requests, { cpu: '100m', memory: '64Mi' });
    assert.match(pod.metadata?.annotations?.['kubernetes.io/limit-ranger'] ?? '', /LimitRanger plugin set: .*cpu/);
  });
});
