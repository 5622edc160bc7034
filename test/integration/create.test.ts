// createCluster against the local plane: the namespace, its labels and stored spec, each guard rail
// and each instance exist as the design says and run; taken names are refused before any write.
import * as assert from 'node:assert/strict';
import { parseStoredSpec } from '../../src/core/clusterSpec';
import type { KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { createCluster, CreateClusterError, namespaceAvailability, type CreatePhase } from '../../src/kube/clusterCreator';
import { kubectl } from '../support/testPlane';
import {
  adminClient, allGuardRails, clusterSpec, instanceRange, kubectlFind, kubectlJson, kubectlNamespace, OwnedNamespaces, podsRunning, rejection, testImage,
  type KubeList,
} from './fixtures';

interface QuotaObject extends KubeObject {
  spec: { hard: Record<string, string> };
}

interface LimitRangeObject extends KubeObject {
  spec: { limits: { type: string; max: Record<string, string>; min: Record<string, string>; default: Record<string, string>; defaultRequest: Record<string, string> }[] };
}

interface NetworkPolicyObject extends KubeObject {
  spec: { podSelector: Record<string, unknown>; policyTypes: string[]; ingress: { from: { podSelector?: Record<string, unknown> }[] }[] };
}

interface RoleBindingObject extends KubeObject {
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects: { kind: string; name: string; namespace: string }[];
}

describe('create a cluster', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('with every guard rail: namespace, labels, stored spec, quota, limits, network policy, service account, instances Running', async () => {
    const spec = clusterSpec('full', { cpu: 0.5, memoryGiB: 0.25, count: 3, isolation: allGuardRails(0.5, 0.25, 4), labels: { team: 'qa' } });
    const namespace = owned.add(`${spec.name}-ns`);
    const phases: CreatePhase[] = [];
    const created = await createCluster(client, spec, { concurrency: 4, onProgress: (p) => phases.at(-1) !== p.phase && phases.push(p.phase) });
    assert.deepEqual(phases, ['checking', 'namespace', 'guard-rails', 'instances', 'done']);

    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(created.metadata.uid, ns.metadata.uid, 'createCluster returns the namespace it made');
    const labels = ns.metadata.labels ?? {};
    assert.equal(labels['managed-by'], 'cmp');
    assert.equal(labels['cluster-namespace'], 'true');
    assert.equal(labels.cluster, spec.name);
    assert.equal(labels.team, 'qa', 'user labels are kept');
    assert.deepEqual(parseStoredSpec(ns.metadata.annotations?.[specAnnotation]), { instanceType: 'container', image: testImage, cpu: 0.5, memoryGiB: 0.25, count: 3 });
    assert.deepEqual(JSON.parse(ns.metadata.annotations?.[specAnnotation] ?? '{}'), { instanceType: 'container', image: testImage, cpu: 0.5, memoryGiB: 0.25, count: 3 });
    const managers = await kubectlJson<{ metadata: { managedFields?: { manager: string }[] } }>(['get', 'namespace', namespace, '--show-managed-fields']);
    assert.deepEqual([...new Set(managers.metadata.managedFields?.map((f) => f.manager))].filter((m) => m !== 'kube-apiserver' && m !== 'kube-controller-manager'), ['cmp-clusters'],
      'our writes carry the field manager cmp-clusters');

    const owner = { 'managed-by': 'cmp', cluster: spec.name };
    const quota = await kubectlJson<QuotaObject>(['get', 'resourcequota', 'cluster-quota', '-n', namespace]);
    assert.deepEqual(quota.spec.hard, { 'requests.cpu': '2', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '1Gi' });
    assert.deepEqual(quota.metadata.labels, owner);

    const limits = await kubectlJson<LimitRangeObject>(['get', 'limitrange', 'resource-limits', '-n', namespace]);
    assert.equal(limits.spec.limits.length, 1);
    const [limit] = limits.spec.limits;
    assert.equal(limit?.type, 'Container');
    assert.deepEqual(limit?.max, { cpu: '500m', memory: '256Mi' });
    assert.deepEqual(limit?.min, { cpu: '100m', memory: '128Mi' });
    assert.deepEqual(limit?.default, { cpu: '500m', memory: '256Mi' });
    assert.deepEqual(limit?.defaultRequest, { cpu: '500m', memory: '256Mi' });
    assert.deepEqual(limits.metadata.labels, owner);

    const policy = await kubectlJson<NetworkPolicyObject>(['get', 'networkpolicy', 'deny-from-other-namespaces', '-n', namespace]);
    assert.deepEqual(policy.spec.podSelector, {});
    assert.deepEqual(policy.spec.policyTypes, ['Ingress']);
    assert.deepEqual(policy.spec.ingress, [{ from: [{ podSelector: {} }] }], 'ingress only from pods of the same namespace');
    assert.deepEqual(policy.metadata.labels, owner);

    const account = await kubectlJson<KubeObject>(['get', 'serviceaccount', 'cluster-sa', '-n', namespace]);
    assert.deepEqual(account.metadata.labels, owner);
    const binding = await kubectlJson<RoleBindingObject>(['get', 'rolebinding', 'cluster-admin', '-n', namespace]);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' });
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'cluster-sa', namespace }]);
    const canI = await kubectl(['auth', 'can-i', 'delete', 'pods', '-n', namespace, `--as=system:serviceaccount:${namespace}:cluster-sa`]);
    assert.equal(canI.trim(), 'yes', 'the binding gives cluster-sa admin rights in its namespace');

    const pods = await podsRunning(namespace, instanceRange(3));
    for (const pod of pods) {
      const index = pod.metadata.name.slice('instance-'.length);
      assert.deepEqual(pod.metadata.labels, { ...owner, 'cmp.io/instance-index': index });
      assert.equal(pod.spec.serviceAccountName, 'cluster-sa');
      assert.equal(pod.spec.automountServiceAccountToken, false);
      assert.equal(pod.spec.containers.length, 1);
      assert.equal(pod.spec.containers[0]?.image, testImage);
      assert.deepEqual(pod.spec.containers[0]?.resources, { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
    }
    const used = await kubectlJson<QuotaObject & { status: { used: Record<string, string> } }>(['get', 'resourcequota', 'cluster-quota', '-n', namespace]);
    assert.equal(used.status.used['requests.cpu'], '1500m', 'the quota counts the three instances');
  });

  it('without guard rails: only the namespace and its instances, run as the default account', async () => {
    const spec = clusterSpec('bare', { count: 2 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });

    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(ns.metadata.labels?.['managed-by'], 'cmp');
    assert.equal(ns.metadata.labels?.['cluster-namespace'], 'true');
    assert.equal(ns.metadata.labels?.cluster, spec.name);
    assert.equal(parseStoredSpec(ns.metadata.annotations?.[specAnnotation])?.count, 2);

    for (const kind of ['resourcequotas', 'limitranges', 'networkpolicies', 'rolebindings']) {
      const list = await kubectlJson<KubeList>(['get', kind, '-n', namespace]);
      assert.deepEqual(list.items.map((o) => o.metadata.name), [], `no ${kind} without guard rails`);
    }
    assert.equal(await kubectlFind(['get', 'serviceaccount', 'cluster-sa', '-n', namespace]), undefined);

    const pods = await podsRunning(namespace, instanceRange(2));
    for (const pod of pods) {
      assert.equal(pod.spec.serviceAccountName, 'default');
      assert.deepEqual(pod.spec.containers[0]?.resources, { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } });
    }
  });

  it('refuses a name whose namespace exists without managed-by=cmp, and leaves that namespace untouched', async () => {
    const spec = clusterSpec('foreign');
    const namespace = owned.add(`${spec.name}-ns`);
    const before = await kubectlNamespace(namespace, { owner: 'someone-else' });
    assert.equal(await namespaceAvailability(client, spec.name), 'foreign');

    const error = await rejection(createCluster(client, spec, { concurrency: 2 }), CreateClusterError);
    assert.equal(error.field, 'name');
    assert.equal(error.rolledBack, false);
    assert.equal(error.message, `Namespace ${namespace} already exists and is not managed by CMP; choose another name.`);

    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion, 'the namespace was not written');
    assert.deepEqual(after.metadata.labels, before.metadata.labels);
    assert.equal(after.metadata.annotations?.[specAnnotation], undefined);
    assert.equal(after.metadata.deletionTimestamp, undefined);
    const pods = await kubectlJson<KubeList>(['get', 'pods', '-n', namespace]);
    assert.deepEqual(pods.items, []);
  });

  it('refuses the name of an existing CMP cluster without changing it', async () => {
    const spec = clusterSpec('twice', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });
    const before = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(await namespaceAvailability(client, spec.name), 'cmp-cluster');

    const error = await rejection(createCluster(client, { ...spec, count: 3 }, { concurrency: 2 }), CreateClusterError);
    assert.equal(error.field, 'name');
    assert.equal(error.rolledBack, false);
    assert.equal(error.message, `Cluster "${spec.name}" already exists (namespace ${namespace}).`);
    const after = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    await podsRunning(namespace, instanceRange(1));
  });

  it('reports a free name as free', async () => {
    assert.equal(await namespaceAvailability(client, clusterSpec('free').name), 'free');
  });
});
