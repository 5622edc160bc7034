// @ts-check
/* global describe, it, before, after */
// Flow 10, a tenant's view: with the local plane's tenant kubeconfig (the edit role in tenant-a-ns
// only, labelled as a CMP cluster here), the tree shows that cluster, its context menu offers Scale
// but neither Delete nor Edit (the tenant may not delete or patch namespaces), the tooltip says
// why, and Show My Permissions lists each action with the verb behind it.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { kubeconfigPath, kubectl } from './kube.mjs';
import { resultsDir, useKubeconfig, Workbench } from './workbench.mjs';

const namespace = 'tenant-a-ns';
const tenantKubeconfig = () => {
  const path = process.env.CMP_TEST_TENANT_KUBECONFIG;
  if (!path) throw new Error('CMP_TEST_TENANT_KUBECONFIG is not set (the plane writes it; npm test sets it)');
  return path;
};

describe('e2e 10: what a tenant may do, as the menus and Show My Permissions say', function () {
  this.timeout(240_000);
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectl(['label', '--overwrite', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', 'cluster=tenant-a']);
    useKubeconfig(tenantKubeconfig());
    window = await Workbench.open();
    await window.showClusters();
  });

  after(async () => {
    await window?.close();
    useKubeconfig(kubeconfigPath());
    await kubectl(['label', 'namespace', namespace, 'managed-by-', 'cluster-namespace-', 'cluster-']).catch(() => undefined);
  });

  it('hides Delete and Edit from the tenant, keeps Scale, and lists the permissions with their verbs', async () => {
    const row = window.cluster('tenant-a');
    await row.waitFor({ timeout: 60_000 });
    // Until the tree knows the permissions it offers everything; once known, the inline ↔ is the
    // Scale box (who may not edit), not the edit form's count.
    await row.locator('[aria-label="Scale CMP Cluster"]').waitFor({ state: 'attached' });
    await window.focusRow(row);
    const menu = window.page.locator('.context-view .monaco-menu');
    await menu.getByRole('menuitem', { name: 'Scale CMP Cluster' }).waitFor();
    const entries = await menu.getByRole('menuitem').allInnerTexts();
    assert.ok(!entries.some((e) => /Delete CMP Cluster/.test(e)), `no Delete for the tenant (menu: ${entries.join(' | ')})`);
    assert.ok(!entries.some((e) => /Edit CMP Cluster/.test(e)), `no Edit for the tenant (menu: ${entries.join(' | ')})`);
    await window.screenshot('tenant-menu');
    await menu.getByRole('menuitem', { name: 'Show My Permissions' }).click();
    await window.quickInput.waitFor();
    const picked = await window.quickInput.innerText();
    assert.match(picked, /My permissions on tenant-a \(namespace tenant-a-ns, context cmp-dev-tenant\)/);
    assert.match(picked, /Delete cluster[\s\S]*not allowed[\s\S]*✗ delete namespace tenant-a-ns/);
    assert.match(picked, /Scale[\s\S]*allowed/);
    // As it is, with the quick pick open (the helper's mouse move away would close it).
    await window.page.screenshot({ path: join(resultsDir, 'tenant-permissions.png'), animations: 'disabled' });
    await window.page.keyboard.press('Escape');
  });
});
