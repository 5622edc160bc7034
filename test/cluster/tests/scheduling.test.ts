// Scheduling on the fake nodes: a pod in a fresh namespace is bound by the scheduler (with a
// Scheduled event) and reported Running by kwok within 15 seconds.
import * as assert from 'node:assert/strict';
import type { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '../../support/testPlane';
import { TestNamespaces, adminCore, podManifest, runningPod } from './fixtures';

describe('scheduling', () => {
  let core: CoreV1Api;
  before(() => {
    core = adminCore();
  });
  const namespaces = new TestNamespaces();
  after(() => namespaces.deleteAll());

  it('schedules a pod in a fresh namespace and it is Running within 15 s, with a Scheduled event', async () => {
    const namespace = await namespaces.create('sched');
    const began = Date.now();
    await core.createNamespacedPod({ namespace, body: podManifest('web') });
    const pod = await runningPod(core, namespace, 'web', 15_000);
    const elapsed = Date.now() - began;
    assert.ok(elapsed < 15_000, `Running after ${elapsed} ms`);

    const nodeName = pod.spec?.nodeName ?? '';
    assert.match(nodeName, /^cmp-dev-node-\d+$/);
    assert.ok(pod.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True'), 'PodScheduled condition is True');
    assert.equal(pod.status?.containerStatuses?.[0]?.ready, true);
    assert.ok(pod.status?.podIP, 'kwok gave the pod an IP');

    const event = await eventually('a Scheduled event for the pod', async () => {
      const events = await core.listNamespacedEvent({ namespace, fieldSelector: 'involvedObject.kind=Pod,involvedObject.name=web,reason=Scheduled' });
      return events.items[0];
    });
    assert.equal(event.type, 'Normal');
    assert.match(event.message ?? '', new RegExp(`Successfully assigned ${namespace}/web to ${nodeName}`));
  });
});
