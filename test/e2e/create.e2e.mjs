// @ts-check
/* global describe, it, before, after */
// Flow 2, "Create CMP Cluster" from the command palette: the form rejects a wrong name (its error
// shows, Create stays disabled), creates with a visible progress, and the cluster appears in the
// tree; the API then holds the namespace, labels, guard rails and instances the seed describes.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectlJson, livePods, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

describe('e2e 2: Create CMP Cluster from the command palette', function () {
  this.timeout(240_000);
  const name = uniqueName('shop');
  const namespace = `${name}-ns`;
  /** @type {Workbench} */
  let window;

  before(async () => {
    window = await Workbench.open();
    await window.showClusters();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
  });

  it('keeps Create disabled for a wrong name, then creates with progress and lists the cluster', async () => {
    await window.runCommand('Create CMP Cluster');
    await window.tab('Create CMP Cluster').and(window.page.locator('.active')).waitFor();
    const form = window.webview();
    const nameInput = form.locator('#name input');
    await nameInput.waitFor();
    assert.equal(await form.locator('#name-error').innerText(), '', 'no error before the user types');
    assert.equal(await form.locator('#create').getAttribute('disabled'), '', 'Create is disabled while the name is empty');

    await nameInput.fill('Shop_1');
    await assert.doesNotReject(form.locator('#name-error').filter({ hasText: /\S/ }).waitFor(), 'the name error shows');
    assert.match(await form.locator('#name-error').innerText(), /lowercase/i);
    assert.equal(await form.locator('#create').getAttribute('disabled'), '', 'Create is disabled');
    await window.screenshot('create-form-error');

    await nameInput.fill(name);
    await form.locator('#cpu input').fill('0.5');
    await form.locator('#memoryGiB input').fill('1');
    await form.locator('#count input').fill('3');
    await form.locator('#labels textarea').fill('team=e2e');
    await form.locator('#name-error:empty').waitFor({ state: 'attached' });
    await form.locator('#create:not([disabled])').waitFor();
    assert.equal(await form.locator('#namespace-hint').innerText(), `Namespace: ${namespace}`);
    // The quota follows count × sizes until edited, with room for twice the count: 6 × 0.5 CPU, 6 × 1 GiB.
    assert.equal(await form.locator('#quotaCpu input').inputValue(), '3');
    assert.equal(await form.locator('#quotaMemoryGiB input').inputValue(), '6');
    assert.match(await form.locator('[data-field="quotaCpu"] .hint').innerText(), /room for twice the instances/);
    await window.screenshot('create-form');

    await form.locator('#create').click();
    // A picture of the progress if it is still up once the toast has slid in (it may be done first).
    await window.toasts.filter({ hasText: `Creating ${name}` }).waitFor({ timeout: 10_000 })
      .then(() => window.page.waitForTimeout(300)).then(() => window.screenshot('create-progress'), () => undefined);
    await window.tab('Create CMP Cluster').waitFor({ state: 'detached' });
    const seen = await window.notificationsSeen();
    assert.ok(seen.some((text) => text.startsWith(`Creating ${name}`)), `a progress notification "Creating ${name}" showed (seen: ${JSON.stringify(seen)})`);

    // The new cluster is revealed and selected in the tree.
    await window.cluster(name).filter({ hasText: '3/3 ready' }).waitFor();
    assert.equal(await window.cluster(name).getAttribute('aria-selected'), 'true');
    await window.screenshot('create-done');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation in the page or the webview');
  });

  it('made the namespace, labels, guard rails and instances the seed describes', async () => {
    const ns = await kubectlJson(['namespace', namespace]);
    assert.ok(ns, `namespace ${namespace} exists`);
    assert.deepEqual(
      { managedBy: ns.metadata.labels['managed-by'], clusterNamespace: ns.metadata.labels['cluster-namespace'], cluster: ns.metadata.labels.cluster, team: ns.metadata.labels.team },
      { managedBy: 'cmp', clusterNamespace: 'true', cluster: name, team: 'e2e' },
    );
    const spec = JSON.parse(ns.metadata.annotations['cmp.io/cluster-spec']);
    assert.deepEqual(spec, { instanceType: 'container', image: 'nginx:1.27', cpu: 0.5, memoryGiB: 1, count: 3 });

    const quota = await kubectlJson(['resourcequota', 'cluster-quota', '-n', namespace]);
    assert.deepEqual(quota?.spec.hard, { 'limits.cpu': '3', 'limits.memory': '6Gi', 'requests.cpu': '3', 'requests.memory': '6Gi' });
    const limits = await kubectlJson(['limitrange', 'resource-limits', '-n', namespace]);
    assert.deepEqual(limits?.spec.limits[0].max, { cpu: '500m', memory: '1Gi' });
    const policy = await kubectlJson(['networkpolicy', 'deny-from-other-namespaces', '-n', namespace]);
    assert.deepEqual(policy?.spec.ingress, [{ from: [{ podSelector: {} }] }]);
    assert.ok(await kubectlJson(['serviceaccount', 'cluster-sa', '-n', namespace]), 'ServiceAccount cluster-sa exists');
    const binding = await kubectlJson(['rolebinding', 'cluster-admin', '-n', namespace]);
    assert.deepEqual(binding?.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });

    assert.deepEqual(await livePods(namespace), ['instance-0', 'instance-1', 'instance-2']);
    const pods = await kubectlJson(['pods', '-n', namespace]);
    for (const pod of pods.items) {
      assert.equal(pod.metadata.labels['managed-by'], 'cmp');
      assert.equal(pod.metadata.labels.cluster, name);
      assert.equal(pod.spec.serviceAccountName, 'cluster-sa');
      assert.deepEqual(pod.spec.containers[0].resources.requests, { cpu: '500m', memory: '1Gi' });
    }
    await eventually('all three instances running', async () => {
      const list = await kubectlJson(['pods', '-n', namespace]);
      return list.items.every((/** @type {any} */ p) => p.status.phase === 'Running') ? true : undefined;
    });
  });
});
