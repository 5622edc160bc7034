// The bounded buffer behind log panes: oldest out first, counts what it evicted, resizes keeping the newest.
import * as assert from 'node:assert/strict';
import { RingBuffer } from '../../src/core/ringBuffer';

describe('RingBuffer', () => {
  it('keeps items in order until full', () => {
    const ring = new RingBuffer<number>(3);
    ring.push(1);
    ring.push(2);
    assert.deepEqual(ring.toArray(), [1, 2]);
    assert.equal(ring.size, 2);
    assert.equal(ring.last(), 2);
  });

  it('evicts the oldest when full and counts evictions', () => {
    const ring = new RingBuffer<number>(3);
    ring.pushAll([1, 2, 3, 4, 5]);
    assert.deepEqual(ring.toArray(), [3, 4, 5]);
    assert.equal(ring.evicted, 2);
    assert.equal(ring.last(), 5);
  });

  it('holds exactly its capacity after a flood', () => {
    const ring = new RingBuffer<number>(10_000);
    for (let i = 0; i < 1_000_000; i += 1) ring.push(i);
    assert.equal(ring.size, 10_000);
    assert.equal(ring.toArray()[0], 990_000);
    assert.equal(ring.evicted, 990_000);
  });

  it('clears without forgetting evictions', () => {
    const ring = new RingBuffer<number>(2);
    ring.pushAll([1, 2, 3]);
    ring.clear();
    assert.deepEqual(ring.toArray(), []);
    assert.equal(ring.last(), undefined);
    assert.equal(ring.evicted, 1);
    ring.push(9);
    assert.deepEqual(ring.toArray(), [9]);
  });

  it('resizes keeping the newest items', () => {
    const ring = new RingBuffer<number>(5);
    ring.pushAll([1, 2, 3, 4, 5]);
    ring.resize(2);
    assert.deepEqual(ring.toArray(), [4, 5]);
    assert.equal(ring.evicted, 3);
    ring.resize(4);
    ring.pushAll([6, 7]);
    assert.deepEqual(ring.toArray(), [4, 5, 6, 7]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    assert.throws(() => new RingBuffer(0), RangeError);
    assert.throws(() => new RingBuffer(1.5), RangeError);
    assert.throws(() => new RingBuffer(1).resize(-1), RangeError);
  });
});
