// API paths of the resources CMP writes: core group under /api, others under /apis, names and
// namespaces URL-encoded, and an error for a kind the core does not know.
import * as assert from 'node:assert/strict';
import { namespaceOfPath, refOfKind, resourcePath, resources } from '../../src/core/kubeTypes';

describe('kubeTypes', () => {
  it('builds collection and object paths', () => {
    assert.equal(resourcePath(resources.namespaces), '/api/v1/namespaces');
    assert.equal(resourcePath(resources.namespaces, undefined, 'my-app-ns'), '/api/v1/namespaces/my-app-ns');
    assert.equal(resourcePath(resources.pods, 'my-app-ns'), '/api/v1/namespaces/my-app-ns/pods');
    assert.equal(resourcePath(resources.pods, 'my-app-ns', 'instance-0'), '/api/v1/namespaces/my-app-ns/pods/instance-0');
    assert.equal(resourcePath(resources.virtualMachines, 'my-app-ns', 'instance-1'), '/apis/kubevirt.io/v1/namespaces/my-app-ns/virtualmachines/instance-1');
    assert.equal(resourcePath(resources.networkPolicies, 'my-app-ns'), '/apis/networking.k8s.io/v1/namespaces/my-app-ns/networkpolicies');
  });

  it('encodes names so they cannot change the path', () => {
    assert.equal(resourcePath(resources.pods, 'a/b', '../x'), '/api/v1/namespaces/a%2Fb/pods/..%2Fx');
  });

  it('maps each kind CMP writes to its resource', () => {
    const kinds = ['Namespace', 'Pod', 'ResourceQuota', 'LimitRange', 'ServiceAccount', 'NetworkPolicy', 'RoleBinding', 'VirtualMachine'];
    assert.deepEqual(kinds.map((k) => refOfKind(k).plural), ['namespaces', 'pods', 'resourcequotas', 'limitranges', 'serviceaccounts', 'networkpolicies', 'rolebindings', 'virtualmachines']);
  });

  it('refuses a kind it does not know', () => {
    assert.throws(() => refOfKind('Deployment'), { message: 'no resource known for kind Deployment' });
  });
});

describe('namespaceOfPath', () => {
  it('finds the namespace a path is inside, the namespace object itself included', () => {
    assert.equal(namespaceOfPath('/api/v1/namespaces/a-ns/pods/instance-0/log'), 'a-ns');
    assert.equal(namespaceOfPath('/apis/networking.k8s.io/v1/namespaces/b-ns/networkpolicies'), 'b-ns');
    assert.equal(namespaceOfPath('/api/v1/namespaces/c-ns'), 'c-ns');
    assert.equal(namespaceOfPath('/api/v1/namespaces'), undefined);
    assert.equal(namespaceOfPath('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews'), undefined);
  });
});
