// The quota a scale needs (quotaToFit), raised on top of the live spec.hard without ever lowering a
// limit (raisedHard), the check that admission's status.hard holds what spec.hard says (quotaInForce), and the
// create form's suggested quota with room to grow.
import * as assert from 'node:assert/strict';
import { headroomCount, quotaFor, suggestedQuota } from '../../src/core/clusterSpec';
import type { QuotaState, ScalePlan } from '../../src/core/plans';
import { describeRaises, quotaInForce, quotaToFit, raisedHard } from '../../src/core/quotaFit';

const grow = (n: number): ScalePlan => ({ create: Array.from({ length: n }, (_, i) => 10 + i), remove: [] });
const quota = (hard: Record<string, string>, used: Record<string, string> = {}): QuotaState => ({ hard, used });
const size = { cpu: 1, memoryGiB: 2 };

describe('quotaToFit', () => {
  it('names every CMP key the scale outgrows, at used plus what the new instances request', () => {
    const full = quota(
      { 'requests.cpu': '3', 'limits.cpu': '3', 'requests.memory': '6Gi', 'limits.memory': '6Gi', pods: '3' },
      { 'requests.cpu': '3', 'limits.cpu': '3', 'requests.memory': '6Gi', 'limits.memory': '6Gi', pods: '3' },
    );
    assert.deepEqual(quotaToFit(full, size, grow(2)), [
      { key: 'requests.cpu', from: '3', to: '5' },
      { key: 'limits.cpu', from: '3', to: '5' },
      { key: 'requests.memory', from: '6Gi', to: '10Gi' },
      { key: 'limits.memory', from: '6Gi', to: '10Gi' },
      { key: 'pods', from: '3', to: '5' },
    ]);
  });

  it('leaves keys that still fit, keys CMP does not set, and unreadable quantities alone', () => {
    const mixed = quota({ 'requests.cpu': '1500m', 'requests.memory': '100Gi', 'requests.storage': '1Gi', 'limits.cpu': 'lots' }, { 'requests.cpu': '500m', 'requests.memory': '1Gi' });
    assert.deepEqual(quotaToFit(mixed, { cpu: 0.5, memoryGiB: 1.5 }, grow(3)), [{ key: 'requests.cpu', from: '1500m', to: '2' }]);
  });

  it('writes fractions as millicores and MiB', () => {
    assert.deepEqual(quotaToFit(quota({ 'requests.cpu': '250m', 'requests.memory': '256Mi' }, { 'requests.cpu': '250m', 'requests.memory': '256Mi' }), { cpu: 0.25, memoryGiB: 0.25 }, grow(2)), [
      { key: 'requests.cpu', from: '250m', to: '750m' },
      { key: 'requests.memory', from: '256Mi', to: '768Mi' },
    ]);
  });

  it('rounds a raise up, so a use in decimal units (128M) still fits after it', () => {
    // 128M used = 122.07 MiB; one more 256 MiB instance needs 378.07 MiB: 379Mi, not 378Mi.
    assert.deepEqual(quotaToFit(quota({ 'requests.memory': '256Mi' }, { 'requests.memory': '128M' }), { cpu: 0.25, memoryGiB: 0.25 }, grow(1)), [{ key: 'requests.memory', from: '256Mi', to: '379Mi' }]);
    assert.deepEqual(quotaToFit(quota({ 'requests.cpu': '1' }, { 'requests.cpu': '1000500u' }), { cpu: 0.25, memoryGiB: 0.25 }, grow(1)), [{ key: 'requests.cpu', from: '1', to: '1251m' }]);
  });

  it('asks nothing of a scale down or one that fits', () => {
    const tight = quota({ 'requests.cpu': '1' }, { 'requests.cpu': '1' });
    assert.deepEqual(quotaToFit(tight, size, { create: [], remove: ['instance-1'] }), []);
    assert.deepEqual(quotaToFit(tight, size, { create: [1], remove: ['instance-4'] }), []);
    assert.deepEqual(quotaToFit(quota({ 'requests.cpu': '4' }, { 'requests.cpu': '2' }), size, grow(2)), []);
  });
});

describe('raisedHard', () => {
  const raises = [{ key: 'requests.cpu', from: '3', to: '5' }, { key: 'requests.memory', from: '6Gi', to: '10Gi' }];

  it('raises the keys and keeps every other one', () => {
    assert.deepEqual(raisedHard({ 'requests.cpu': '3', 'requests.memory': '6Gi', 'requests.storage': '1Gi' }, raises), { 'requests.cpu': '5', 'requests.memory': '10Gi', 'requests.storage': '1Gi' });
  });

  it('never lowers a limit raised meanwhile, and does not add back one removed meanwhile', () => {
    assert.deepEqual(raisedHard({ 'requests.cpu': '8', 'requests.memory': '6Gi' }, raises), { 'requests.cpu': '8', 'requests.memory': '10Gi' });
    assert.deepEqual(raisedHard({ 'requests.cpu': '3' }, raises), { 'requests.cpu': '5' });
    assert.deepEqual(raisedHard({ 'requests.cpu': '5000m', 'requests.memory': '10240Mi' }, raises), { 'requests.cpu': '5000m', 'requests.memory': '10240Mi' });
  });
});

describe('quotaInForce', () => {
  const spec = { 'requests.cpu': '5', 'requests.memory': '10Gi', pods: '8' };
  it('is true once status.hard holds every key of spec.hard, by value', () => {
    assert.equal(quotaInForce(spec, { 'requests.cpu': '5000m', 'requests.memory': '10240Mi', pods: '8' }), true);
  });
  it('is false while any key still has the old value or none', () => {
    assert.equal(quotaInForce(spec, {}), false, 'a new quota before its first status');
    assert.equal(quotaInForce(spec, { ...spec, 'requests.cpu': '3' }), false);
    assert.equal(quotaInForce(spec, { 'requests.cpu': '5', pods: '8' }), false);
    assert.equal(quotaInForce(spec, { ...spec, 'limits.cpu': '4' }), false, 'a key taken out of spec.hard limits until status drops it');
  });
  it('is true for a quota that limits nothing', () => {
    assert.equal(quotaInForce({}, {}), true);
  });
});

describe('describeRaises', () => {
  it('lists each key from and to', () => {
    assert.equal(describeRaises([{ key: 'requests.cpu', from: '3', to: '5' }, { key: 'pods', from: '3', to: '5' }]), 'requests.cpu 3 → 5, pods 3 → 5');
  });
});

describe('suggestedQuota', () => {
  it('leaves room for twice the instances, and at least two more', () => {
    assert.equal(headroomCount(3), 6);
    assert.equal(headroomCount(1), 3);
    assert.equal(headroomCount(0), 2);
    assert.equal(headroomCount(100), 200);
    assert.deepEqual(suggestedQuota(0.5, 1, 3), { quotaCpu: 3, quotaMemoryGiB: 6 });
    assert.deepEqual(suggestedQuota(0.5, 1, 3), quotaFor(0.5, 1, 6));
  });
});
