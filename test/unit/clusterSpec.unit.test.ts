// The stored spec on the namespace annotation: what is kept, that it round-trips, that anything
// malformed reads as "no spec", and the quota that exactly holds a cluster.
import * as assert from 'node:assert/strict';
import { quotaFor, instanceTypes, parseStoredSpec, readStoredSpec, serializeStoredSpec, storedSpecOf } from '../../src/core/clusterSpec';
import { clusterSpec } from './fixtures';

describe('clusterSpec', () => {
  it('knows the two instance types', () => {
    assert.deepEqual([...instanceTypes], ['container', 'vm']);
  });

  it('stores only what making more instances needs', () => {
    assert.deepEqual(storedSpecOf(clusterSpec()), { instanceType: 'container', image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 3 });
  });

  it('round-trips through the annotation text', () => {
    const stored = storedSpecOf(clusterSpec({ instanceType: 'vm', image: '', cpu: 4, memoryGiB: 8, count: 0 }));
    assert.equal(serializeStoredSpec(stored), '{"instanceType":"vm","image":"","cpu":4,"memoryGiB":8,"count":0}');
    assert.deepEqual(parseStoredSpec(serializeStoredSpec(stored)), stored);
  });

  describe('parseStoredSpec reads anything malformed as no spec', () => {
    const good = { instanceType: 'container', image: 'nginx', cpu: 1, memoryGiB: 2, count: 3 };
    const bad: [string, string | undefined][] = [
      ['no annotation', undefined],
      ['empty text', ''],
      ['not JSON', '{instanceType:'],
      ['null', 'null'],
      ['a string', '"container"'],
      ['an array', '[]'],
      ['unknown type', JSON.stringify({ ...good, instanceType: 'lxc' })],
      ['missing image', JSON.stringify({ ...good, image: undefined })],
      ['cpu as a string', JSON.stringify({ ...good, cpu: '1' })],
      ['zero cpu', JSON.stringify({ ...good, cpu: 0 })],
      ['negative memory', JSON.stringify({ ...good, memoryGiB: -2 })],
    ];
    for (const [what, text] of bad) {
      it(what, () => assert.equal(parseStoredSpec(text), undefined));
    }
  });

  it('reads a missing count as 0', () => {
    const base = { instanceType: 'container', image: 'nginx', cpu: 1, memoryGiB: 2 };
    assert.equal(parseStoredSpec(JSON.stringify(base))?.count, 0);
  });

  describe('readStoredSpec names what makes an annotation unusable', () => {
    const base = { instanceType: 'container', image: 'nginx', cpu: 1, memoryGiB: 2, count: 1 };
    const cases: [string, string, RegExp][] = [
      ['count -1', JSON.stringify({ ...base, count: -1 }), /^count is -1, not a whole number from 0 to 10000$/],
      ['count 2.5', JSON.stringify({ ...base, count: 2.5 }), /^count is 2.5/],
      ['count as text', JSON.stringify({ ...base, count: '3' }), /^count is "3"/],
      ['count 1e12', JSON.stringify({ ...base, count: 1e12 }), /^count is 1000000000000/],
      ['cpu 1e308', JSON.stringify({ ...base, cpu: 1e308 }), /^cpu is 1e\+308, not a number of cores above 0 and at most 128$/],
      ['cpu 1e309 (Infinity in the text)', '{"instanceType":"container","image":"nginx","cpu":1e309,"memoryGiB":2,"count":1}', /^cpu is null/],
      ['memory 1e9 GiB', JSON.stringify({ ...base, memoryGiB: 1e9 }), /^memoryGiB is 1000000000/],
      ['image with a newline', JSON.stringify({ ...base, image: 'nginx\nevil' }), /^image is not an image reference$/],
      ['not JSON', '{', /^it is not JSON$/],
      ['an array', '[1]', /^it is not a JSON object$/],
      ['huge text', JSON.stringify({ ...base, pad: 'x'.repeat(20_000) }), /^it is \d+ characters long$/],
    ];
    for (const [what, text, problem] of cases) {
      it(what, () => {
        const read = readStoredSpec(text);
        assert.equal(read.spec, undefined);
        assert.match(read.problem ?? '', problem);
      });
    }
  });

  it('ignores fields it does not know', () => {
    const text = JSON.stringify({ instanceType: 'container', image: 'nginx', cpu: 1, memoryGiB: 2, count: 1, owner: 'x' });
    assert.deepEqual(parseStoredSpec(text), { instanceType: 'container', image: 'nginx', cpu: 1, memoryGiB: 2, count: 1 });
  });

  it('makes a quota that holds count × size exactly, without float noise', () => {
    assert.deepEqual(quotaFor(2, 4, 3), { quotaCpu: 6, quotaMemoryGiB: 12 });
    assert.deepEqual(quotaFor(0.1, 0.3, 3), { quotaCpu: 0.3, quotaMemoryGiB: 0.9 });
    assert.deepEqual(quotaFor(1.5, 1.5, 0), { quotaCpu: 0, quotaMemoryGiB: 0 });
  });
});
