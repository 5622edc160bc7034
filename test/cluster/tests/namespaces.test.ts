// Namespace deletion: deleting a namespace with running pods finishes (the namespace is gone,
// its pods with it) within 30 seconds, as the namespace controller and kwok cooperate.
import * as assert from 'node:assert/strict';
import type { CoreV1Api } from '@kubernetes/client-node';
import { eventually } from '../../support/testPlane';
import { TestNamespaces, adminCore, podManifest, refusal, runningPod } from './fixtures';

describe('namespace deletion', () => {
  let core: CoreV1Api;
  before(() => {
    core = adminCore();
  });
  const namespaces = new TestNamespaces();
  after(() => namespaces.deleteAll());

  it('deletes a namespace with running pods within 30 s', async function () {
    this.timeout(90_000);
    const namespace = await namespaces.create('ns-delete');
    const names = ['one', 'two', 'three', 'four', 'five'];
    await Promise.all(names.map((name) => core.createNamespacedPod({ namespace, body: podManifest(name, { terminationGracePeriodSeconds: 30 }) })));
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'settings' }, data: { a: 'b' } } });
    await Promise.all(names.map((name) => runningPod(core, namespace, name)));

    const began = Date.now();
    await core.deleteNamespace({ name: namespace });
    await eventually(`namespace ${namespace} to be gone`, async () => {
      const gone = await refusal(core.readNamespace({ name: namespace }));
      return gone.code === 404 ? true : undefined;
    }, 30_000, 250);
    const elapsed = Date.now() - began;
    assert.ok(elapsed < 30_000, `namespace gone after ${elapsed} ms`);

    const pods = await core.listPodForAllNamespaces({ fieldSelector: `metadata.namespace=${namespace}` });
    assert.equal(pods.items.length, 0, 'no pod of the namespace is left');
  });
});
