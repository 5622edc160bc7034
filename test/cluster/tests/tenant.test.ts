// The tenant kubeconfig (user "tenant", edit rights in tenant-a-ns only): forbidden to list
// namespaces or pods cluster-wide and to write elsewhere, allowed to run pods in tenant-a-ns.
import * as assert from 'node:assert/strict';
import { CoreV1Api } from '@kubernetes/client-node';
import { kubectl, tenantKubeConfig, tenantKubeconfigPath, uniqueName } from '../../support/testPlane';
import { adminCore, apiFailure, field, podManifest, refusal, runningPod } from './fixtures';

const tenantNamespace = 'tenant-a-ns';

describe('tenant kubeconfig', () => {
  let tenant: CoreV1Api;
  before(() => {
    tenant = tenantKubeConfig().makeApiClient(CoreV1Api);
  });
  const created: string[] = [];

  after(async () => {
    for (const name of created.splice(0)) {
      try {
        await adminCore().deleteNamespacedPod({ namespace: tenantNamespace, name, gracePeriodSeconds: 0 });
      } catch (error) {
        if (apiFailure(error).code !== 404) throw error;
      }
    }
  });

  it('defaults to tenant-a-ns', () => {
    assert.equal(tenantKubeConfig().getContextObject(tenantKubeConfig().getCurrentContext())?.namespace, tenantNamespace);
  });

  it('is forbidden to list namespaces or pods cluster-wide', async () => {
    const namespaces = await refusal(tenant.listNamespace());
    assert.equal(namespaces.code, 403);
    assert.match(namespaces.message, /User "tenant" cannot list resource "namespaces" in API group "" at the cluster scope/);
    const pods = await refusal(tenant.listPodForAllNamespaces());
    assert.equal(pods.code, 403);
    assert.match(pods.message, /cannot list resource "pods" .*at the cluster scope/);
  });

  it('is forbidden to create pods outside tenant-a-ns', async () => {
    const refused = await refusal(tenant.createNamespacedPod({ namespace: 'default', body: podManifest(uniqueName('intruder')) }));
    assert.equal(refused.code, 403);
    assert.match(refused.message, /User "tenant" cannot create resource "pods" .*in the namespace "default"/);
  });

  it('may create, list and run pods in tenant-a-ns', async () => {
    const name = uniqueName('tenant-pod');
    await tenant.createNamespacedPod({ namespace: tenantNamespace, body: podManifest(name) });
    created.push(name);
    const listed = await tenant.listNamespacedPod({ namespace: tenantNamespace });
    assert.ok(listed.items.some((p) => p.metadata?.name === name), 'the tenant sees its pod');
    await runningPod(tenant, tenantNamespace, name);

    const viaKubectl = await kubectl(['get', 'pod', name, '-o', 'jsonpath={.status.phase}'], tenantKubeconfigPath());
    assert.equal(viaKubectl, 'Running', 'kubectl with the tenant kubeconfig uses tenant-a-ns by default');
    // kubectl auth can-i answers on stdout and exits 1 for "no".
    const canI = (verb: string, resource: string, scope: string[] = []): Promise<string> =>
      kubectl(['auth', 'can-i', verb, resource, ...scope], tenantKubeconfigPath()).catch((error: unknown) => String(field(error, 'stdout')));
    assert.equal((await canI('create', 'pods')).trim(), 'yes');
    assert.equal((await canI('list', 'namespaces', ['--all-namespaces'])).trim(), 'no');
    assert.equal((await canI('create', 'pods', ['--namespace', 'default'])).trim(), 'no');
  });
});
