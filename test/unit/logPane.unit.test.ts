// The log pane's buffer: numbered entries, a bounded history, batches of what is new, and how many
// entries a flood overwrote before they could be sent.
import * as assert from 'node:assert/strict';
import { formatLogEntry, LogPaneBuffer } from '../../src/core/logPane';

const line = (text: string) => ({ kind: 'line' as const, text });

describe('LogPaneBuffer', () => {
  it('numbers entries and hands out what is new since the last batch', () => {
    const pane = new LogPaneBuffer(10);
    pane.add(line('a'));
    pane.add(line('b'));
    assert.deepEqual(pane.takeBatch(), { entries: [{ kind: 'line', text: 'a', seq: 1 }, { kind: 'line', text: 'b', seq: 2 }], skipped: 0 });
    assert.equal(pane.hasPending, false);
    pane.add(line('c'));
    assert.deepEqual(pane.takeBatch().entries.map((e) => e.seq), [3]);
  });

  it('keeps at most its capacity and reports entries overwritten before they were sent', () => {
    const pane = new LogPaneBuffer(100);
    for (let i = 0; i < 1_000; i += 1) pane.add(line(String(i)));
    const batch = pane.takeBatch();
    assert.equal(batch.entries.length, 100);
    assert.equal(batch.entries[0]?.text, '900');
    assert.equal(batch.skipped, 900);
    assert.equal(pane.size, 100);
    pane.add(line('next'));
    assert.equal(pane.takeBatch().skipped, 0);
  });

  it('gives a reloaded webview everything kept, and clears the pending batch', () => {
    const pane = new LogPaneBuffer(3);
    ['a', 'b', 'c', 'd'].forEach((t) => pane.add(line(t)));
    assert.deepEqual(pane.snapshot().map((e) => e.text), ['b', 'c', 'd']);
    assert.equal(pane.hasPending, false);
  });

  it('lists everything kept for saving without taking the pending batch', () => {
    const pane = new LogPaneBuffer(2);
    ['a', 'b', 'c'].forEach((t) => pane.add(line(t)));
    assert.deepEqual(pane.all().map((e) => e.text), ['b', 'c']);
    assert.equal(pane.hasPending, true);
  });

  it('clears history and pending entries, and keeps numbering', () => {
    const pane = new LogPaneBuffer(3);
    pane.add(line('a'));
    pane.clear();
    assert.equal(pane.size, 0);
    assert.equal(pane.hasPending, false);
    assert.equal(pane.add(line('b')).seq, 2);
  });
});

describe('formatLogEntry', () => {
  const entry = { seq: 1, kind: 'line' as const, text: 'hello', ts: '2026-01-01T00:00:00.000000000Z', source: 'instance-0' };

  it('writes source and timestamp when asked', () => {
    assert.equal(formatLogEntry(entry, { timestamps: true, sources: true }), '[instance-0] 2026-01-01T00:00:00.000000000Z hello');
    assert.equal(formatLogEntry(entry, { timestamps: false, sources: false }), 'hello');
  });

  it('sets markers apart', () => {
    assert.equal(formatLogEntry({ seq: 2, kind: 'gap', text: 'stream ended' }, { timestamps: true, sources: true }), '--- stream ended ---');
  });
});
