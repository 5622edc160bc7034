// Extension-host tests of the user's flows against the local control plane: the live tree,
// Create through the form panel, Scale, Delete, and a failed create that keeps nothing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { ClusterFormInput } from '../../src/core/validation';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { answerPrompts, clusterTreeItem, connectedExtension, topLevelNamespaces } from './extensionHarness';

function formInput(name: string, overrides: Partial<ClusterFormInput> = {}): ClusterFormInput {
  return {
    name, instanceType: 'container', image: 'nginx:1.27', cpu: '0.5', memoryGiB: '1', count: '2',
    resourceQuota: true, quotaCpu: '1', quotaMemoryGiB: '2', limitRange: true, networkPolicy: true, serviceAccount: true, labels: 'team=qa',
    ...overrides,
  };
}

async function podNames(namespace: string): Promise<string[]> {
  const out = await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.name}']);
  return out.split(/\s+/).filter(Boolean).sort();
}

describe('CMP Clusters in the extension host', () => {
  let api: CmpExtensionApi;
  const made: string[] = [];

  before(async () => {
    api = await connectedExtension();
  });

  after(async () => {
    for (const ns of made) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  it('shows a cluster made with kubectl, with its instances and a live description', async () => {
    const name = uniqueName('kc');
    const ns = `${name}-ns`;
    made.push(ns);
    await kubectl(['create', 'namespace', ns]);
    await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    for (const i of [0, 1]) {
      const overrides = { spec: { containers: [{ name: 'instance', image: 'nginx:1.27', resources: { requests: { cpu: '1', memory: '1Gi' } } }] } };
      await kubectl(['run', `instance-${i}`, '-n', ns, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`, `--overrides=${JSON.stringify(overrides)}`]);
    }
    await eventually('the tree to list the cluster', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
    const item = await eventually('both instances ready in the description', async () => {
      const current = clusterTreeItem(api, ns);
      return String(current.description).startsWith('2/2 ready') ? current : undefined;
    });
    assert.equal(item.label, name);
    assert.match(String(item.description), /2\/2 ready · container · 1 CPU · 1 GiB/);
    const children = api.services.tree.getChildren(api.services.tree.clusterNode(ns));
    assert.deepEqual(children.map((c) => (c.kind === 'instance' ? c.name : c.kind)), ['instance-0', 'instance-1']);
  });

  it('asks what the user may do on a shown cluster: menus get the allowed actions, Show My Permissions lists the checks', async () => {
    const name = uniqueName('perm');
    const ns = `${name}-ns`;
    made.push(ns);
    await kubectl(['create', 'namespace', ns]);
    await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    await eventually('the tree to list the cluster', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
    clusterTreeItem(api, ns); // shown: the tree asks in the background
    await eventually('the permissions to be known', async () => (api.services.tree.permissions?.get(ns) ? true : undefined));
    assert.equal(clusterTreeItem(api, ns).contextValue, 'cmpCluster;edit;scale;delete;events;logs;describe;terminal;portForward;deleteInstance;raiseQuota', 'the admin may do every action');

    const rows = await vscode.commands.executeCommand<{ action: string; allowed: boolean; checks: string }[]>('cmp.showPermissions', api.services.tree.clusterNode(ns));
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    assert.ok(rows && rows.length === 10, 'one row per action');
    assert.ok(rows.every((r) => r.allowed));
    assert.equal(rows.find((r) => r.action === 'Delete cluster')?.checks, `✓ delete namespace ${ns}`);
  });

  it('creates a cluster from the form, then scales it and deletes it from commands', async () => {
    const name = uniqueName('ui');
    const ns = `${name}-ns`;
    made.push(ns);
    await vscode.commands.executeCommand('cmp.createCluster');
    const panel = api.services.forms.current;
    assert.ok(panel, 'the create form is open');
    await panel.handle({ type: 'form/create', input: formInput(name) });
    assert.equal(api.services.forms.current, undefined, 'the form closes after a successful create');
    assert.deepEqual(await podNames(ns), ['instance-0', 'instance-1']);
    const labels = JSON.parse(await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.labels}'])) as Record<string, string>;
    assert.equal(labels['managed-by'], 'cmp');
    assert.equal(labels.cluster, name);
    assert.equal(labels.team, 'qa');
    await eventually('the tree to show the new cluster', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));

    const scaleAnswer = answerPrompts(api, { input: '1' });
    await vscode.commands.executeCommand('cmp.scaleCluster', api.services.tree.clusterNode(ns)).then(scaleAnswer.restore, scaleAnswer.restore);
    assert.equal(scaleAnswer.asked.length, 1, 'the count was asked for');
    const gone = await kubectl(['get', 'pod', 'instance-1', '-n', ns, '--ignore-not-found', '-o', 'jsonpath={.metadata.name}/{.metadata.deletionTimestamp}']);
    assert.ok(gone === '' || !gone.endsWith('/'), `scale returned with instance-1 deleted or deleting (got ${gone})`);
    await eventually('instance-1 to finish terminating', async () => ((await podNames(ns)).join(',') === 'instance-0' ? true : undefined));
    await eventually('the tree to show one instance', async () => (String(clusterTreeItem(api, ns).description).startsWith('1/1') ? true : undefined));

    const deleteAnswer = answerPrompts(api, { confirm: true });
    await vscode.commands.executeCommand('cmp.deleteCluster', api.services.tree.clusterNode(ns)).then(deleteAnswer.restore, deleteAnswer.restore);
    assert.match(deleteAnswer.asked.join(), new RegExp(`Delete CMP cluster "${name}" in context `), 'the confirmation names the cluster and the context');
    await eventually('the cluster to leave the tree', async () => (topLevelNamespaces(api).includes(ns) ? undefined : true), 30_000);
    const left = await kubectl(['get', 'namespace', ns, '--ignore-not-found', '-o', 'name']);
    assert.equal(left.trim(), '');
  });

  it('offers to raise the quota when a scale does not fit it: declined writes nothing, accepted raises it and scales', async () => {
    const name = uniqueName('grow');
    const ns = `${name}-ns`;
    made.push(ns);
    await vscode.commands.executeCommand('cmp.createCluster');
    const panel = api.services.forms.current;
    assert.ok(panel, 'the create form is open');
    // A quota that holds exactly the two instances asked for (1 core, 2 GiB), as a user may set it.
    await panel.handle({ type: 'form/create', input: formInput(name) });
    await eventually('the tree to show the new cluster', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
    const hard = async () => JSON.parse(await kubectl(['get', 'resourcequota', 'cluster-quota', '-n', ns, '-o', 'jsonpath={.spec.hard}'])) as Record<string, string>;

    const declined = answerPrompts(api, { input: '3', confirm: false });
    await vscode.commands.executeCommand('cmp.scaleCluster', api.services.tree.clusterNode(ns)).then(declined.restore, declined.restore);
    assert.equal(declined.asked.length, 2, 'the count, then whether to raise the quota');
    assert.match(declined.asked[1] ?? '', new RegExp(`^Raise the quota of ${name} to fit 3 instances\\? The quota allows requests\\.cpu 1 cores; 1 are used`));
    assert.match(declined.asked[1] ?? '', /requests\.cpu 1 → 1500m, limits\.cpu 1 → 1500m, requests\.memory 2Gi → 3Gi, limits\.memory 2Gi → 3Gi\. Then .* is scaled to 3\./);
    assert.deepEqual(await podNames(ns), ['instance-0', 'instance-1'], 'declined: no instance made');
    assert.equal((await hard())['requests.cpu'], '1', 'declined: the quota is as it was');

    const accepted = answerPrompts(api, { input: '3', confirm: true });
    await vscode.commands.executeCommand('cmp.scaleCluster', api.services.tree.clusterNode(ns)).then(accepted.restore, accepted.restore);
    assert.deepEqual(await hard(), { 'limits.cpu': '1500m', 'limits.memory': '3Gi', 'requests.cpu': '1500m', 'requests.memory': '3Gi' });
    assert.deepEqual(await podNames(ns), ['instance-0', 'instance-1', 'instance-2'], 'accepted: scaled to 3 in the same step');
  });

  it('keeps the form open and writes nothing when the create fails', async () => {
    const name = uniqueName('bad');
    const ns = `${name}-ns`;
    made.push(ns);
    await vscode.commands.executeCommand('cmp.createCluster');
    const panel = api.services.forms.current;
    assert.ok(panel);
    // The quota holds one instance but three are asked for: the form refuses before any write.
    await panel.handle({ type: 'form/create', input: formInput(name, { count: '3', quotaCpu: '0.5', quotaMemoryGiB: '1' }) });
    assert.ok(api.services.forms.current, 'the form stays open for a retry');
    assert.equal((await kubectl(['get', 'namespace', ns, '--ignore-not-found', '-o', 'name'])).trim(), '');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('refuses to delete a namespace that is not managed by CMP', async () => {
    const ns = `${uniqueName('foreign')}-ns`;
    made.push(ns);
    await kubectl(['create', 'namespace', ns]);
    await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true']);
    await eventually('the tree to list it', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
    // Another tool takes the label away after the tree showed it; the delete must re-check the live object.
    await kubectl(['label', 'namespace', ns, 'managed-by-']);
    const answer = answerPrompts(api, { confirm: true });
    await vscode.commands.executeCommand('cmp.deleteCluster', api.services.tree.clusterNode(ns)).then(answer.restore, answer.restore);
    const phase = await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}']);
    assert.equal(phase, 'Active');
  });

  it('asks before deleting whatever arguments the command gets, and deletes nothing when the answer is no', async () => {
    const ns = `${uniqueName('asked')}-ns`;
    made.push(ns);
    await kubectl(['create', 'namespace', ns]);
    await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true']);
    await eventually('the tree to list it', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
    const answer = answerPrompts(api, { confirm: false });
    // An argument that once meant "confirmed" is ignored: the user is still asked.
    await vscode.commands.executeCommand('cmp.deleteCluster', api.services.tree.clusterNode(ns), true).then(answer.restore, answer.restore);
    assert.equal(answer.asked.length, 1, 'the confirmation was shown');
    assert.equal(await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.status.phase}']), 'Active');
  });

  it('finishes a create whose form was closed meanwhile, and reveals the cluster', async () => {
    const name = uniqueName('closed');
    const ns = `${name}-ns`;
    made.push(ns);
    await vscode.commands.executeCommand('cmp.createCluster');
    const panel = api.services.forms.current;
    assert.ok(panel);
    const creating = panel.handle({ type: 'form/create', input: formInput(name) });
    // The user closes the form while the create runs (handle() has started it and awaits the API):
    // the outcome must still be reported, not thrown at a disposed webview.
    panel.dispose();
    await creating;
    assert.equal(api.services.forms.current, undefined);
    assert.deepEqual(await podNames(ns), ['instance-0', 'instance-1']);
    await eventually('the tree to show the new cluster', async () => (topLevelNamespaces(api).includes(ns) ? true : undefined));
  });

  it('refuses actions on a node left over from an earlier connection, a namespace made again, or a forged node', async () => {
    const name = uniqueName('stale');
    const ns = `${name}-ns`;
    made.push(ns);
    const makeCluster = async () => {
      await kubectl(['create', 'namespace', ns]);
      await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
      await kubectl(['run', 'instance-0', '-n', ns, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`]);
      const uid = await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.uid}']);
      await eventually('the tree to show the namespace and its instance', async () => {
        const node = api.services.tree.clusterNode(ns);
        return node.uid === uid && api.services.tree.getChildren(node).length === 1 ? true : undefined;
      });
      return uid;
    };
    const refused = async (command: string, node: unknown) => {
      const answer = answerPrompts(api, { confirm: true });
      await vscode.commands.executeCommand(command, node).then(answer.restore, answer.restore);
      assert.deepEqual(answer.asked, [], `${command} asked nothing and did nothing`);
    };
    const firstUid = await makeCluster();
    const oldCluster = api.services.tree.clusterNode(ns);
    const oldInstance = api.services.tree.getChildren(oldCluster)[0];
    assert.equal(oldCluster.connection.contextName, (api.services.session.state as { contextName: string }).contextName, 'the node names its context');

    // A reload (Refresh, a context switch, or a kubeconfig edit of this context) makes a new connection.
    api.services.session.reload();
    await eventually('the extension to reconnect', async () => {
      const state = api.services.session.state;
      return state.kind === 'connected' && state.cache.state.kind === 'ready' && state.id !== oldCluster.connection.id ? true : undefined;
    });
    await refused('cmp.deleteCluster', oldCluster);
    await refused('cmp.deleteInstance', oldInstance);
    await refused('cmp.forceFinalize', oldCluster);
    const terminals = vscode.window.terminals.length;
    await refused('cmp.openTerminal', oldInstance);
    await refused('cmp.portForward', oldInstance);
    await refused('cmp.portForward', oldCluster);
    assert.equal(vscode.window.terminals.length, terminals, 'no terminal opened on a stale node');
    assert.deepEqual(api.services.forwards.list(), [], 'no forward started on a stale node');
    assert.equal(await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.uid}/{.status.phase}']), `${firstUid}/Active`);
    assert.equal((await kubectl(['get', 'pod', 'instance-0', '-n', ns, '-o', 'name'])).trim(), 'pod/instance-0');

    // Deleted and made again under the same name: the node of the first one acts on nothing.
    const shown = api.services.tree.clusterNode(ns);
    await kubectl(['delete', 'namespace', ns, '--wait=true', '--timeout=90s']);
    const secondUid = await makeCluster();
    assert.notEqual(secondUid, firstUid);
    await refused('cmp.deleteCluster', shown);
    // A node made up by another extension, with the live uid and connection, is not one the tree showed.
    const state = api.services.session.state;
    assert.ok(state.kind === 'connected');
    await refused('cmp.deleteCluster', { kind: 'cluster', namespace: ns, uid: secondUid, connection: { id: state.id, contextName: state.contextName } });
    assert.equal(await kubectl(['get', 'namespace', ns, '-o', 'jsonpath={.metadata.uid}/{.status.phase}']), `${secondUid}/Active`);

    // The node the tree shows now is acted on (asked, and answered no here).
    const answer = answerPrompts(api, { confirm: false });
    await vscode.commands.executeCommand('cmp.deleteCluster', api.services.tree.clusterNode(ns)).then(answer.restore, answer.restore);
    assert.equal(answer.asked.length, 1);
  });
});
