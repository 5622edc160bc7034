// Sizes for clusters without a stored spec: read off the lowest-numbered instance that has them,
// skipping foreign objects and instances that cannot be read.
import * as assert from 'node:assert/strict';
import type { StoredSpec } from '../../src/core/clusterSpec';
import { instanceManifest } from '../../src/core/manifests';
import { specFromInstanceFallback } from '../../src/core/storedSpecSource';
import { pod } from './fixtures';

const sized = (index: number, cpu: number, image = 'nginx'): ReturnType<typeof instanceManifest> => {
  const spec: StoredSpec = { instanceType: 'container', image, cpu, memoryGiB: 1, count: 1 };
  return instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec, serviceAccount: false }, index);
};

describe('specFromInstanceFallback', () => {
  it('reads the lowest index, in numeric order', () => {
    assert.equal(specFromInstanceFallback([sized(10, 10), sized(2, 2), sized(3, 3)], 3)?.cpu, 2);
  });

  it('skips objects that are not instances', () => {
    const foreign = { ...sized(0, 64, 'other'), metadata: { name: 'web', namespace: 'my-app-ns' } };
    assert.equal(specFromInstanceFallback([foreign, sized(1, 1)], 1)?.cpu, 1);
  });

  it('falls through to the next instance when the lowest cannot be read', () => {
    assert.deepEqual(specFromInstanceFallback([pod('instance-0', undefined, {}, { containers: [{ image: 'nginx' }] }), sized(1, 0.5)], 2), {
      instanceType: 'container', image: 'nginx', cpu: 0.5, memoryGiB: 1, count: 2,
    });
  });

  it('has nothing when no instance can be read', () => {
    assert.equal(specFromInstanceFallback([pod('instance-0'), pod('web')], 2), undefined);
    assert.equal(specFromInstanceFallback([], 0), undefined);
  });
});
