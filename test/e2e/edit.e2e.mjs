// @ts-check
/* global describe, it, before, after */
// Flow 9, "Edit CMP Cluster" from the tree's context menu: the form opens on the live cluster with
// its name locked and the quota's use beside the quota; a bad count disables Review; a new count
// and quota show their diff; Apply writes them and scales; the API then holds exactly that.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectl, kubectlCluster, kubectlJson, livePods, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

describe('e2e 9: Edit CMP Cluster from the context menu', function () {
  this.timeout(240_000);
  const name = uniqueName('edit');
  const namespace = `${name}-ns`;
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectlCluster(name, 2);
    await kubectl(['annotate', 'namespace', namespace, `cmp.io/cluster-spec=${JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 0.5, memoryGiB: 1, count: 2 })}`]);
    await kubectl(['create', 'quota', 'cluster-quota', '-n', namespace, '--hard=requests.cpu=1,requests.memory=2Gi,limits.cpu=1,limits.memory=2Gi']);
    await kubectl(['label', 'resourcequota', 'cluster-quota', '-n', namespace, 'managed-by=cmp', `cluster=${name}`]);
    // The quota controller counts the instances' requests into status.used; the form shows that use.
    await eventually('the quota to count the instances', async () => ((await kubectlJson(['resourcequota', 'cluster-quota', '-n', namespace]))?.status?.used?.['requests.cpu'] === '1' ? true : undefined));
    window = await Workbench.open();
    await window.showClusters();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
  });

  it('edits the count and the quota from the form: the diff first, then the objects in the API', async () => {
    await window.cluster(name).filter({ hasText: '2/2 ready' }).waitFor({ timeout: 60_000 });
    await window.contextMenu(window.cluster(name), 'Edit CMP Cluster');
    await window.tab(`Edit ${name}`).waitFor();
    const form = window.webview();
    const count = form.locator('#count input');
    await count.waitFor();
    assert.equal(await count.inputValue(), '2');
    assert.equal(await form.locator('#name').getAttribute('readonly'), '', 'the name is locked');
    assert.match(await form.locator('#locked-labels').innerText(), /managed-by=cmp/);
    await form.locator('#quotaCpu-used').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await form.locator('#quotaCpu-used').innerText(), 'In use now: 1 cores requested.');

    await count.fill('-1');
    await form.locator('#count-error').filter({ hasText: /\S/ }).waitFor();
    assert.equal(await form.locator('#review').getAttribute('disabled'), '', 'Review is disabled while the count is wrong');

    await count.fill('3');
    await form.locator('#quotaCpu input').fill('2');
    await form.locator('#quotaMemoryGiB input').fill('4');
    await form.locator('#review:not([disabled])').click();
    const preview = form.locator('#preview');
    await preview.locator('.review-title', { hasText: 'update ResourceQuota cluster-quota' }).waitFor();
    assert.match(await preview.innerText(), /\+\s+requests\.cpu: '2'/, 'the diff shows the new hard limit');
    assert.match(await preview.innerText(), /Instances: 2 → 3/);
    await window.screenshot('edit-review');

    await form.locator('#apply:not([disabled])').click();
    await form.locator('#status', { hasText: /Applied to/ }).waitFor({ timeout: 90_000 });
    assert.match(await form.locator('#status').innerText(), /scaled from 2 to 3/);
    const quota = await kubectlJson(['resourcequota', 'cluster-quota', '-n', namespace]);
    assert.deepEqual(quota?.spec.hard, { 'limits.cpu': '2', 'limits.memory': '4Gi', 'requests.cpu': '2', 'requests.memory': '4Gi' });
    await eventually('the API to hold three instances', async () => ((await livePods(namespace)).length === 3 ? true : undefined), 90_000);
    assert.equal(await count.inputValue(), '3', 'the form shows the new live values');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation in the page or the webview');
  });
});
