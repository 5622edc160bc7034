// @ts-check
/* global describe, it, before, after */
// Flow 11, several contexts in one tree: with cmp.contexts naming both planes' contexts, the tree's
// top level is the two contexts, live, each with its own cluster of the same name; Delete on the one
// under cmp-dev-2 asks in a dialog that names cmp-dev-2, deletes that namespace only, and the
// same-named cluster of cmp-dev stays, in the tree and in its API.
import * as assert from 'node:assert/strict';
import { eventually, fleetKubeconfigPath, kubeconfigPath, kubectlIn, uniqueName } from './kube.mjs';
import { useKubeconfig, useSettings, Workbench } from './workbench.mjs';

const contexts = ['cmp-dev', 'cmp-dev-2'];

describe('e2e 11: two contexts in one tree', function () {
  this.timeout(240_000);
  const name = uniqueName('twin');
  const namespace = `${name}-ns`;
  /** @type {Workbench} */
  let window;
  const phase = (/** @type {string} */ context) => kubectlIn(context, ['get', 'namespace', namespace, '--ignore-not-found', '-o', 'jsonpath={.status.phase}']);

  before(async () => {
    for (const context of contexts) {
      await kubectlIn(context, ['create', 'namespace', namespace]);
      await kubectlIn(context, ['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    }
    useSettings({ 'cmp.kubeconfig': fleetKubeconfigPath(), 'cmp.contexts': contexts });
    window = await Workbench.open();
    await window.showClusters();
  });

  after(async () => {
    await window?.close();
    useKubeconfig(kubeconfigPath());
    for (const context of contexts) await kubectlIn(context, ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  it('lists both contexts live with their twins; Delete under cmp-dev-2 names it and leaves the twin of cmp-dev', async () => {
    for (const context of contexts) {
      await window.tree.getByRole('treeitem', { name: new RegExp(`^Context ${context}, live · \\d+ clusters? · `) }).waitFor({ timeout: 60_000 });
      await eventually(`the twin under ${context}`, async () => window.clusterUnder(context, name));
    }
    await window.screenshot('fleet-tree');
    await window.contextMenu(await window.clusterUnder('cmp-dev-2', name), 'Delete CMP Cluster');
    await window.dialog.waitFor();
    try {
      assert.match(await window.dialog.innerText(), new RegExp(`Delete CMP cluster "${name}" in context cmp-dev-2\\?[\\s\\S]*This deletes namespace ${namespace} of context cmp-dev-2`));
      await window.dialog.getByRole('button', { name: 'Delete' }).click();
    } catch (error) {
      await window.dialog.getByRole('button', { name: 'Cancel' }).click().catch(() => undefined);
      throw error;
    }
    await eventually('the namespace in cmp-dev-2 to be deleted', async () => (['', 'Terminating'].includes(await phase('cmp-dev-2')) ? true : undefined), 60_000);
    assert.equal(await phase('cmp-dev'), 'Active', 'the twin in cmp-dev is untouched');
    await window.clusterUnder('cmp-dev', name);
  });
});
