// The tenant's view in the extension host: with the plane's tenant kubeconfig (the edit role in
// tenant-a-ns only, labelled as a CMP cluster for this test), the tree's menus leave out Delete,
// the tooltip says why, Show My Permissions lists the refusal with its verb, and the create form
// keeps Create disabled, naming the verb it needs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { PermissionRow } from '../../src/core/permissions';
import { eventually, kubectl, tenantKubeconfigPath } from '../support/testPlane';
import { clusterTreeItem, connectedExtension, topLevelNamespaces } from './extensionHarness';

const namespace = 'tenant-a-ns';

describe('permissions as the tenant sees them', () => {
  let api: CmpExtensionApi;

  before(async () => {
    await kubectl(['label', '--overwrite', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', 'cluster=tenant-a']);
    api = await connectedExtension(tenantKubeconfigPath());
    await eventually('the tenant context to be live', async () => {
      const state = api.services.session.state;
      return state.kind === 'connected' && state.contextName === 'cmp-dev-tenant' && state.cache.state.kind === 'ready' ? true : undefined;
    }, 30_000);
  });

  after(async () => {
    await kubectl(['label', 'namespace', namespace, 'managed-by-', 'cluster-namespace-', 'cluster-']).catch(() => undefined);
    await connectedExtension();
  });

  it('hides Delete, keeps Scale, and says why in the tooltip', async () => {
    await eventually('the tree to list the tenant cluster', async () => (topLevelNamespaces(api).includes(namespace) ? true : undefined));
    clusterTreeItem(api, namespace);
    await api.services.tree.permissions?.idle();
    const item = clusterTreeItem(api, namespace);
    const tokens = String(item.contextValue).split(';');
    assert.equal(tokens[0], 'cmpCluster');
    assert.ok(tokens.includes('scale') && tokens.includes('terminal') && tokens.includes('portForward'), `scale, terminal and port forward offered (got ${item.contextValue})`);
    assert.ok(!tokens.includes('delete'), `Delete is not offered (got ${item.contextValue})`);
    assert.ok(!tokens.includes('raiseQuota'), 'the edit role may not patch resourcequotas');
    assert.ok(!tokens.includes('edit') && tokens.includes('scaleInline'), `Edit is hidden (no patch on the namespace) and the inline ↔ is the Scale box (got ${item.contextValue})`);
    // Markdown text as appendText escapes it (spaces as &nbsp;, punctuation with backslashes), read back as plain text.
    const tooltip = (item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip)).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(tooltip, /Not allowed for you here: Edit \(labels, sizes, guard rails\) \(needs patch namespace tenant-a-ns\); Delete cluster \(needs delete namespace tenant-a-ns\)/);
  });

  it('lists the refusal in Show My Permissions', async () => {
    const rows = await vscode.commands.executeCommand<PermissionRow[]>('cmp.showPermissions', api.services.tree.clusterNode(namespace));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(rows);
    assert.deepEqual(rows.find((r) => r.action === 'Delete cluster'), { action: 'Delete cluster', allowed: false, checks: `✗ delete namespace ${namespace}` });
    assert.equal(rows.find((r) => r.action === 'Scale')?.allowed, true);
  });

  it('keeps Create disabled in the form, naming what it needs', async () => {
    await vscode.commands.executeCommand('cmp.createCluster');
    const panel = api.services.forms.current;
    assert.ok(panel, 'the create form is open');
    try {
      const { posted } = await panel.handle({ type: 'form/ready' });
      const access = posted.find((m) => m.type === 'host/access');
      assert.ok(access && access.type === 'host/access');
      assert.match(access.missing ?? '', /^needs: create namespaces \(asked the API for context cmp-dev-tenant\)$/);
    } finally {
      panel.dispose();
    }
  });
});
