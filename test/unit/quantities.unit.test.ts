// Kubernetes quantities: what we write for cores and GiB (1500m, 1536Mi), and reading what other
// tools wrote, so sizes survive a round trip.
import * as assert from 'node:assert/strict';
import { cpuCoresOf, formatCpu, formatMemoryGiB, formatNumber, memoryGiBOf, parseQuantity, sameQuantity } from '../../src/core/quantities';

describe('quantities', () => {
  describe('parseQuantity', () => {
    const cases: [string, number | undefined][] = [
      ['2', 2],
      ['1500m', 1.5],
      ['.5', 0.5],
      ['+3', 3],
      ['-1', -1],
      ['250u', 250e-6],
      ['100n', 100e-9],
      ['4Gi', 4 * 2 ** 30],
      ['1536Mi', 1536 * 2 ** 20],
      ['1.5Gi', 1.5 * 2 ** 30],
      ['64Ki', 65536],
      ['1k', 1000],
      ['2M', 2e6],
      ['1G', 1e9],
      ['1e3', 1000],
      ['1E', 1e18],
      [' 2 ', 2],
      ['', undefined],
      ['Gi', undefined],
      ['1Gb', undefined],
      ['two', undefined],
      ['1 Gi', undefined],
    ];
    for (const [text, value] of cases) {
      it(`"${text}" → ${String(value)}`, () => assert.equal(parseQuantity(text), value));
    }
  });

  it('writes whole cores plainly and fractions in millicores', () => {
    assert.deepEqual([2, 1, 1.5, 0.25, 0.1 + 0.2, 0.0015].map(formatCpu), ['2', '1', '1500m', '250m', '300m', '2m']);
  });

  it('writes whole GiB as Gi and fractions in Mi', () => {
    assert.deepEqual([4, 1, 1.5, 0.125, 1 / 1024].map(formatMemoryGiB), ['4Gi', '1Gi', '1536Mi', '128Mi', '1Mi']);
  });

  it('reads cores and GiB back, and undefined as undefined', () => {
    assert.equal(cpuCoresOf('1500m'), 1.5);
    assert.equal(cpuCoresOf(undefined), undefined);
    assert.equal(cpuCoresOf('lots'), undefined);
    assert.equal(memoryGiBOf('512Mi'), 0.5);
    assert.equal(memoryGiBOf('1G'), 1e9 / 2 ** 30);
    assert.equal(memoryGiBOf(undefined), undefined);
    assert.equal(memoryGiBOf('lots'), undefined);
  });

  it('round-trips every size the form accepts', () => {
    for (const cores of [0.001, 0.1, 0.5, 1.5, 2, 127.999]) assert.equal(cpuCoresOf(formatCpu(cores)), cores);
    for (const mib of [128, 307, 1024, 1536, 4096, 1048576]) assert.equal(memoryGiBOf(formatMemoryGiB(mib / 1024)), mib / 1024);
  });

  it('prints short numbers without trailing zeros', () => {
    assert.deepEqual([2, 0.5, 1.25, 1 / 3, 1e-4].map(formatNumber), ['2', '0.5', '1.25', '0.333', '0']);
  });
});

describe('sameQuantity', () => {
  it('compares by value across suffixes', () => {
    assert.equal(sameQuantity('0.5', '500m'), true);
    assert.equal(sameQuantity('1Gi', '1024Mi'), true);
    assert.equal(sameQuantity('1536Mi', '1.5Gi'), true);
    assert.equal(sameQuantity('1Gi', '1G'), false);
    assert.equal(sameQuantity('1073741824', '1073741825'), false, 'one byte apart');
  });
  it('compares text that is no quantity exactly, and a missing value only with a missing one', () => {
    assert.equal(sameQuantity('abc', 'abc'), true);
    assert.equal(sameQuantity('abc', 'abd'), false);
    assert.equal(sameQuantity(undefined, '1'), false);
    assert.equal(sameQuantity(undefined, undefined), true);
  });
});
