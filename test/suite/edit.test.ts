// Extension-host tests of Edit CMP Cluster against the local control plane: the form opens
// prefilled from the live cluster, Review shows each object's diff from a server-side dry run and
// writes nothing, Apply writes exactly that and scales through the one scale path; bad input and an
// unreviewed Apply write nothing; a conflict keeps the user's input and the other writer's change;
// a change made elsewhere while the form is open (labels, a guard rail) is announced.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { ClusterFormInput } from '../../src/core/validation';
import type { HostMessage } from '../../src/protocol/clusterForm';
import type { ClusterEditPanel } from '../../src/vscode/panels/clusterEditPanel';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { answerPrompts, connectedExtension, topLevelNamespaces } from './extensionHarness';

type Posted<T extends HostMessage['type']> = Extract<HostMessage, { type: T }>;

function only<T extends HostMessage['type']>(posted: HostMessage[], type: T): Posted<T> {
  const found = posted.filter((m): m is Posted<T> => m.type === type);
  assert.equal(found.length, 1, `one ${type} in ${JSON.stringify(posted.map((m) => m.type))}`);
  return found[0] as Posted<T>;
}

/** The namespace's and guard rails' resourceVersions and the instances' uids: any write by the edit changes one (the kubelet's status updates to pods do not count). */
async function objectVersions(namespace: string): Promise<string> {
  const ns = await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.metadata.resourceVersion}']);
  const rails = await kubectl(['get', 'resourcequota,limitrange,networkpolicy,serviceaccount,rolebinding', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion} {end}']);
  const pods = await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name}={.metadata.uid}/{.metadata.deletionTimestamp} {end}']);
  return `${ns} ${rails} ${pods}`;
}

async function podCount(namespace: string): Promise<number> {
  const out = await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={range .items[*]}{.metadata.name}{" "}{.metadata.deletionTimestamp}{"\\n"}{end}']);
  return out.split('\n').filter((line) => line.trim() && line.trim().split(' ').length === 1).length;
}

async function quotaHard(namespace: string): Promise<Record<string, string>> {
  return JSON.parse(await kubectl(['get', 'resourcequota', 'cluster-quota', '-n', namespace, '-o', 'jsonpath={.spec.hard}'])) as Record<string, string>;
}

describe('Edit CMP Cluster in the extension host', () => {
  let api: CmpExtensionApi;
  const made: string[] = [];

  before(async () => {
    api = await connectedExtension();
  });

  after(async () => {
    for (const ns of made) await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  /** A cluster of 2 × 0.5 CPU with a quota of 1 core, made through the create form, and its edit form opened from the tree. */
  async function editedCluster(prefix: string): Promise<{ namespace: string; panel: ClusterEditPanel; init: Posted<'host/init'> }> {
    const name = uniqueName(prefix);
    const namespace = `${name}-ns`;
    made.push(namespace);
    await vscode.commands.executeCommand('cmp.createCluster');
    const form = api.services.forms.current;
    assert.ok(form, 'the create form is open');
    await form.handle({ type: 'form/create', input: { name, instanceType: 'container', image: 'nginx:1.27', cpu: '0.5', memoryGiB: '0.5', count: '2', resourceQuota: true, quotaCpu: '1', quotaMemoryGiB: '1', limitRange: true, networkPolicy: true, serviceAccount: true, labels: 'team=qa' } });
    await eventually('the tree to list the cluster with its instances', async () => (topLevelNamespaces(api).includes(namespace) && api.services.session.state.kind === 'connected' && api.services.session.state.cache.cluster(namespace)?.instances.length === 2 ? true : undefined));
    const panel = await vscode.commands.executeCommand<ClusterEditPanel>('cmp.editCluster', api.services.tree.clusterNode(namespace));
    assert.ok(panel, 'the edit form is open');
    // The real webview loads the live values too: once it has, what changes after is a change since loading.
    await panel.whenReady();
    const { posted } = await panel.handle({ type: 'form/ready' });
    // The real webview's own load may still be posting beside ours: both carry the same live values.
    const init = posted.filter((m): m is Posted<'host/init'> => m.type === 'host/init').at(-1);
    assert.ok(init, 'the form was given the live values');
    return { namespace, panel, init };
  }

  it('opens prefilled from the live cluster, reviews with diffs and writes nothing, then applies exactly that and scales', async () => {
    const { namespace, panel, init } = await editedCluster('edit');
    try {
      const input = init.defaults.input;
      assert.deepEqual({ count: input.count, quotaCpu: input.quotaCpu, labels: input.labels, cpu: input.cpu }, { count: '2', quotaCpu: '1', labels: 'team=qa', cpu: '0.5' });
      assert.equal(init.defaults.limits.minInstances, 0);
      const edit = init.defaults.edit;
      assert.ok(edit);
      assert.match(edit.lockedLabels, /managed-by=cmp/);
      assert.equal(edit.quotaCpuUsed, 'In use now: 1 cores requested.');

      const before = await objectVersions(namespace);
      const wanted: ClusterFormInput = { ...input, count: '3', quotaCpu: '2', quotaMemoryGiB: '2', labels: 'team=qa, env=dev', networkPolicy: false };
      const reviewed = only((await panel.handle({ type: 'form/review', requestId: 1, input: wanted, base: input })).posted, 'host/reviewed');
      assert.deepEqual(reviewed.objects.map((o) => o.title).sort(), ['delete NetworkPolicy deny-from-other-namespaces', `update Namespace ${namespace}`, 'update ResourceQuota cluster-quota'], JSON.stringify(reviewed));
      assert.match(reviewed.objects.find((o) => o.title.includes('ResourceQuota'))?.diff ?? '', /^\+\s+requests\.cpu: '2'$/m);
      assert.match(reviewed.objects.find((o) => o.title.includes('Namespace'))?.diff ?? '', /^\+\s+env: dev$/m);
      assert.match(reviewed.count ?? '', /^Instances: 2 → 3/);
      assert.equal(reviewed.missing, undefined, 'the admin may make every change');
      assert.equal(await objectVersions(namespace), before, 'the review wrote nothing');

      const applied = only((await panel.handle({ type: 'form/apply', requestId: 2, input: wanted })).posted, 'host/applied');
      assert.match(applied.message, /3 objects changed; scaled from 2 to 3/);
      assert.equal((await quotaHard(namespace))['requests.cpu'], '2');
      assert.equal(await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.metadata.labels.env}']), 'dev');
      assert.equal(await kubectl(['get', 'networkpolicy', '-n', namespace, '--ignore-not-found', '-o', 'name']), '');
      assert.equal(await podCount(namespace), 3);
    } finally {
      panel.dispose();
    }
  });

  it('writes nothing for bad input, an unreviewed Apply, or an Apply of other values than reviewed', async () => {
    const { namespace, panel, init } = await editedCluster('edit-bad');
    try {
      const before = await objectVersions(namespace);
      const input = init.defaults.input;
      const bad = only((await panel.handle({ type: 'form/review', requestId: 1, input: { ...input, count: '-1', quotaCpu: 'x', labels: 'managed-by=me' }, base: input })).posted, 'host/reviewed');
      assert.deepEqual(bad.objects, []);
      assert.deepEqual(Object.keys(bad.errors ?? {}).sort(), ['count', 'labels', 'quotaCpu']);
      const refused = await panel.handle({ type: 'form/apply', requestId: 2, input: { ...input, count: 7 } });
      assert.match(refused.refused ?? '', /form\/apply/, 'a malformed message is refused by the guard');
      const unreviewed = only((await panel.handle({ type: 'form/apply', requestId: 3, input: { ...input, count: '0' } })).posted, 'host/failed');
      assert.match(unreviewed.message, /review the changes again/);
      await panel.handle({ type: 'form/review', requestId: 4, input: { ...input, quotaCpu: '3' }, base: input });
      const other = only((await panel.handle({ type: 'form/apply', requestId: 5, input: { ...input, quotaCpu: '30' } })).posted, 'host/failed');
      assert.match(other.message, /review the changes again/);
      assert.equal(await objectVersions(namespace), before, 'nothing was written');
    } finally {
      panel.dispose();
    }
  });

  it('keeps what someone else changed while the form was open, in the fields the user did not touch', async () => {
    const { namespace, panel, init } = await editedCluster('edit-rebase');
    try {
      const base = init.defaults.input;
      await kubectl(['label', 'namespace', namespace, 'owner=bob']);
      await kubectl(['patch', 'resourcequota', 'cluster-quota', '-n', namespace, '--type=merge', '-p', '{"spec":{"hard":{"requests.memory":"3Gi","limits.memory":"3Gi"}}}']);
      const reviewed = only((await panel.handle({ type: 'form/review', requestId: 1, input: { ...base, quotaCpu: '2', labels: 'team=qa, env=dev' }, base })).posted, 'host/reviewed');
      assert.equal(reviewed.input?.labels, 'owner=bob, team=qa, env=dev', 'the user\'s label over the live ones');
      assert.equal(reviewed.input?.quotaMemoryGiB, '3', 'the untouched quota memory follows the server');
      assert.match(reviewed.warnings.join(' '), /kept as the server has it: quota memory; labels owner/);
      assert.ok(reviewed.input);
      const applied = only((await panel.handle({ type: 'form/apply', requestId: 2, input: reviewed.input })).posted, 'host/applied');
      assert.match(applied.message, /2 objects changed/);
      assert.equal(await kubectl(['get', 'namespace', namespace, '-o', 'jsonpath={.metadata.labels.owner}']), 'bob');
      assert.deepEqual(await quotaHard(namespace), { 'limits.cpu': '2', 'limits.memory': '3Gi', 'requests.cpu': '2', 'requests.memory': '3Gi' });
    } finally {
      panel.dispose();
    }
  });

  it('marks instances off the stored spec, and Replace Instances makes them again after a confirmation (declined: nothing changes)', async () => {
    const { namespace, panel, init } = await editedCluster('edit-replace');
    try {
      const base = init.defaults.input;
      const wanted = { ...base, image: 'nginx:1.28' };
      const reviewed = only((await panel.handle({ type: 'form/review', requestId: 1, input: wanted, base })).posted, 'host/reviewed');
      const live = only((await panel.handle({ type: 'form/apply', requestId: 2, input: reviewed.input ?? wanted })).posted, 'host/live');
      assert.deepEqual(live.edit.offSpec, ['instance-0: image nginx:1.27', 'instance-1: image nginx:1.27']);
      const uids = await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.uid}']);

      const declined = answerPrompts(api, { confirm: false });
      const answer = only((await panel.handle({ type: 'form/replace', requestId: 3, atOnce: '1' }).finally(declined.restore)).posted, 'host/applied');
      assert.match(answer.message, /nothing was changed/);
      assert.match(declined.asked.join(' '), /at least 1 of 2 keep running/);
      assert.equal(await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={.items[*].metadata.uid}']), uids, 'declined: no instance was touched');
      const bad = only((await panel.handle({ type: 'form/replace', requestId: 4, atOnce: '0' })).posted, 'host/failed');
      assert.match(bad.message, /How many at once/);

      const accepted = answerPrompts(api, { confirm: true });
      const done = await panel.handle({ type: 'form/replace', requestId: 5, atOnce: '1' }).finally(accepted.restore);
      assert.match(only(done.posted, 'host/applied').message, /Replaced 2 instances/);
      assert.deepEqual(only(done.posted, 'host/live').edit.offSpec, [], 'every instance on the spec now');
      assert.equal(await kubectl(['get', 'pods', '-n', namespace, '-o', 'jsonpath={.items[*].spec.containers[0].image}']), 'nginx:1.28 nginx:1.28');
    } finally {
      panel.dispose();
    }
  });

  it('a conflict keeps the other writer\'s change and says so; a change made elsewhere is announced while the form is open', async () => {
    const { namespace, panel, init } = await editedCluster('edit-conflict');
    const recording = panel.record();
    try {
      const input = { ...init.defaults.input, quotaCpu: '3' };
      await panel.handle({ type: 'form/review', requestId: 1, input, base: init.defaults.input });
      await kubectl(['patch', 'resourcequota', 'cluster-quota', '-n', namespace, '--type=merge', '-p', '{"spec":{"hard":{"requests.cpu":"5","limits.cpu":"5"}}}']);
      const live = only((await panel.handle({ type: 'form/apply', requestId: 2, input })).posted, 'host/live');
      assert.equal(live.replace, false, 'the user\'s input is kept');
      assert.match(live.message, /ResourceQuota cluster-quota changed on the server since the review/);
      assert.equal(live.input.quotaCpu, '5', 'the form learns the live value');
      assert.equal((await quotaHard(namespace))['requests.cpu'], '5');

      // From the reload after the conflict on, each change made elsewhere is announced exactly once.
      const notices = panel.record();
      try {
        const shown = () => notices.posted.filter((m): m is Posted<'host/serverChanged'> => m.type === 'host/serverChanged').map((m) => m.message);
        const announced = (count: number) => eventually(`${count} notice(s)`, async () => (shown().length >= count ? shown() : undefined), 30_000);
        await kubectl(['label', 'namespace', namespace, 'owner=someone-else']);
        assert.deepEqual(await announced(1), ['Changed on the server since the form was loaded (labels). Review shows the changes against the objects as they are now.']);
        // The tree's cache does not hold guard rails: the form's own watches see them.
        await kubectl(['patch', 'limitrange', 'resource-limits', '-n', namespace, '--type=json', '-p', '[{"op":"replace","path":"/spec/limits/0/max/cpu","value":"2"}]']);
        const both = await announced(2);
        assert.match(both[1] ?? '', /^Changed on the server since the form was loaded \(LimitRange resource-limits\)\./);
        assert.equal(both.length, 2, `no other notice: ${JSON.stringify(both)}`);
      } finally {
        notices.stop();
      }
    } finally {
      recording.stop();
      panel.dispose();
    }
  });
});
