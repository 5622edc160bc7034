// Log lines with timestamps=true: the RFC 3339 timestamp read into a nanosecond key, the sinceTime to
// resume from, and a chunked stream cut into lines.
import * as assert from 'node:assert/strict';
import { LineSplitter, maxLogLineLength, parseLogLine, shortTime, sinceTimeOf, timestampKey } from '../../src/core/logLines';

describe('log line timestamps', () => {
  it('reads kubelet\'s nine-digit UTC timestamp and the text after one space', () => {
    assert.deepEqual(parseLogLine('2026-01-01T00:00:00.123456789Z hello world'), { ts: '2026-01-01T00:00:00.123456789Z', text: 'hello world' });
  });

  it('pads shorter fractions and reads times without a fraction', () => {
    assert.equal(timestampKey('2026-01-01T00:00:00.5Z'), '2026-01-01T00:00:00.500000000Z');
    assert.equal(timestampKey('2026-01-01T00:00:00Z'), '2026-01-01T00:00:00.000000000Z');
  });

  it('converts offsets to UTC, keeping the nanoseconds', () => {
    assert.equal(timestampKey('2026-01-01T02:00:00.000000001+02:00'), '2026-01-01T00:00:00.000000001Z');
    assert.equal(timestampKey('2025-12-31T23:30:00.25-00:30'), '2026-01-01T00:00:00.250000000Z');
  });

  it('orders keys as strings to the nanosecond', () => {
    const a = timestampKey('2026-01-01T00:00:00.000000001Z') ?? '';
    const b = timestampKey('2026-01-01T00:00:00.00000001Z') ?? '';
    assert.ok(a < b);
  });

  it('keeps lines without a timestamp whole', () => {
    assert.deepEqual(parseLogLine('no time here'), { text: 'no time here' });
    assert.deepEqual(parseLogLine('2026-13-45T00:00:00Z odd'), { text: '2026-13-45T00:00:00Z odd' });
  });

  it('keeps empty texts, strips a carriage return and cuts runaway lines', () => {
    assert.deepEqual(parseLogLine('2026-01-01T00:00:00Z '), { ts: '2026-01-01T00:00:00.000000000Z', text: '' });
    assert.equal(parseLogLine('2026-01-01T00:00:00Z dos\r').text, 'dos');
    const long = parseLogLine(`2026-01-01T00:00:00Z ${'x'.repeat(maxLogLineLength + 5)}`).text;
    assert.ok(long.startsWith('x'.repeat(maxLogLineLength)));
    assert.match(long, /line cut at/);
  });

  it('resumes from the whole second of a key, and prints short times', () => {
    assert.equal(sinceTimeOf('2026-01-01T00:00:07.999999999Z'), '2026-01-01T00:00:07Z');
    assert.equal(shortTime('2026-01-01T12:34:56.789000000Z'), '12:34:56.789');
  });
});

describe('LineSplitter', () => {
  it('cuts chunks into lines and holds a partial line for the next chunk', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a\nb'), ['a']);
    assert.deepEqual(splitter.push('c\nd\n'), ['bc', 'd']);
    assert.deepEqual(splitter.push('tail'), []);
    assert.deepEqual(splitter.flush(), ['tail']);
    assert.deepEqual(splitter.flush(), []);
  });

  it('does not hold an endless line in memory', () => {
    const splitter = new LineSplitter();
    const out = splitter.push('y'.repeat(maxLogLineLength * 4 + 1));
    assert.equal(out.length, 1);
    assert.deepEqual(splitter.flush(), []);
  });
});
