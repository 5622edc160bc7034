// Editing a live cluster against the local plane: a review dry-runs each change and diffs the live
// object against the server's answer (writing nothing), apply writes exactly those changes, a change
// made by someone else between review and apply is a conflict that leaves their change, and a
// guard rail without managed-by=cmp is refused before any write.
import * as assert from 'node:assert/strict';
import { editFormInput, validateEditInput } from '../../src/core/clusterEdit';
import type { KubeObject } from '../../src/core/kubeTypes';
import { defaultLimits } from '../../src/core/validation';
import { applyEdit, EditConflictError, EditError, readLiveCluster, reviewEdit } from '../../src/kube/clusterEditor';
import { createCluster } from '../../src/kube/clusterCreator';
import { kubectl } from '../support/testPlane';
import { adminClient, allGuardRails, clusterSpec, kubectlFind, kubectlJson, OwnedNamespaces, rejection } from './fixtures';

interface QuotaObject extends KubeObject {
  spec: { hard: Record<string, string> };
  status?: { hard?: Record<string, string> };
}

const quotaOf = (namespace: string) => kubectlJson<QuotaObject>(['get', 'resourcequota', 'cluster-quota', '-n', namespace]);

describe('edit a cluster', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  async function newCluster(prefix: string) {
    const spec = clusterSpec(prefix, { cpu: 0.5, memoryGiB: 0.5, count: 2, isolation: allGuardRails(0.5, 0.5, 4), labels: { team: 'qa' } });
    const namespace = owned.add(`${spec.name}-ns`);
    const created = await createCluster(client, spec, { concurrency: 4 });
    return { namespace, uid: created.metadata.uid };
  }

  function edited(live: Awaited<ReturnType<typeof readLiveCluster>>, change: (i: ReturnType<typeof editFormInput>) => ReturnType<typeof editFormInput>) {
    const { spec, errors } = validateEditInput(change(editFormInput(live)), defaultLimits, { name: editFormInput(live).name, instanceType: live.spec.instanceType }, editFormInput(live).resourceQuota);
    assert.ok(spec, JSON.stringify(errors));
    return spec;
  }

  it('reviews a quota, label and network-policy change with server dry runs, writes nothing, then applies exactly them', async () => {
    const { namespace, uid } = await newCluster('edit');
    const live = await readLiveCluster(client, namespace, uid);
    assert.equal(editFormInput(live).count, '2');
    const spec = edited(live, (i) => ({ ...i, quotaCpu: '3', labels: 'team=qa, env=dev', networkPolicy: false }));
    const review = await reviewEdit(client, live, spec);
    assert.deepEqual(review.changes.map((c) => `${c.change.action} ${c.change.kind}`).sort(), ['delete NetworkPolicy', 'update Namespace', 'update ResourceQuota']);
    const quotaDiff = review.changes.find((c) => c.change.kind === 'ResourceQuota')?.diff ?? '';
    assert.match(quotaDiff, /^-\s+limits\.cpu: '2'$/m);
    assert.match(quotaDiff, /^\+\s+limits\.cpu: '3'$/m);
    assert.equal((await quotaOf(namespace)).spec.hard['requests.cpu'], '2', 'the review wrote nothing');
    assert.ok(await kubectlFind(['get', 'networkpolicy', 'deny-from-other-namespaces', '-n', namespace]), 'the dry-run delete deleted nothing');

    await applyEdit(client, live, review.changes.map((c) => c.change), { concurrency: 4 });
    assert.deepEqual((await quotaOf(namespace)).spec.hard, { 'requests.cpu': '3', 'requests.memory': '2Gi', 'limits.cpu': '3', 'limits.memory': '2Gi' });
    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(ns.metadata.labels?.env, 'dev');
    assert.equal(ns.metadata.labels?.['managed-by'], 'cmp');
    assert.equal(await kubectlFind(['get', 'networkpolicy', 'deny-from-other-namespaces', '-n', namespace]), undefined);
    const again = await readLiveCluster(client, namespace, uid);
    assert.deepEqual((await reviewEdit(client, again, edited(again, (i) => i))).changes, [], 'after the apply the live cluster is the form');
  });

  it('an emptied quota field lifts that limit on the server, and the quota is in force after the apply', async () => {
    const { namespace, uid } = await newCluster('edit-unlimited');
    const live = await readLiveCluster(client, namespace, uid);
    const review = await reviewEdit(client, live, edited(live, (i) => ({ ...i, quotaCpu: '' })));
    assert.match(review.changes.find((c) => c.change.kind === 'ResourceQuota')?.diff ?? '', /^-\s+requests\.cpu: '2'$/m);
    await applyEdit(client, live, review.changes.map((c) => c.change), { concurrency: 4 });
    const quota = await quotaOf(namespace);
    assert.deepEqual(quota.spec.hard, { 'requests.memory': '2Gi', 'limits.memory': '2Gi' });
    assert.deepEqual(quota.status?.hard, quota.spec.hard, 'applyEdit returned once the quota controller had put it in force');
    const again = await readLiveCluster(client, namespace, uid);
    assert.equal(editFormInput(again).quotaCpu, '', 'the form shows no CPU limit');
    assert.deepEqual((await reviewEdit(client, again, edited(again, (i) => i))).changes, [], 'and an unchanged form keeps it so');
  });

  it('a change by someone else between review and apply is a conflict, and their change stays', async () => {
    const { namespace, uid } = await newCluster('edit-conflict');
    const live = await readLiveCluster(client, namespace, uid);
    const review = await reviewEdit(client, live, edited(live, (i) => ({ ...i, quotaCpu: '3' })));
    await kubectl(['patch', 'resourcequota', 'cluster-quota', '-n', namespace, '--type=merge', '-p', '{"spec":{"hard":{"requests.cpu":"5","limits.cpu":"5"}}}']);
    const error = await rejection(applyEdit(client, live, review.changes.map((c) => c.change), { concurrency: 4 }), EditConflictError);
    assert.match(error.message, /ResourceQuota cluster-quota changed on the server/);
    assert.equal((await quotaOf(namespace)).spec.hard['requests.cpu'], '5');
  });

  it('warns when the quota goes below usage, and refuses a guard rail CMP does not own before any write', async () => {
    const { namespace, uid } = await newCluster('edit-foreign');
    const live = await readLiveCluster(client, namespace, uid);
    const below = await reviewEdit(client, live, edited(live, (i) => ({ ...i, count: '1', quotaCpu: '0.5' })));
    assert.deepEqual(below.warnings, ["The quota's requests.cpu 0.5 cores is below the 1 cores in use: no new instance can start until use falls below it."]);
    await kubectl(['label', 'resourcequota', 'cluster-quota', '-n', namespace, 'managed-by-']);
    const relabelled = await readLiveCluster(client, namespace, uid);
    const error = await rejection(reviewEdit(client, relabelled, edited(relabelled, (i) => ({ ...i, quotaCpu: '3' }))), EditError);
    assert.match(error.message, /ResourceQuota cluster-quota in .* is not labelled managed-by=cmp; CMP will not change it/);
    assert.equal((await quotaOf(namespace)).spec.hard['requests.cpu'], '2');
  });
});
