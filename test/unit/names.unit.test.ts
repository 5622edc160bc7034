// CMP naming: cluster ↔ namespace, the managed-by label, and which names are instances. These
// strings are shared with other CMP tools, so the tests pin them.
import * as assert from 'node:assert/strict';
import {
  clusterNameOf, instanceIndexOf, instanceName, isManaged, managedSelector, maxClusterNameLength, namespaceFor, namespaceSuffix,
} from '../../src/core/names';

describe('names', () => {
  it('puts cluster my-app in namespace my-app-ns', () => {
    assert.equal(namespaceFor('my-app'), 'my-app-ns');
  });

  it('keeps the longest cluster name within a 63-character namespace', () => {
    assert.equal(namespaceFor('a'.repeat(maxClusterNameLength)).length, 63);
    assert.equal(namespaceSuffix, '-ns');
  });

  it('selects managed namespaces by managed-by=cmp', () => {
    assert.equal(managedSelector, 'managed-by=cmp');
    assert.equal(isManaged({ 'managed-by': 'cmp' }), true);
    assert.equal(isManaged({ 'managed-by': 'helm' }), false);
    assert.equal(isManaged({}), false);
    assert.equal(isManaged(undefined), false);
  });

  describe('clusterNameOf', () => {
    it('prefers the cluster label', () => {
      assert.equal(clusterNameOf({ name: 'renamed-ns', labels: { cluster: 'my-app' } }), 'my-app');
    });
    it('otherwise strips -ns from the namespace', () => {
      assert.equal(clusterNameOf({ name: 'my-app-ns' }), 'my-app');
      assert.equal(clusterNameOf({ name: 'my-app-ns', labels: { cluster: '' } }), 'my-app');
    });
    it('uses the namespace as is when it has no -ns suffix', () => {
      assert.equal(clusterNameOf({ name: 'legacy' }), 'legacy');
    });
  });

  it('names instances instance-0 … instance-N-1', () => {
    assert.deepEqual([0, 1, 12].map(instanceName), ['instance-0', 'instance-1', 'instance-12']);
  });

  describe('instanceIndexOf', () => {
    const cases: [string, number | undefined][] = [
      ['instance-0', 0],
      ['instance-7', 7],
      ['instance-120', 120],
      ['instance-01', undefined],
      ['instance-', undefined],
      ['instance--1', undefined],
      ['instance-1x', undefined],
      ['my-instance-1', undefined],
      ['Instance-1', undefined],
      ['web', undefined],
    ];
    for (const [name, index] of cases) {
      it(`${name} → ${String(index)}`, () => assert.equal(instanceIndexOf(name), index));
    }
  });
});
