// The exact objects a cluster is made of: namespace labels and stored spec, each guard rail on its
// own switch, Pod and VirtualMachine shapes with Kubernetes quantities, and the order of writes.
import * as assert from 'node:assert/strict';
import type { Isolation } from '../../src/core/clusterSpec';
import { clusterManifests, guardRailManifests, instanceManifest, namespaceManifest } from '../../src/core/manifests';
import { clusterSpec } from './fixtures';

const owned = { 'managed-by': 'cmp', cluster: 'my-app' };
const noGuardRails: Isolation = { resourceQuota: false, quotaCpu: 0, quotaMemoryGiB: 0, limitRange: false, networkPolicy: false, serviceAccount: false };
const meta = (name: string) => ({ name, namespace: 'my-app-ns', labels: owned });

describe('manifests', () => {
  describe('namespaceManifest', () => {
    it('labels the namespace and stores the spec on it', () => {
      assert.deepEqual(namespaceManifest(clusterSpec()), {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: 'my-app-ns',
          labels: { team: 'web', 'managed-by': 'cmp', cluster: 'my-app', 'cluster-namespace': 'true' },
          annotations: { 'cmp.io/cluster-spec': '{"instanceType":"container","image":"nginx:1.27","cpu":1.5,"memoryGiB":1.5,"count":3}' },
        },
      });
    });

    it('never lets user labels replace the ones CMP owns', () => {
      const labels = { 'managed-by': 'someone', cluster: 'other', 'cluster-namespace': 'false' };
      assert.deepEqual(namespaceManifest(clusterSpec({ labels })).metadata.labels, { ...owned, 'cluster-namespace': 'true' });
    });
  });

  describe('guardRailManifests', () => {
    it('writes all five with the sizes as quantities', () => {
      assert.deepEqual(guardRailManifests(clusterSpec()), [
        {
          apiVersion: 'v1',
          kind: 'ResourceQuota',
          metadata: meta('cluster-quota'),
          spec: { hard: { 'requests.cpu': '4500m', 'requests.memory': '4608Mi', 'limits.cpu': '4500m', 'limits.memory': '4608Mi' } },
        },
        {
          apiVersion: 'v1',
          kind: 'LimitRange',
          metadata: meta('resource-limits'),
          spec: {
            limits: [{
              type: 'Container',
              max: { cpu: '1500m', memory: '1536Mi' },
              min: { cpu: '100m', memory: '128Mi' },
              default: { cpu: '1500m', memory: '1536Mi' },
              defaultRequest: { cpu: '1500m', memory: '1536Mi' },
            }],
          },
        },
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: meta('deny-from-other-namespaces'),
          spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
        },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('cluster-sa') },
        {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: meta('cluster-admin'),
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'cluster-sa', namespace: 'my-app-ns' }],
        },
      ]);
    });

    const alone: [keyof Isolation, string[]][] = [
      ['resourceQuota', ['ResourceQuota']],
      ['limitRange', ['LimitRange']],
      ['networkPolicy', ['NetworkPolicy']],
      ['serviceAccount', ['ServiceAccount', 'RoleBinding']],
    ];
    for (const [rail, kinds] of alone) {
      it(`writes only ${kinds.join(' and ')} when only ${rail} is on`, () => {
        const spec = clusterSpec({ isolation: { ...noGuardRails, quotaCpu: 6, quotaMemoryGiB: 12, [rail]: true } });
        assert.deepEqual(guardRailManifests(spec).map((o) => o.kind), kinds);
      });
    }

    it('writes nothing when every guard rail is off', () => {
      assert.deepEqual(guardRailManifests(clusterSpec({ isolation: noGuardRails })), []);
    });

    it('writes whole sizes plainly and keeps the minimum below tiny instances', () => {
      const [quota, limits] = guardRailManifests(clusterSpec({ cpu: 0.05, memoryGiB: 0.125, isolation: { ...noGuardRails, resourceQuota: true, quotaCpu: 2, quotaMemoryGiB: 4, limitRange: true } }));
      assert.deepEqual(quota?.spec, { hard: { 'requests.cpu': '2', 'requests.memory': '4Gi', 'limits.cpu': '2', 'limits.memory': '4Gi' } });
      assert.deepEqual(limits?.spec, {
        limits: [{ type: 'Container', max: { cpu: '50m', memory: '128Mi' }, min: { cpu: '50m', memory: '128Mi' }, default: { cpu: '50m', memory: '128Mi' }, defaultRequest: { cpu: '50m', memory: '128Mi' } }],
      });
    });
  });

  describe('instanceManifest', () => {
    const container = { instanceType: 'container' as const, image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 3 };
    const labels = { ...owned, 'cmp.io/instance-index': '2' };

    it('makes a Pod running as the cluster service account', () => {
      assert.deepEqual(instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec: container, serviceAccount: true }, 2), {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'instance-2', namespace: 'my-app-ns', labels },
        spec: {
          serviceAccountName: 'cluster-sa',
          automountServiceAccountToken: false,
          restartPolicy: 'Always',
          containers: [{
            name: 'instance',
            image: 'nginx:1.27',
            resources: { requests: { cpu: '1500m', memory: '1536Mi' }, limits: { cpu: '1500m', memory: '1536Mi' } },
          }],
        },
      });
    });

    it('names no service account when the cluster has none', () => {
      const pod = instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec: container, serviceAccount: false }, 0);
      assert.equal(Object.hasOwn(pod.spec as object, 'serviceAccountName'), false);
    });

    it('makes a running VirtualMachine whose pods carry the same labels', () => {
      const spec = { instanceType: 'vm' as const, image: '', cpu: 2, memoryGiB: 4, count: 3 };
      assert.deepEqual(instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec, serviceAccount: true }, 2), {
        apiVersion: 'kubevirt.io/v1',
        kind: 'VirtualMachine',
        metadata: { name: 'instance-2', namespace: 'my-app-ns', labels },
        spec: {
          running: true,
          template: {
            metadata: { labels },
            spec: {
              domain: {
                cpu: { cores: 2 },
                resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
                devices: {},
              },
            },
          },
        },
      });
    });

    it('gives a VM at least one core when sizes were read as a fraction', () => {
      const vm = instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec: { instanceType: 'vm', image: '', cpu: 0.5, memoryGiB: 1, count: 1 }, serviceAccount: false }, 0);
      assert.deepEqual((vm.spec as { template: { spec: { domain: { cpu: unknown } } } }).template.spec.domain.cpu, { cores: 1 });
    });
  });

  describe('clusterManifests', () => {
    it('writes namespace, then guard rails, then instances', () => {
      const objects = clusterManifests(clusterSpec());
      assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), [
        'Namespace/my-app-ns',
        'ResourceQuota/cluster-quota',
        'LimitRange/resource-limits',
        'NetworkPolicy/deny-from-other-namespaces',
        'ServiceAccount/cluster-sa',
        'RoleBinding/cluster-admin',
        'Pod/instance-0',
        'Pod/instance-1',
        'Pod/instance-2',
      ]);
      assert.ok(objects.slice(1).every((o) => o.metadata.namespace === 'my-app-ns'));
      assert.ok(objects.every((o) => o.metadata.labels?.['managed-by'] === 'cmp' && o.metadata.labels.cluster === 'my-app'));
      assert.deepEqual(objects.slice(6).map((o) => (o.spec as { serviceAccountName?: string }).serviceAccountName), ['cluster-sa', 'cluster-sa', 'cluster-sa']);
    });

    it('writes only the namespace and VMs for a bare VM cluster', () => {
      const objects = clusterManifests(clusterSpec({ instanceType: 'vm', image: '', cpu: 2, count: 2, isolation: noGuardRails }));
      assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ['Namespace/my-app-ns', 'VirtualMachine/instance-0', 'VirtualMachine/instance-1']);
    });

    it('writes Pods without a service account when that guard rail is off', () => {
      const pods = clusterManifests(clusterSpec({ count: 2, isolation: noGuardRails })).slice(1);
      assert.deepEqual(pods.map((o) => Object.hasOwn(o.spec as object, 'serviceAccountName')), [false, false]);
    });
  });
});
