// Several contexts in one tree, in the extension host against the two planes (cmp-dev, cmp-dev-2 in
// one kubeconfig, as npm test starts them): with cmp.contexts naming both, the top level is the
// contexts with their state and counts, each context's clusters below it; the same cluster name in
// both is two clusters; deleting the one in cmp-dev-2 (the confirmation names that context) leaves
// the one in cmp-dev; panes open for the node's context.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { EventsPanel } from '../../src/vscode/panels/eventsPanel';
import type { ClusterNode, ContextNode, TreeNode } from '../../src/vscode/tree/treeNodes';
import { adminKubeconfigPath, eventually, fleetKubeconfigPath, kubectl, uniqueName } from '../support/testPlane';
import { answerPrompts, connectedExtension } from './extensionHarness';

describe('several contexts in the tree', () => {
  let api: CmpExtensionApi;
  const name = uniqueName('twin');
  const namespace = `${name}-ns`;
  const inContext = (context: string, args: string[]) => kubectl(['--context', context, ...args], fleetKubeconfigPath());
  const config = () => vscode.workspace.getConfiguration('cmp');

  const contextRows = (): ContextNode[] => (api.services.tree.getChildren() as TreeNode[]).filter((n): n is ContextNode => n.kind === 'context');
  const clusterIn = (context: string): ClusterNode | undefined => {
    const row = contextRows().find((c) => c.name === context);
    return row ? (api.services.tree.getChildren(row) as TreeNode[]).find((n): n is ClusterNode => n.kind === 'cluster' && n.namespace === namespace) : undefined;
  };

  before(async () => {
    for (const context of ['cmp-dev', 'cmp-dev-2']) {
      await inContext(context, ['create', 'namespace', namespace]);
      await inContext(context, ['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`, `plane=${context}`]);
    }
    api = await connectedExtension(fleetKubeconfigPath());
    await config().update('contexts', ['cmp-dev', 'cmp-dev-2'], vscode.ConfigurationTarget.Global);
    await eventually('both contexts connected and listed', async () => {
      const entries = api.services.session.entries();
      return entries.length === 2 && entries.every((c) => c.at?.cache.state.kind === 'ready') ? true : undefined;
    }, 30_000);
  });

  after(async () => {
    await config().update('contexts', undefined, vscode.ConfigurationTarget.Global);
    await config().update('kubeconfig', adminKubeconfigPath(), vscode.ConfigurationTarget.Global);
    await connectedExtension();
    for (const context of ['cmp-dev', 'cmp-dev-2']) await inContext(context, ['delete', 'namespace', namespace, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  it('shows each context at the top with its state and counts, and its own clusters below it', async () => {
    assert.deepEqual(contextRows().map((c) => c.name), ['cmp-dev', 'cmp-dev-2']);
    for (const context of ['cmp-dev', 'cmp-dev-2']) {
      const row = contextRows().find((c) => c.name === context) as ContextNode;
      const item = api.services.tree.getTreeItem(row);
      assert.equal(item.label, context);
      assert.match(String(item.description), /^live · \d+ clusters? · \d+\/\d+ ready$/);
      const node = await eventually(`the twin listed under ${context}`, async () => clusterIn(context));
      assert.equal(node.connection.contextName, context, 'the node carries its context');
      assert.equal(api.services.tree.getParent(node), row);
    }
    const [one, two] = [clusterIn('cmp-dev'), clusterIn('cmp-dev-2')];
    assert.notEqual(one?.uid, two?.uid, 'two clusters, not one shown twice');
    const ids = [one, two].map((n) => api.services.tree.getTreeItem(n as ClusterNode).id);
    assert.notEqual(ids[0], ids[1], 'tree ids are unique across contexts');
  });

  it('opens panes for the context of the node', async () => {
    const events = await vscode.commands.executeCommand<EventsPanel>('cmp.showEvents', clusterIn('cmp-dev-2'));
    assert.ok(events);
    assert.equal(events.contextName, 'cmp-dev-2');
    await events.whenReady();
    events.dispose();
  });

  it('deletes the cluster of cmp-dev-2 after a confirmation that names it; the same name in cmp-dev stays', async () => {
    const node = clusterIn('cmp-dev-2');
    assert.ok(node);
    const answer = answerPrompts(api, { confirm: true });
    try {
      await vscode.commands.executeCommand('cmp.deleteCluster', node);
    } finally {
      answer.restore();
    }
    assert.equal(answer.asked.length, 1);
    assert.match(answer.asked[0] ?? '', new RegExp(`Delete CMP cluster "${name}" in context cmp-dev-2\\?`));
    await eventually('the namespace in cmp-dev-2 to be deleted', async () => {
      const phase = await inContext('cmp-dev-2', ['get', 'namespace', namespace, '--ignore-not-found', '-o', 'jsonpath={.status.phase}']);
      return phase === '' || phase === 'Terminating' ? true : undefined;
    });
    assert.equal(await inContext('cmp-dev', ['get', 'namespace', namespace, '-o', 'jsonpath={.status.phase}']), 'Active', 'the twin in cmp-dev is untouched');
    assert.ok(clusterIn('cmp-dev'), 'and still listed under cmp-dev');
  });

  it('keeps the nodes of a context still shown when another is taken away, and refuses those of the one gone', async () => {
    const kept = clusterIn('cmp-dev');
    const gone = contextRows().find((c) => c.name === 'cmp-dev-2');
    assert.ok(kept && gone);
    const goneNode = { kind: 'cluster', connection: { id: api.services.session.connectionNamed('cmp-dev-2')?.id ?? -1, contextName: 'cmp-dev-2' }, namespace, uid: kept.uid } as ClusterNode;
    await config().update('contexts', ['cmp-dev'], vscode.ConfigurationTarget.Global);
    await eventually('one context shown', async () => (api.services.session.entries().length === 1 ? true : undefined));
    assert.equal(api.services.tree.staleReason(kept), undefined, 'cmp-dev kept its connection, so its nodes still act');
    assert.match(api.services.tree.staleReason(goneNode) ?? '', /shown for context cmp-dev-2, and context cmp-dev-2 is no longer shown; nothing was done/);
    const answer = answerPrompts(api, { confirm: true });
    try {
      await vscode.commands.executeCommand('cmp.deleteCluster', goneNode);
    } finally {
      answer.restore();
    }
    assert.deepEqual(answer.asked, [], 'nothing was asked, nothing done');
    assert.equal(await inContext('cmp-dev', ['get', 'namespace', namespace, '-o', 'jsonpath={.status.phase}']), 'Active');
  });
});
