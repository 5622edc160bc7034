// `cluster:restart-apiserver` (named zz- so it runs last): a new apiserver process comes up on the
// same etcd, objects created before are readable after, and the plane schedules pods again.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { adminKubeConfig, eventually } from '../../support/testPlane';
import { TestNamespaces, field, planeStateDir, podManifest, runPlane, runningPod } from './fixtures';

const apiserverPid = (): unknown => field(JSON.parse(readFileSync(join(planeStateDir(), 'plane.json'), 'utf8')), 'components', 'apiserver', 'pid');

describe('apiserver restart', () => {
  const namespaces = new TestNamespaces();
  after(() => namespaces.deleteAll());

  it('keeps etcd data: an object created before the restart is readable after it', async function () {
    this.timeout(180_000);
    const namespace = await namespaces.create('restart');
    const oldClient = adminKubeConfig().makeApiClient(CoreV1Api);
    const written = await oldClient.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'survivor' }, data: { answer: '42' } } });
    const pidBefore = apiserverPid();

    const restart = await runPlane(['restart-apiserver'], { ...process.env, CMP_DEV_DIR: planeStateDir() });
    assert.equal(restart.code, 0, restart.stderr);
    assert.match(restart.stdout, /^apiserver restarted \(\d+\.\d+s\)$/m);
    const pidAfter = apiserverPid();
    assert.equal(typeof pidAfter, 'number');
    assert.notEqual(pidAfter, pidBefore, 'a new apiserver process serves');

    // A fresh client: the old one's kept-alive connections went with the old process.
    const newClient = adminKubeConfig().makeApiClient(CoreV1Api);
    const read = await newClient.readNamespacedConfigMap({ namespace, name: 'survivor' });
    assert.equal(read.metadata?.uid, written.metadata?.uid);
    assert.deepEqual(read.data, { answer: '42' });
    assert.equal((await newClient.readNamespace({ name: namespace })).status?.phase, 'Active');
  });

  // The controllers reconnect with client-go's backoff, which grew while the apiserver was down.
  it('recovers within a minute: a new namespace gets its ServiceAccount, pods are scheduled and run', async function () {
    this.timeout(150_000);
    const began = Date.now();
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    const namespace = await namespaces.create('restart-pods', 60_000);
    await core.createNamespacedPod({ namespace, body: podManifest('after-restart') });
    const pod = await runningPod(core, namespace, 'after-restart', 60_000);
    assert.match(pod.spec?.nodeName ?? '', /^cmp-dev-node-\d+$/);
    const event = await eventually('a Scheduled event after the restart', async () => {
      const events = await core.listNamespacedEvent({ namespace, fieldSelector: 'involvedObject.name=after-restart,reason=Scheduled' });
      return events.items[0];
    });
    assert.equal(event.type, 'Normal');
    assert.ok(Date.now() - began < 60_000, `recovered after ${Date.now() - began} ms`);
  });
});
