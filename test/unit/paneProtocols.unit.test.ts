// The guards of the Events and Logs pane protocols: well-formed messages pass, anything else (wrong
// types, unknown kinds, oversized fields) is refused on either side.
import * as assert from 'node:assert/strict';
import type { EventRow } from '../../src/core/eventRows';
import { boundedEventsHostMessage, eventRowLimits, isEventRow, isEventsHostMessage, isEventsViewMessage, readEventsHostMessage } from '../../src/protocol/events';
import { boundedLogsHostMessage, isLogEntry, isLogsHostMessage, isLogsViewMessage, logLimits, readLogsHostMessage } from '../../src/protocol/logs';

const row: EventRow = { key: 'u1', type: 'Warning', reason: 'BackOff', object: 'Pod/instance-0', message: '<b>x</b>', count: 2, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '', source: 'kubelet' };
const info = { title: 'Logs: instance-0', target: { kind: 'instance', namespace: 'my-app-ns', name: 'instance-0', container: 'instance' }, contextName: 'dev', bufferLines: 10_000, tailLines: 500, canPrevious: false, restarts: 0 };

describe('events protocol guards', () => {
  it('accepts the host\'s messages', () => {
    assert.ok(isEventsHostMessage({ type: 'host/reset', info: { namespace: 'ns', cluster: 'c', contextName: 'dev' }, rows: [row], status: { state: 'live' } }));
    assert.ok(isEventsHostMessage({ type: 'host/changes', upserts: [row], deletes: ['u2'] }));
    assert.ok(isEventsHostMessage({ type: 'host/status', status: { state: 'stale', message: 'context switched' } }));
    assert.ok(isEventsHostMessage({ type: 'host/inspect', requestId: 3 }));
  });

  it('refuses malformed host messages', () => {
    assert.equal(isEventsHostMessage({ type: 'host/changes', upserts: [{ ...row, count: -1 }], deletes: [] }), false);
    assert.equal(isEventsHostMessage({ type: 'host/status', status: { state: 'exploded' } }), false);
    assert.equal(isEventsHostMessage({ type: 'host/reset', rows: [] }), false);
    assert.equal(isEventsHostMessage({ type: 'form/ready' }), false);
    assert.equal(isEventsHostMessage(null), false);
  });

  it('accepts the webview\'s messages and refuses others', () => {
    assert.ok(isEventsViewMessage({ type: 'events/ready' }));
    assert.ok(isEventsViewMessage({ type: 'events/inspected', requestId: 1, snapshot: { total: 1, matching: 1, shown: 1, rows: [['a']], elementsInCells: [], fresh: 0, banner: '' } }));
    assert.equal(isEventsViewMessage({ type: 'events/inspected', requestId: -1, snapshot: {} }), false);
    assert.equal(isEventsViewMessage({ type: 'events/delete' }), false);
  });

  it('checks every field of a row', () => {
    assert.ok(isEventRow(row));
    assert.equal(isEventRow({ ...row, message: 7 }), false);
    assert.equal(isEventRow({ ...row, key: 'k'.repeat(600) }), false);
  });
});

describe('logs protocol guards', () => {
  const entry = { seq: 1, kind: 'line', text: '<script>x</script>', ts: '2026-01-01T00:00:00.000000000Z', source: 'instance-0', colour: 2 };

  it('accepts the host\'s messages', () => {
    assert.ok(isLogsHostMessage({ type: 'host/reset', info, entries: [entry], status: { state: 'live' }, previous: false, sources: [{ name: 'instance-0', colour: 0, active: true }] }));
    assert.ok(isLogsHostMessage({ type: 'host/append', entries: [entry, { seq: 2, kind: 'gap', text: 'reconnecting' }], skipped: 5 }));
    assert.ok(isLogsHostMessage({ type: 'host/info', info: { ...info, target: { kind: 'cluster', namespace: 'ns', cluster: 'c' } } }));
    assert.ok(isLogsHostMessage({ type: 'host/cleared' }));
    assert.ok(isLogsHostMessage({ type: 'host/inspect', requestId: 0, search: 'x' }));
  });

  it('refuses malformed host messages', () => {
    assert.equal(isLogsHostMessage({ type: 'host/append', entries: [{ ...entry, kind: 'html' }], skipped: 0 }), false);
    assert.equal(isLogsHostMessage({ type: 'host/append', entries: [{ ...entry, colour: 99 }], skipped: 0 }), false);
    assert.equal(isLogsHostMessage({ type: 'host/info', info: { ...info, bufferLines: 0 } }), false);
    assert.equal(isLogsHostMessage({ type: 'host/info', info: { ...info, target: { kind: 'node', namespace: 'x' } } }), false);
  });

  it('accepts the webview\'s messages and refuses others', () => {
    assert.ok(isLogsViewMessage({ type: 'logs/ready' }));
    assert.ok(isLogsViewMessage({ type: 'logs/setPrevious', previous: true }));
    assert.ok(isLogsViewMessage({ type: 'logs/save', timestamps: false }));
    assert.ok(isLogsViewMessage({ type: 'logs/clear' }));
    assert.ok(isLogsViewMessage({ type: 'logs/rendered' }));
    assert.ok(isLogsViewMessage({ type: 'logs/inspected', requestId: 2, snapshot: { lines: 1, texts: ['a'], prefixes: [''], lastText: 'a', slowestFrameMs: 3, longestTaskMs: 0, elementsInText: [], marks: [], paused: false, timestamps: true, banner: '' } }));
    assert.equal(isLogsViewMessage({ type: 'logs/setPrevious', previous: 'yes' }), false);
    assert.equal(isLogsViewMessage({ type: 'logs/exec', command: 'rm' }), false);
  });

  it('checks log entries', () => {
    assert.ok(isLogEntry(entry));
    assert.equal(isLogEntry({ ...entry, seq: 1.5 }), false);
    assert.equal(isLogEntry({ ...entry, text: 'x'.repeat(80_000) }), false);
  });
});

describe('oversized fields keep the panes working', () => {
  it('an event with a 1,100-character reason and long type, source and object is clipped to fit, not dropped', () => {
    const huge = { ...row, reason: 'R'.repeat(1100), type: 'T'.repeat(300), source: 's'.repeat(5000), object: `Pod/${'o'.repeat(2000)}`, message: 'm'.repeat(20_000) };
    const sent = boundedEventsHostMessage({ type: 'host/changes', upserts: [huge, row], deletes: ['k'.repeat(600)] });
    assert.ok(isEventsHostMessage(sent), 'the clipped batch passes the webview guard');
    if (sent.type !== 'host/changes') throw new Error(sent.type);
    assert.equal(sent.upserts[0]?.reason.length, eventRowLimits.reason);
    assert.ok(sent.upserts[0]?.reason.endsWith('…'));
    assert.deepEqual(sent.upserts[1], row, 'a row within bounds is sent as it is');
  });
  it('the webview drops a bad row, never the batch', () => {
    const read = readEventsHostMessage({ type: 'host/changes', upserts: [row, { ...row, reason: 'R'.repeat(1100) }, 'junk'], deletes: [] });
    assert.ok(read && read.type === 'host/changes');
    assert.deepEqual(read.upserts, [row]);
    const reset = readEventsHostMessage({ type: 'host/reset', info: { namespace: 'ns', cluster: 'c', contextName: 'dev' }, rows: [{ ...row, count: -1 }, row], status: { state: 'live' } });
    assert.ok(reset && reset.type === 'host/reset' && reset.rows.length === 1);
    assert.equal(readEventsHostMessage({ type: 'host/changes', upserts: 'not a list', deletes: [] }), undefined);
  });
  it('a log marker and a status from a long server error are clipped, and the batch passes', () => {
    const marker = { seq: 1, kind: 'error' as const, text: 'x'.repeat(100_000) };
    const sent = boundedLogsHostMessage({ type: 'host/append', entries: [marker, { seq: 2, kind: 'line', text: 'ok', ts: 't'.repeat(50) }], skipped: 0 });
    assert.ok(isLogsHostMessage(sent));
    if (sent.type !== 'host/append') throw new Error(sent.type);
    assert.equal(sent.entries[0]?.text.length, logLimits.text);
    assert.equal(sent.entries[1]?.ts, undefined, 'a timestamp past its bound is dropped');
    assert.ok(isLogsHostMessage(boundedLogsHostMessage({ type: 'host/status', status: { state: 'error', message: 'e'.repeat(10_000) } })));
  });
  it('the logs webview drops a bad entry, never the batch', () => {
    const read = readLogsHostMessage({ type: 'host/append', entries: [{ seq: 1, kind: 'line', text: 'a' }, { seq: -1, kind: 'line', text: 'b' }], skipped: 0 });
    assert.ok(read && read.type === 'host/append');
    assert.equal(read.entries.length, 1);
  });
});
