// @ts-check
/* global describe, it, before, after */
// Flow 3, Scale from the tree's context menu: 2 → 4 → 1, typed into the input box; after each
// step the tree and the API agree on the instances.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectl, kubectlCluster, livePods, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

describe('e2e 3: Scale CMP Cluster from the context menu', function () {
  this.timeout(240_000);
  const name = uniqueName('api');
  const namespace = `${name}-ns`;
  /** @type {Workbench} */
  let window;

  /** Scales through the context menu and waits until tree and API both show `count` instances. @param {number} count @param {string} [screenshot] */
  async function scaleTo(count, screenshot) {
    await window.contextMenu(window.cluster(name), 'Scale CMP Cluster', screenshot ? 'context-menu' : undefined);
    await window.quickInput.waitFor();
    if (screenshot) {
      await window.quickInput.locator('input').fill(String(count));
      await window.screenshot(screenshot);
    }
    await window.answerInput(String(count));
    const expected = Array.from({ length: count }, (_, i) => `instance-${i}`);
    await eventually(`the API to hold ${expected.join(', ')}`, async () => ((await livePods(namespace)).join(',') === expected.join(',') ? true : undefined), 90_000);
    await window.cluster(name).filter({ hasText: `${count}/${count} ready` }).waitFor();
    await eventually(`the tree to list ${expected.join(', ')}`, async () => {
      await window.revealBelow(name, count);
      return (await window.instanceNames(name)).join(',') === expected.join(',') ? true : undefined;
    }, 90_000);
    assert.deepEqual(await livePods(namespace), expected, 'the API agrees with the tree');
  }

  before(async () => {
    await kubectlCluster(name, 2);
    // What the extension stores on a namespace it creates, so the sizes need no deriving.
    await kubectl(['annotate', 'namespace', namespace, `cmp.io/cluster-spec=${JSON.stringify({ instanceType: 'container', image: 'nginx:1.27', cpu: 0.5, memoryGiB: 1, count: 2 })}`]);
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '2/2 ready' }).waitFor();
    await window.expand(name);
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
  });

  it('scales 2 → 4: two more instances in the tree and the API', async () => {
    await scaleTo(4, 'scale-input');
    await window.screenshot('scale-4');
  });

  it('scales 4 → 1: the extra instances leave the tree and the API', async () => {
    await scaleTo(1);
    await window.screenshot('scale-1');
  });
});
