// Editing a live cluster, as pure logic: the form prefilled from live objects, each kind of change
// as a create, a guarded merge patch or a guarded delete, no change where nothing differs (server
// quantities included), foreign guard rails named, quota below usage warned, off-spec instances marked.
import * as assert from 'node:assert/strict';
import { editChanges, editFormInput, editNotes, validateEditInput, foreignObjects, offSpecInstances, quotaBelowUsage, type LiveCluster } from '../../src/core/clusterEdit';
import type { KubeObject } from '../../src/core/kubeTypes';
import { guardRailManifests, instanceManifest, namespaceManifest } from '../../src/core/manifests';
import { defaultLimits } from '../../src/core/validation';
import { clusterSpec } from './fixtures';

/** The live objects a create of clusterSpec() leaves, each with a resourceVersion, as the API returns them. */
function liveCluster(): LiveCluster {
  const spec = clusterSpec();
  const versioned = (o: KubeObject, rv: string): KubeObject => ({ ...o, metadata: { ...o.metadata, uid: `uid-${rv}`, resourceVersion: rv } });
  const rails = guardRailManifests(spec);
  const byKind = (kind: string) => rails.find((o) => o.kind === kind);
  const namespace = versioned(namespaceManifest(spec), '10');
  namespace.metadata.labels = { ...namespace.metadata.labels, 'kubernetes.io/metadata.name': 'my-app-ns' };
  const ctx = { namespace: 'my-app-ns', cluster: 'my-app', spec: { ...spec, count: 3 }, serviceAccount: true };
  return {
    namespace,
    guardRails: {
      resourceQuota: versioned(byKind('ResourceQuota') as KubeObject, '11'),
      limitRange: versioned(byKind('LimitRange') as KubeObject, '12'),
      networkPolicy: versioned(byKind('NetworkPolicy') as KubeObject, '13'),
      serviceAccount: versioned(byKind('ServiceAccount') as KubeObject, '14'),
      roleBinding: versioned(byKind('RoleBinding') as KubeObject, '15'),
    },
    instances: [0, 1, 2].map((i) => versioned(instanceManifest(ctx, i), `2${i}`)),
    spec: { instanceType: 'container', image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 3 },
  };
}

function editedSpec(live: LiveCluster, change: (input: ReturnType<typeof editFormInput>) => ReturnType<typeof editFormInput>) {
  const { spec, errors } = validateEditInput(change(editFormInput(live)), defaultLimits, { name: editFormInput(live).name, instanceType: live.spec.instanceType }, editFormInput(live).resourceQuota);
  assert.ok(spec, JSON.stringify(errors));
  return spec;
}

describe('editing a cluster', () => {
  it('prefills the form from the live objects, locked labels left out', () => {
    assert.deepEqual(editFormInput(liveCluster()), {
      name: 'my-app', instanceType: 'container', image: 'nginx:1.27', cpu: '1.5', memoryGiB: '1.5', count: '3',
      resourceQuota: true, quotaCpu: '4.5', quotaMemoryGiB: '4.5', limitRange: true, networkPolicy: true, serviceAccount: true, labels: 'team=web',
    });
  });

  it('an unchanged form changes nothing', () => {
    const live = liveCluster();
    assert.deepEqual(editChanges(live, editedSpec(live, (i) => i)), []);
  });

  it('a quantity the server wrote in another form ("4500m" for 4.5, "4608Mi" for 4.5Gi) is no change', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { 'requests.cpu': '4500m', 'requests.memory': '4608Mi', 'limits.cpu': '4.5', 'limits.memory': '4.5Gi' };
    assert.deepEqual(editChanges(live, editedSpec(live, (i) => i)), []);
  });

  it('a new quota is a merge patch of only the changed hard limits, guarded by the live resourceVersion', () => {
    const live = liveCluster();
    const changes = editChanges(live, editedSpec(live, (i) => ({ ...i, quotaCpu: '9' })));
    assert.deepEqual(changes, [{
      action: 'update', kind: 'ResourceQuota', name: 'cluster-quota', live: live.guardRails.resourceQuota,
      patch: { spec: { hard: { 'requests.cpu': '9', 'limits.cpu': '9' } }, metadata: { resourceVersion: '11' } },
    }]);
  });

  it('a quota another tool made without CPU or memory limits stays so: an unchanged form validates and writes nothing', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { pods: '10' };
    assert.deepEqual({ cpu: editFormInput(live).quotaCpu, memory: editFormInput(live).quotaMemoryGiB }, { cpu: '', memory: '' });
    assert.deepEqual(editChanges(live, editedSpec(live, (i) => i)), []);
    const limited = editChanges(live, editedSpec(live, (i) => ({ ...i, quotaCpu: '6' })));
    assert.deepEqual(limited.map((c) => (c.action === 'update' ? c.patch : c.action)), [{ spec: { hard: { 'requests.cpu': '6', 'limits.cpu': '6' } }, metadata: { resourceVersion: '11' } }]);
  });

  it('a quota turned on in the edit form needs both limits, as in Create', () => {
    const live = liveCluster();
    delete live.guardRails.resourceQuota;
    const input = { ...editFormInput(live), resourceQuota: true };
    assert.deepEqual(input.quotaCpu, '');
    const { errors } = validateEditInput(input, defaultLimits, { name: 'my-app', instanceType: 'container' }, false);
    assert.equal(errors.quotaCpu, 'Enter the quota CPU.');
    assert.equal(errors.quotaMemoryGiB, 'Enter the quota memory.');
  });

  it('a new value also replaces the short key ("cpu") that limits the same resource', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { cpu: '4', 'requests.memory': '4.5Gi' };
    const changes = editChanges(live, editedSpec(live, (i) => ({ ...i, quotaCpu: '8' })));
    assert.deepEqual(changes.map((c) => (c.action === 'update' ? c.patch : c.action)), [{ spec: { hard: { 'requests.cpu': '8', 'limits.cpu': '8', cpu: '8' } }, metadata: { resourceVersion: '11' } }]);
  });

  it('an emptied quota field removes every key that limits that resource; the others stay', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { ...quota.spec.hard, cpu: '4.5', pods: '10' };
    const changes = editChanges(live, editedSpec(live, (i) => ({ ...i, quotaCpu: '' })));
    assert.deepEqual(changes.map((c) => (c.action === 'update' ? c.patch : c.action)), [{ spec: { hard: { 'requests.cpu': null, 'limits.cpu': null, cpu: null } }, metadata: { resourceVersion: '11' } }]);
  });

  it('labels: a removed one is set to null, a new one added, locked ones untouched; the namespace patch is guarded', () => {
    const live = liveCluster();
    const [change] = editChanges(live, editedSpec(live, (i) => ({ ...i, labels: 'env=dev' })));
    assert.deepEqual(change && change.action === 'update' && change.patch, { metadata: { labels: { team: null, env: 'dev' }, resourceVersion: '10' } });
  });

  it('new sizes rewrite the stored spec (count kept for the scale) and the LimitRange', () => {
    const live = liveCluster();
    const changes = editChanges(live, editedSpec(live, (i) => ({ ...i, cpu: '1', image: 'nginx:1.28', count: '2' })));
    assert.deepEqual(changes.map((c) => `${c.action} ${c.kind}`), ['update Namespace', 'update LimitRange']);
    const ns = changes[0];
    assert.ok(ns?.action === 'update');
    const annotations = (ns.patch.metadata as { annotations: Record<string, string> }).annotations;
    assert.deepEqual(JSON.parse(annotations['cmp.io/cluster-spec'] ?? ''), { instanceType: 'container', image: 'nginx:1.28', cpu: 1, memoryGiB: 1.5, count: 3 });
    const limits = changes[1];
    assert.ok(limits?.action === 'update');
    assert.equal((limits.patch.spec as { limits: { max: { cpu: string } }[] }).limits[0]?.max.cpu, '1');
  });

  it('turning guard rails off deletes them, on creates them in the namespace read', () => {
    const live = liveCluster();
    const off = editChanges(live, editedSpec(live, (i) => ({ ...i, networkPolicy: false, serviceAccount: false })));
    assert.deepEqual(off.map((c) => `${c.action} ${c.kind} ${c.name}`), ['delete NetworkPolicy deny-from-other-namespaces', 'delete ServiceAccount cluster-sa', 'delete RoleBinding cluster-admin']);
    delete live.guardRails.networkPolicy;
    live.namespace.metadata.name = 'renamed-ns';
    const on = editChanges(live, editedSpec(live, (i) => ({ ...i, networkPolicy: true })));
    assert.deepEqual(on.map((c) => `${c.action} ${c.kind}`), ['create NetworkPolicy', 'update RoleBinding'], 'the binding follows the namespace read, not the one the name derives');
    assert.ok(on[0]?.action === 'create');
    assert.equal(on[0].manifest.metadata.namespace, 'renamed-ns');
    assert.ok(on[1]?.action === 'update');
    assert.deepEqual(on[1].patch.subjects, [
      { kind: 'ServiceAccount', name: 'cluster-sa', namespace: 'my-app-ns' },
      { kind: 'ServiceAccount', name: 'cluster-sa', namespace: 'renamed-ns' },
    ], 'the subject CMP needs is added; the ones there stay');
  });

  it('prefills exact values, so an unchanged form of odd sizes validates and changes nothing', () => {
    const live = liveCluster();
    live.spec = { ...live.spec, memoryGiB: 1000 / 1024 };
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { ...quota.spec.hard, 'requests.memory': '3000Mi', 'limits.memory': '3000Mi' };
    live.namespace.metadata.annotations = { 'cmp.io/cluster-spec': JSON.stringify(live.spec) };
    const input = editFormInput(live);
    assert.equal(input.memoryGiB, '0.9765625');
    assert.deepEqual(editChanges(live, editedSpec(live, (i) => i)).filter((c) => c.kind === 'ResourceQuota' || c.kind === 'Namespace'), [], 'the quota and the stored spec stay as they are');
  });

  it('keeps what others added to the guard rails: quota keys and limits.*, LimitRange entries, egress, subjects; never patches a roleRef', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject & { spec: { hard: Record<string, string> } };
    quota.spec.hard = { ...quota.spec.hard, 'limits.cpu': '9', pods: '10' };
    const limitRange = live.guardRails.limitRange as KubeObject & { spec: { limits: Record<string, unknown>[] } };
    limitRange.spec.limits = [...limitRange.spec.limits, { type: 'PersistentVolumeClaim', max: { storage: '5Gi' } }];
    const policy = live.guardRails.networkPolicy as KubeObject & { spec: Record<string, unknown> };
    policy.spec = { ...policy.spec, policyTypes: ['Ingress', 'Egress'], egress: [{ to: [{ podSelector: {} }] }] };
    const binding = live.guardRails.roleBinding as KubeObject & { roleRef: Record<string, string>; subjects: Record<string, string>[] };
    binding.roleRef = { ...binding.roleRef, name: 'edit' };
    binding.subjects = [...binding.subjects, { kind: 'User', name: 'alice' }];
    const unchanged = editedSpec(live, (i) => i);
    assert.deepEqual(editChanges(live, unchanged), [], 'an unchanged form writes none of it back');
    assert.deepEqual(editNotes(live, unchanged), ['RoleBinding cluster-admin binds ClusterRole edit, not ClusterRole admin; its role cannot be changed in place, so the edit leaves it as it is.']);
    const sized = editChanges(live, editedSpec(live, (i) => ({ ...i, cpu: '1', quotaCpu: '6' })));
    const patchOf = (kind: string) => { const c = sized.find((x) => x.kind === kind); assert.ok(c?.action === 'update'); return c.patch; };
    assert.deepEqual(patchOf('ResourceQuota').spec, { hard: { 'requests.cpu': '6', 'limits.cpu': '6' } }, 'pods stays (a merge patch of the map)');
    const limits = (patchOf('LimitRange').spec as { limits: Record<string, unknown>[] }).limits;
    assert.deepEqual(limits.map((l) => l.type), ['Container', 'PersistentVolumeClaim']);
  });

  it('a ServiceAccount without its RoleBinding (or the other way) is on: an unchanged form completes the pair, never deletes the half', () => {
    const live = liveCluster();
    delete live.guardRails.roleBinding;
    assert.equal(editFormInput(live).serviceAccount, true);
    assert.deepEqual(editChanges(live, editedSpec(live, (i) => i)).map((c) => `${c.action} ${c.kind}`), ['create RoleBinding']);
  });

  it('names guard rails without managed-by=cmp that a change would touch', () => {
    const live = liveCluster();
    const quota = live.guardRails.resourceQuota as KubeObject;
    quota.metadata.labels = {};
    assert.deepEqual(foreignObjects(editChanges(live, editedSpec(live, (i) => ({ ...i, quotaCpu: '9' })))), ['ResourceQuota cluster-quota']);
  });

  it('warns when the quota is set below what is in use', () => {
    const live = liveCluster();
    const spec = editedSpec(live, (i) => ({ ...i, count: '1', quotaCpu: '2' }));
    assert.deepEqual(quotaBelowUsage(spec, { 'requests.cpu': '4500m', 'requests.memory': '1Gi' }), [
      "The quota's requests.cpu 2 cores is below the 4.5 cores in use: no new instance can start until use falls below it.",
    ]);
    assert.deepEqual(quotaBelowUsage(spec, { 'requests.cpu': '1500m' }), []);
  });

  it('marks instances made with another image or size than the stored spec', () => {
    const live = liveCluster();
    const pod = live.instances[1] as KubeObject & { spec: { containers: { image: string; resources: { requests: Record<string, string> } }[] } };
    pod.spec.containers[0] = { image: 'nginx:1.26', resources: { requests: { cpu: '1', memory: '1536Mi' } } };
    assert.deepEqual(offSpecInstances(live), [{ name: 'instance-1', differs: 'image nginx:1.26, 1 CPU' }]);
  });
});
