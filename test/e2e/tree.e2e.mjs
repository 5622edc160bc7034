// @ts-check
/* global describe, it, before, after */
// Flow 1, sidebar tree browsing: clusters made beforehand with kubectl show up in the CMP Clusters
// view with their instances and status, and later kubectl changes show without a refresh.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectl, kubectlCluster, kubectlInstance, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

describe('e2e 1: browsing the CMP Clusters tree', function () {
  this.timeout(240_000);
  const web = uniqueName('web');
  const jobs = uniqueName('jobs');
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectlCluster(web, 2);
    await kubectlCluster(jobs, 1);
    window = await Workbench.open();
    await window.showClusters();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([`${web}-ns`, `${jobs}-ns`]);
  });

  it('lists the clusters made with kubectl and, expanded, their instances with status', async () => {
    await window.cluster(web).filter({ hasText: '2/2 ready' }).waitFor();
    await window.cluster(jobs).filter({ hasText: '1/1 ready' }).waitFor();
    await window.expand(web);
    await eventually('both instances listed', async () => {
      await window.revealBelow(web, 2);
      const names = (await window.instanceNames(web)).join(',');
      if (names !== 'instance-0,instance-1') throw new Error(`the tree lists [${names}] below ${web}`);
      return true;
    });
    for (const instance of ['instance-0', 'instance-1']) {
      const description = await window.instance(instance).locator('.label-description').textContent();
      assert.match(description ?? '', /^Running · ready · /, `${instance} shows its phase and readiness`);
    }
    await window.screenshot('tree');
  });

  it('shows a change made with kubectl without a refresh', async () => {
    await kubectlInstance(web, 2);
    await window.cluster(web).filter({ hasText: '3/3 ready' }).waitFor();
    await eventually('instance-2 listed', async () => {
      await window.revealBelow(web, 3);
      return (await window.instanceNames(web)).includes('instance-2') ? true : undefined;
    });
    // The watch shows the deletion at once; how long the namespace takes to go is the plane's
    // business (the delete spec waits for it).
    await kubectl(['delete', 'namespace', `${jobs}-ns`, '--wait=false']);
    await window.cluster(jobs).filter({ hasText: 'Terminating…' }).waitFor();
    await window.screenshot('tree-live');
  });
});
