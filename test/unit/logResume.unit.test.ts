// Reconnecting a log follow from the last second seen: lines already delivered are dropped, lines
// sharing the last timestamp are told apart by their text, and everything after is new.
import * as assert from 'node:assert/strict';
import { parseLogLine, type LogLine } from '../../src/core/logLines';
import { ResumePoint } from '../../src/core/logResume';

const line = (second: string, text: string): LogLine => parseLogLine(`2026-01-01T00:00:${second}Z ${text}`);

function replay(point: ResumePoint, lines: LogLine[]): string[] {
  const filter = point.replayFilter();
  return lines.filter((l) => filter.accept(l)).map((l) => l.text);
}

describe('ResumePoint and ReplayFilter', () => {
  it('starts with nothing to resume from and accepts everything', () => {
    const point = new ResumePoint();
    assert.equal(point.timestamp, undefined);
    assert.deepEqual(replay(point, [line('01', 'a')]), ['a']);
  });

  it('drops replayed lines up to the last one seen and keeps the rest', () => {
    const point = new ResumePoint();
    for (const l of [line('01.1', 'a'), line('01.5', 'b'), line('01.9', 'c')]) point.record(l);
    assert.equal(point.timestamp, '2026-01-01T00:00:01.900000000Z');
    // The API resumes from second 01, so a, b and c come again before the new d.
    assert.deepEqual(replay(point, [line('01.1', 'a'), line('01.5', 'b'), line('01.9', 'c'), line('02.0', 'd')]), ['d']);
  });

  it('tells lines with the same timestamp apart by text, counting repeats', () => {
    const point = new ResumePoint();
    for (const l of [line('05', 'x'), line('05', 'same'), line('05', 'same')]) point.record(l);
    assert.deepEqual(replay(point, [line('05', 'x'), line('05', 'same'), line('05', 'same'), line('05', 'same'), line('05', 'new')]), ['same', 'new']);
  });

  it('accepts everything once a newer line has come, even a repeated text', () => {
    const point = new ResumePoint();
    point.record(line('05', 'tick'));
    assert.deepEqual(replay(point, [line('05', 'tick'), line('06', 'tick'), line('05', 'tick')]), ['tick', 'tick']);
  });

  it('ignores lines without a timestamp for the resume point and lets them through', () => {
    const point = new ResumePoint();
    point.record(line('03', 'a'));
    point.record({ text: 'untimed' });
    assert.equal(point.timestamp, '2026-01-01T00:00:03.000000000Z');
    assert.deepEqual(replay(point, [{ text: 'untimed' }, line('03', 'a')]), ['untimed']);
  });

  it('does not move back for an older line', () => {
    const point = new ResumePoint();
    point.record(line('09', 'late'));
    point.record(line('08', 'early'));
    assert.equal(point.timestamp, '2026-01-01T00:00:09.000000000Z');
  });
});
