// Describe addresses: a cluster or an instance in a context, to a cmp-describe: path and query and back.
import * as assert from 'node:assert/strict';
import { describeLocation, parseDescribeLocation, type DescribeTarget } from '../../src/vscode/describe/describeTarget';

describe('describe addresses', () => {
  const targets: DescribeTarget[] = [
    { kind: 'cluster', context: 'dev', namespace: 'my-app-ns' },
    { kind: 'instance', context: 'kind-kind', namespace: 'my-app-ns', instanceKind: 'Pod', name: 'instance-0' },
    { kind: 'instance', context: 'ctx with spaces/and&more', namespace: 'vm-ns', instanceKind: 'VirtualMachine', name: 'instance-12' },
  ];

  it('round-trips clusters and instances, with any context name', () => {
    for (const target of targets) {
      const { path, query } = describeLocation(target);
      assert.deepEqual(parseDescribeLocation(path, query), target);
    }
  });

  it('names the document after what it describes, as YAML', () => {
    assert.equal(describeLocation(targets[0] as DescribeTarget).path, '/my-app-ns.yaml');
    assert.equal(describeLocation(targets[1] as DescribeTarget).path, '/my-app-ns/instance-0.yaml');
  });

  it('refuses addresses it did not make', () => {
    assert.equal(parseDescribeLocation('/a/b/c.yaml', 'context=x&kind=Pod'), undefined);
    assert.equal(parseDescribeLocation('/a.yaml', 'context=x&kind=Service'), undefined);
    assert.equal(parseDescribeLocation('/a/b.yaml', 'context=x&kind=cluster'), undefined);
  });
});
