// What the user may do on a cluster, against the local plane's real authorizer: one rules review per
// namespace, read locally, must give for every check the answer the API gives to a
// SelfSubjectAccessReview of that check (what `kubectl auth can-i` asks), for the admin and for
// the tenant (the edit role in tenant-a-ns only), whose Delete is refused for the namespace verb.
import * as assert from 'node:assert/strict';
import { clusterActionChecks, deniedSummary, describeCheck, type ActionPermission } from '../../src/core/permissions';
import { canI } from '../../src/kube/accessReview';
import type { KubeClient } from '../../src/kube/kubeClient';
import { readPermissions } from '../../src/kube/permissionReader';
import { PermissionStore } from '../../src/kube/permissionStore';
import { ApiError } from '../../src/kube/apiError';
import { namespaceOfPath, resources } from '../../src/core/kubeTypes';
import { adminClient, rejection, tenantClient } from './fixtures';

const tenantNamespace = 'tenant-a-ns';

async function agreesWithAccessReviews(client: KubeClient, namespace: string, permissions: ActionPermission[]): Promise<void> {
  const checks = Object.values(clusterActionChecks(namespace)).flat();
  const truth = await canI(client.transport, checks);
  const local = new Map(permissions.flatMap((p) => p.checks).map((a) => [describeCheck(a.check) + (a.check.name ?? ''), a.allowed]));
  const disagreements = truth.filter((t) => local.get(describeCheck(t.check) + (t.check.name ?? '')) !== t.allowed).map((t) => `${describeCheck(t.check)}: API says ${t.allowed}`);
  assert.deepEqual(disagreements, [], 'the rules review read locally answers as the API does');
}

describe('permissions on a cluster', () => {
  const admin = adminClient();
  const tenant = tenantClient();
  after(() => {
    admin.transport.dispose();
    tenant.transport.dispose();
  });

  it('the admin may do everything, and the local reading agrees with the API check by check', async () => {
    const permissions = await readPermissions(admin.transport, tenantNamespace);
    assert.deepEqual(permissions.filter((p) => !p.allowed).map((p) => p.action), []);
    assert.equal(deniedSummary(permissions), undefined);
    await agreesWithAccessReviews(admin, tenantNamespace, permissions);
  });

  it('the tenant may scale, open a terminal and forward ports in its namespace, but not delete it; elsewhere nothing', async () => {
    const permissions = await readPermissions(tenant.transport, tenantNamespace);
    const allowed = (action: string) => permissions.find((p) => p.action === action)?.allowed;
    assert.equal(allowed('scale'), true);
    assert.equal(allowed('terminal'), true);
    assert.equal(allowed('portForward'), true);
    assert.equal(allowed('logs'), true);
    assert.equal(allowed('delete'), false);
    assert.match(deniedSummary(permissions) ?? '', /Delete cluster \(needs delete namespace tenant-a-ns\)/);
    await agreesWithAccessReviews(tenant, tenantNamespace, permissions);

    const elsewhere = await readPermissions(tenant.transport, 'kube-system');
    assert.deepEqual(elsewhere.filter((p) => p.allowed).map((p) => p.action), [], 'no action is allowed outside its namespace');
    await agreesWithAccessReviews(tenant, 'kube-system', elsewhere);
  });

  it('the tree store asks each namespace once, in the background, and answers from memory after', async () => {
    const answered: string[] = [];
    const store = new PermissionStore(tenant.transport, (namespace) => answered.push(namespace));
    const namespaces = [tenantNamespace, 'kube-system', 'default', 'kube-public', 'kube-node-lease', 'a-missing-ns'];
    try {
      for (const ns of namespaces) assert.equal(store.get(ns), undefined, 'unknown at first: every action stays offered');
      for (const ns of namespaces) store.get(ns); // shown again before the answers: not asked twice
      await store.idle();
      assert.deepEqual([...answered].sort(), [...namespaces].sort(), 'one answer per namespace');
      assert.equal(store.get(tenantNamespace)?.find((p) => p.action === 'delete')?.allowed, false);
      assert.equal(store.get(tenantNamespace)?.find((p) => p.action === 'scale')?.allowed, true);
      assert.equal(store.get('a-missing-ns')?.every((p) => !p.allowed), true);
      await store.idle();
      assert.equal(answered.length, namespaces.length, 'answers come from memory, nothing asked again');
    } finally {
      store.dispose();
    }
  });

  it('a Forbidden inside a namespace makes the store ask again, and the tree is told', async () => {
    const answered: string[] = [];
    const store = new PermissionStore(tenant.transport, (namespace) => answered.push(namespace), undefined, 0);
    tenant.transport.onForbidden = (path) => {
      const namespace = namespaceOfPath(path);
      if (namespace) store.forget(namespace);
    };
    try {
      await store.refresh(tenantNamespace);
      assert.deepEqual(answered, [tenantNamespace]);
      // The tenant may not delete its namespace: the refusal is what the store hears of.
      await rejection(tenant.delete(resources.namespaces, undefined, tenantNamespace, { dryRun: true }), ApiError);
      assert.deepEqual(answered, [tenantNamespace, tenantNamespace], 'told at once, so the menus are asked for again');
      assert.equal(store.get(tenantNamespace), undefined, 'unknown until asked again');
      await store.idle();
      assert.equal(store.get(tenantNamespace)?.find((p) => p.action === 'delete')?.allowed, false, 'asked again: still refused');
    } finally {
      tenant.transport.onForbidden = undefined;
      store.dispose();
    }
  });
});
