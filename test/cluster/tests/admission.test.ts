// Admission plugins NamespaceLifecycle and ServiceAccount: no pods in missing or terminating
// namespaces, and pods get (and may only name existing) service accounts.
import * as assert from 'node:assert/strict';
import type { CoreV1Api } from '@kubernetes/client-node';
import { uniqueName, eventually } from '../../support/testPlane';
import { TestNamespaces, adminCore, apiFailure, podManifest, refusal } from './fixtures';

const holdFinalizer = 'cmp-dev.test/hold';

describe('admission: NamespaceLifecycle and ServiceAccount', () => {
  let core: CoreV1Api;
  before(() => {
    core = adminCore();
  });
  const namespaces = new TestNamespaces();
  const held: { namespace: string; name: string }[] = [];

  /** Lets go of config maps this file held with a finalizer, so their namespaces can finish deleting. */
  async function release(): Promise<void> {
    for (const { namespace, name } of held.splice(0)) {
      try {
        const cm = await core.readNamespacedConfigMap({ namespace, name });
        cm.metadata = { ...cm.metadata, finalizers: [] };
        await core.replaceNamespacedConfigMap({ namespace, name, body: cm });
      } catch (error) {
        if (apiFailure(error).code !== 404) throw error;
      }
    }
  }

  after(async () => {
    await release();
    await namespaces.deleteAll();
  });

  it('refuses a pod in a namespace that does not exist', async () => {
    const missing = uniqueName('no-such-ns');
    const refused = await refusal(core.createNamespacedPod({ namespace: missing, body: podManifest('orphan') }));
    assert.equal(refused.code, 404);
    assert.match(refused.message, new RegExp(`namespaces "${missing}" not found`));
    const leftover = await refusal(core.readNamespacedPod({ namespace: missing, name: 'orphan' }));
    assert.equal(leftover.code, 404, 'nothing was stored in the missing namespace');
  });

  it('refuses a pod in a namespace that is terminating, and finishes deleting it once released', async () => {
    const namespace = await namespaces.create('adm-terminating');
    const name = 'held';
    await core.createNamespacedConfigMap({ namespace, body: { metadata: { name, finalizers: [holdFinalizer] }, data: { why: 'keeps the namespace terminating' } } });
    held.push({ namespace, name });
    await core.deleteNamespace({ name: namespace });
    await eventually(`namespace ${namespace} to be Terminating`, async () => {
      const ns = await core.readNamespace({ name: namespace });
      return ns.status?.phase === 'Terminating' ? true : undefined;
    });

    const refused = await refusal(core.createNamespacedPod({ namespace, body: podManifest('late') }));
    assert.equal(refused.code, 403);
    assert.equal(refused.reason, 'Forbidden');
    assert.match(refused.message, /because it is being terminated/);

    await release();
    await eventually(`namespace ${namespace} to be gone`, async () => {
      const gone = await refusal(core.readNamespace({ name: namespace }));
      return gone.code === 404 ? true : undefined;
    }, 30_000);
  });

  it('gives a pod without a service account the default one, with its token mounted', async () => {
    const namespace = await namespaces.create('adm-sa');
    const pod = await core.createNamespacedPod({ namespace, body: podManifest('plain') });
    assert.equal(pod.spec?.serviceAccountName, 'default');
    const tokenVolume = pod.spec?.volumes?.find((v) => v.projected?.sources?.some((s) => s.serviceAccountToken !== undefined));
    assert.ok(tokenVolume, 'a projected service account token volume was added');
    const mount = pod.spec?.containers[0]?.volumeMounts?.find((m) => m.name === tokenVolume.name);
    assert.equal(mount?.mountPath, '/var/run/secrets/kubernetes.io/serviceaccount');
  });

  it('refuses a pod naming a service account that does not exist', async () => {
    const namespace = await namespaces.create('adm-sa-missing');
    const refused = await refusal(core.createNamespacedPod({ namespace, body: podManifest('ghost', { serviceAccountName: 'nobody' }) }));
    assert.equal(refused.code, 403);
    assert.match(refused.message, /service account .*nobody/);
  });
});
