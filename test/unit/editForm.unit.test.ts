// The edit form's pure parts: validation with the name and type fixed and a count of 0 allowed, the
// summary shown beside the fields, the "changed on the server" fingerprint, the verbs each reviewed
// write needs, and the protocol's guards and bounds for the edit messages.
import * as assert from 'node:assert/strict';
import { validateEditInput } from '../../src/core/clusterEdit';
import { editSummary, fingerprintChange, guardRailFingerprint, guardRailFingerprints, liveFingerprint, rebaseInput } from '../../src/core/editForm';
import type { KubeObject } from '../../src/core/kubeTypes';
import { guardRailManifests, namespaceManifest } from '../../src/core/manifests';
import { changeChecks, describeCheck } from '../../src/core/permissions';
import { defaultLimits, type ClusterFormInput } from '../../src/core/validation';
import { boundedFormHostMessage, diffLimit, isFormMessage, isHostMessage } from '../../src/protocol/clusterForm';
import { clusterSpec } from './fixtures';

const input: ClusterFormInput = {
  name: 'my-app', instanceType: 'container', image: 'nginx:1.27', cpu: '1', memoryGiB: '1', count: '0',
  resourceQuota: true, quotaCpu: '4', quotaMemoryGiB: '4', limitRange: true, networkPolicy: true, serviceAccount: true, labels: 'team=web',
};

describe('the edit form', () => {
  it('accepts a count of 0, and keeps the live name and type whatever the form sends', () => {
    const { spec, errors } = validateEditInput({ ...input, name: 'Not A Name!', instanceType: 'vm' }, defaultLimits, { name: 'Legacy_Name', instanceType: 'container' }, true);
    assert.deepEqual(errors, {});
    assert.equal(spec?.name, 'Legacy_Name');
    assert.equal(spec?.instanceType, 'container');
    assert.equal(spec?.count, 0);
  });

  it('refuses bad input as Create does', () => {
    const { spec, errors } = validateEditInput({ ...input, count: '-1', cpu: 'lots', labels: 'cluster=other' }, defaultLimits, { name: 'my-app', instanceType: 'container' }, true);
    assert.equal(spec, undefined);
    assert.equal(errors.count, 'The instance count cannot be negative.');
    assert.match(errors.cpu ?? '', /must be a number of cores/);
    assert.equal(errors.labels, '"cluster" is set by CMP and cannot be overridden.');
    assert.match(validateEditInput({ ...input, labels: 'kubernetes.io/metadata.name=x' }, defaultLimits, { name: 'my-app', instanceType: 'container' }, true).errors.labels ?? '', /set by CMP/);
  });

  it('shows the locked labels, the quota in use and instances off the spec', () => {
    const spec = clusterSpec();
    const namespace = namespaceManifest(spec);
    namespace.metadata.labels = { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': 'my-app-ns' };
    const quota = guardRailManifests(spec).find((o) => o.kind === 'ResourceQuota') as KubeObject;
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'instance-0' }, spec: { containers: [{ image: 'busybox', resources: { requests: { cpu: '1500m', memory: '1536Mi' } } }] } };
    const live = { namespace, guardRails: { resourceQuota: quota }, instances: [pod], spec: { instanceType: 'container' as const, image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 1 } };
    const summary = editSummary(live, { 'requests.cpu': '1500m', 'requests.memory': '1536Mi' });
    assert.equal(summary.lockedLabels, 'managed-by=cmp, cluster=my-app, cluster-namespace=true, kubernetes.io/metadata.name=my-app-ns');
    assert.equal(summary.quotaCpuUsed, 'In use now: 1.5 cores requested.');
    assert.equal(summary.quotaMemoryUsed, 'In use now: 1.5 GiB requested.');
    assert.deepEqual(summary.offSpec, ['instance-0: image busybox']);
    assert.equal(editSummary({ ...live, guardRails: {} }, {}).quotaCpuUsed, '', 'no quota, no use shown');
  });

  it('tells which of labels, sizes and instances changed', () => {
    const spec = clusterSpec();
    const live = { namespace: namespaceManifest(spec), guardRails: {}, instances: [], spec: { instanceType: 'container' as const, image: 'nginx:1.27', cpu: 1, memoryGiB: 1, count: 0 } };
    const before = liveFingerprint(live);
    assert.equal(fingerprintChange(before, liveFingerprint(live)), undefined);
    const relabelled = { ...live, namespace: { ...live.namespace, metadata: { ...live.namespace.metadata, labels: { ...live.namespace.metadata.labels, team: 'other' } } } };
    assert.equal(fingerprintChange(before, liveFingerprint({ ...relabelled, spec: { ...live.spec, cpu: 2 } })), 'labels, sizes');
  });

  it('fingerprints a guard rail by what an edit reads, not its metadata or status (a quota\'s use moves with every instance)', () => {
    const quota = guardRailManifests(clusterSpec()).find((o) => o.kind === 'ResourceQuota') as KubeObject & { spec: { hard: Record<string, string> } };
    const before = guardRailFingerprint(quota);
    const used = { ...quota, metadata: { ...quota.metadata, resourceVersion: '99' }, status: { used: { pods: '3' } } };
    assert.equal(guardRailFingerprint(used), before);
    const listed: Partial<KubeObject> = { ...quota };
    delete listed.kind;
    delete listed.apiVersion;
    assert.equal(guardRailFingerprint(listed as KubeObject), before, 'a list\'s item, without kind and apiVersion, is the same object');
    assert.notEqual(guardRailFingerprint({ ...quota, spec: { hard: { ...quota.spec.hard, pods: '5' } } }), before);
    assert.equal(guardRailFingerprint(undefined), 'absent');
    const rails = guardRailFingerprints({ namespace: namespaceManifest(clusterSpec()), guardRails: { resourceQuota: quota }, instances: [], spec: { instanceType: 'container', image: 'nginx:1.27', cpu: 1, memoryGiB: 1, count: 0 } });
    assert.deepEqual(Object.keys(rails), ['resourceQuota', 'limitRange', 'networkPolicy', 'serviceAccount', 'roleBinding']);
    assert.equal(rails.limitRange, 'absent');
  });

  it('asks for the verb each reviewed write needs', () => {
    const checks = changeChecks([
      { action: 'update', resource: 'namespaces', group: '', namespace: 'a-ns', name: 'a-ns' },
      { action: 'create', resource: 'networkpolicies', group: 'networking.k8s.io', namespace: 'a-ns', name: 'cluster-netpol' },
      { action: 'delete', resource: 'limitranges', group: '', namespace: 'a-ns', name: 'cluster-limits' },
    ]);
    assert.deepEqual(checks.map(describeCheck), ['patch namespace a-ns', 'create networkpolicies.networking.k8s.io in namespace a-ns', 'delete limitranges in namespace a-ns']);
  });

  it('guards the edit messages both ways', () => {
    assert.ok(isFormMessage({ type: 'form/review', requestId: 1, input, base: input }));
    assert.ok(isFormMessage({ type: 'form/apply', requestId: 2, input }));
    assert.ok(!isFormMessage({ type: 'form/review', requestId: 1, input }), 'a review carries the values the form was loaded with');
    assert.ok(!isFormMessage({ type: 'form/apply', input }), 'apply carries its request id');
    assert.ok(!isFormMessage({ type: 'form/review', requestId: 1, input: { ...input, count: 3 }, base: input }), 'every field is text');
    const edit = { namespace: 'a-ns', lockedLabels: 'managed-by=cmp', quotaCpuUsed: '', quotaMemoryUsed: '', offSpec: [] };
    assert.ok(isHostMessage({ type: 'host/reviewed', requestId: 1, objects: [{ title: 'update Namespace a-ns', diff: '+a' }], warnings: [] }));
    assert.ok(!isHostMessage({ type: 'host/reviewed', requestId: 1, objects: [{ title: 'x' }], warnings: [] }));
    assert.ok(isHostMessage({ type: 'host/live', input, edit, message: 'm', replace: false }));
    assert.ok(!isHostMessage({ type: 'host/live', input, edit: { ...edit, offSpec: [1] }, message: 'm', replace: false }));
    assert.ok(isHostMessage({ type: 'host/init', defaults: { input, limits: defaultLimits, contextName: 'c', edit } }));
    assert.ok(!isHostMessage({ type: 'host/init', defaults: { input, limits: defaultLimits, contextName: 'c', edit: { ...edit, focus: 'name' } } }));
  });

  it('bounds a review: each diff cut, its lines kept and made inert', () => {
    const bounded = boundedFormHostMessage({ type: 'host/reviewed', requestId: 1, objects: [{ title: 't\u202e', diff: `+a\n-b\u0007\n${'x'.repeat(diffLimit)}` }], warnings: [] });
    assert.ok(bounded.type === 'host/reviewed');
    const diff = bounded.objects[0]?.diff ?? '';
    assert.equal(diff.length, diffLimit);
    assert.ok(diff.startsWith('+a\n-b⟨U+0007⟩\n'));
    assert.equal(bounded.objects[0]?.title, 't⟨U+202E⟩');
  });
});

describe('rebasing the edit form on the live cluster', () => {
  const base: ClusterFormInput = { ...input, count: '2', labels: 'team=web, tier=1' };

  it('an untouched field follows the server; a touched one keeps the user\'s value; labels merge key by key', () => {
    const live = { ...base, quotaMemoryGiB: '8', count: '3', labels: 'team=web, tier=2, owner=bob' };
    const typed = { ...base, count: '5', labels: 'team=api, tier=1' };
    const { input: rebased, kept } = rebaseInput(base, typed, live);
    assert.equal(rebased.count, '5', 'the user changed the count');
    assert.equal(rebased.quotaMemoryGiB, '8');
    assert.equal(rebased.labels, 'team=api, tier=2, owner=bob');
    assert.deepEqual(kept, ['quota memory', 'labels tier, owner']);
  });

  it('a label the user removed stays removed; nothing changed on the server keeps the text as typed', () => {
    assert.equal(rebaseInput(base, { ...base, labels: 'team=web' }, { ...base, labels: 'team=web, tier=1, owner=bob' }).input.labels, 'team=web, owner=bob');
    assert.deepEqual(rebaseInput(base, { ...base, labels: 'team = web' }, base), { input: { ...base, labels: 'team = web' }, kept: [] });
  });
});
