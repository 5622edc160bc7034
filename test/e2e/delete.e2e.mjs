// @ts-check
/* global describe, it, before, after */
// Flow 4, Delete from the tree's context menu: a modal asks first; after Delete the cluster shows
// Terminating while its namespace drains, then leaves the tree and the API.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectl, kubectlCluster, kubectlJson, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

describe('e2e 4: Delete CMP Cluster from the context menu', function () {
  this.timeout(240_000);
  const name = uniqueName('old');
  const namespace = `${name}-ns`;
  const hold = 'e2e.cmp.io/hold';
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectlCluster(name, 1);
    // A finalizer the spec lifts itself holds the namespace in Terminating until the tree has shown it.
    await kubectl(['create', 'configmap', 'held', '-n', namespace]);
    await kubectl(['patch', 'configmap', 'held', '-n', namespace, '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [hold] } })]);
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '1/1 ready' }).waitFor();
  });

  after(async () => {
    await window?.close();
    await kubectl(['patch', 'configmap', 'held', '-n', namespace, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']).catch(() => undefined);
    await deleteNamespaces([namespace]);
  });

  it('asks first; Cancel keeps the cluster', async () => {
    await window.contextMenu(window.cluster(name), 'Delete CMP Cluster');
    await window.dialog.waitFor();
    try {
      // The confirmation names the namespace, the context and its server, and what goes with it.
      assert.match(await window.dialog.innerText(), new RegExp(`This deletes namespace ${namespace} of context \\S+ \\(https://[^)]+\\) and everything in it, including 1 instance`));
      await window.screenshot('delete-confirm');
    } finally {
      // Answered whatever the check found, so a failure here cannot leave the dialog over the next test.
      await window.dialog.getByRole('button', { name: 'Cancel' }).click();
      await window.dialog.waitFor({ state: 'hidden' });
    }
    assert.ok(await kubectlJson(['namespace', namespace]), 'the namespace is still there');
    assert.equal(await window.cluster(name).filter({ hasText: 'Terminating' }).count(), 0);
  });

  it('on Delete shows Terminating, then the cluster leaves the tree and the API', async () => {
    await window.contextMenu(window.cluster(name), 'Delete CMP Cluster');
    await window.dialog.getByRole('button', { name: 'Delete' }).click();
    await window.cluster(name).filter({ hasText: 'Terminating' }).waitFor();
    const ns = await kubectlJson(['namespace', namespace]);
    assert.equal(ns?.status.phase, 'Terminating');
    await window.screenshot('delete-terminating');

    await kubectl(['patch', 'configmap', 'held', '-n', namespace, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    // Normally seconds; a plane busy deleting a thousand namespaces of a benchmark takes minutes.
    await window.cluster(name).waitFor({ state: 'detached', timeout: 180_000 });
    await eventually('the namespace to be gone from the API', async () => ((await kubectlJson(['namespace', namespace])) ? undefined : true), 30_000);
  });
});
