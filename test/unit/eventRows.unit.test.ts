// Events of both APIs as one row type, their order (newest last-seen first) and the pane's filters.
import * as assert from 'node:assert/strict';
import { compareEventRows, eventRow, matchesEventFilter, maxEventMessageLength, visibleEventRows, type EventRow } from '../../src/core/eventRows';

const coreEvent = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'instance-0.17a', namespace: 'my-app-ns', uid: 'u-core', creationTimestamp: '2026-01-01T00:00:00Z' },
  involvedObject: { kind: 'Pod', name: 'instance-0', namespace: 'my-app-ns' },
  reason: 'BackOff',
  message: 'Back-off restarting failed container',
  type: 'Warning',
  count: 7,
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:05:00Z',
  source: { component: 'kubelet', host: 'node-1' },
  ...overrides,
});

const modernEvent = (overrides: Record<string, unknown> = {}) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: { name: 'my-app-ns.cmp-x', namespace: 'my-app-ns', uid: 'u-new', creationTimestamp: '2026-01-01T00:01:00Z' },
  eventTime: '2026-01-01T00:01:00.123456Z',
  reportingController: 'cmp-vscode',
  reportingInstance: 'cmp-vscode-host',
  action: 'Scale',
  reason: 'Scaled',
  note: 'scaled to 3',
  type: 'Normal',
  regarding: { apiVersion: 'v1', kind: 'Namespace', name: 'my-app-ns' },
  ...overrides,
});

describe('eventRow', () => {
  it('reads a core/v1 event', () => {
    assert.deepEqual(eventRow(coreEvent()), {
      key: 'u-core', type: 'Warning', reason: 'BackOff', object: 'Pod/instance-0', message: 'Back-off restarting failed container',
      count: 7, firstSeen: '2026-01-01T00:00:00Z', lastSeen: '2026-01-01T00:05:00Z', source: 'kubelet',
    });
  });

  it('reads an events.k8s.io/v1 event without series', () => {
    assert.deepEqual(eventRow(modernEvent()), {
      key: 'u-new', type: 'Normal', reason: 'Scaled', object: 'Namespace/my-app-ns', message: 'scaled to 3',
      count: 1, firstSeen: '2026-01-01T00:01:00.123456Z', lastSeen: '2026-01-01T00:01:00.123456Z', source: 'cmp-vscode',
    });
  });

  it('takes count and last seen from an events.k8s.io series', () => {
    const row = eventRow(modernEvent({ series: { count: 12, lastObservedTime: '2026-01-01T00:09:00.000000Z' } }));
    assert.equal(row?.count, 12);
    assert.equal(row?.lastSeen, '2026-01-01T00:09:00.000000Z');
    assert.equal(row?.firstSeen, '2026-01-01T00:01:00.123456Z');
  });

  it('reads the deprecated fields of an old event served by events.k8s.io/v1', () => {
    const row = eventRow(modernEvent({ eventTime: null, reportingController: '', deprecatedSource: { component: 'kubelet' }, deprecatedCount: 4, deprecatedFirstTimestamp: '2026-01-01T00:00:10Z', deprecatedLastTimestamp: '2026-01-01T00:00:40Z' }));
    assert.equal(row?.source, 'kubelet');
    assert.equal(row?.count, 4);
    assert.equal(row?.firstSeen, '2026-01-01T00:00:10Z');
    assert.equal(row?.lastSeen, '2026-01-01T00:00:40Z');
  });

  it('reads a new-style event served by core/v1 (eventTime and series, no timestamps)', () => {
    const row = eventRow(coreEvent({ count: undefined, firstTimestamp: null, lastTimestamp: null, eventTime: '2026-01-01T00:02:00.000001Z', series: { count: 3, lastObservedTime: '2026-01-01T00:03:00.000000Z' }, source: {}, reportingComponent: 'cmp-vscode' }));
    assert.equal(row?.count, 3);
    assert.equal(row?.firstSeen, '2026-01-01T00:02:00.000001Z');
    assert.equal(row?.lastSeen, '2026-01-01T00:03:00.000000Z');
    assert.equal(row?.source, 'cmp-vscode');
  });

  it('falls back to the creation time, a Normal type and a count of 1', () => {
    const row = eventRow({ metadata: { name: 'x', namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' }, involvedObject: { kind: 'Pod', name: 'p' } });
    assert.equal(row?.key, 'ns/x');
    assert.equal(row?.type, 'Normal');
    assert.equal(row?.count, 1);
    assert.equal(row?.lastSeen, '2026-01-01T00:00:00Z');
  });

  it('keeps markup in messages as plain text and cuts very long ones', () => {
    assert.equal(eventRow(coreEvent({ message: '<img src=x onerror=alert(1)>' }))?.message, '<img src=x onerror=alert(1)>');
    const long = eventRow(coreEvent({ message: 'x'.repeat(maxEventMessageLength + 10) }))?.message ?? '';
    assert.equal(long.length, maxEventMessageLength + 1);
  });

  it('rejects what is not an event', () => {
    assert.equal(eventRow(null), undefined);
    assert.equal(eventRow('event'), undefined);
    assert.equal(eventRow({ metadata: {} }), undefined);
  });
});

const row = (key: string, lastSeen: string, overrides: Partial<EventRow> = {}): EventRow => ({
  key, type: 'Normal', reason: 'Created', object: 'Pod/instance-0', message: 'Created container', count: 1, firstSeen: lastSeen, lastSeen, source: 'kubelet', ...overrides,
});

describe('event order and filters', () => {
  it('sorts newest last-seen first, then newest first-seen, then by key', () => {
    const rows = [
      row('a', '2026-01-01T00:00:00Z'),
      row('b', '2026-01-01T00:10:00Z'),
      row('c', '2026-01-01T00:05:00.5Z'),
      row('e', '2026-01-01T00:05:00.5Z', { firstSeen: '2026-01-01T00:04:00Z' }),
      row('d', '2026-01-01T00:05:00.5Z'),
      row('z', ''),
    ];
    assert.deepEqual(rows.sort(compareEventRows).map((r) => r.key), ['b', 'c', 'd', 'e', 'a', 'z']);
  });

  it('filters to warnings and by text in any column, ignoring case', () => {
    const warning = row('w', '2026-01-01T00:00:00Z', { type: 'Warning', reason: 'FailedScheduling', message: 'Insufficient CPU' });
    const normal = row('n', '2026-01-01T00:00:00Z');
    assert.equal(matchesEventFilter(warning, { warningsOnly: true, text: '' }), true);
    assert.equal(matchesEventFilter(normal, { warningsOnly: true, text: '' }), false);
    assert.equal(matchesEventFilter(warning, { warningsOnly: false, text: 'insufficient' }), true);
    assert.equal(matchesEventFilter(normal, { warningsOnly: false, text: 'pod/INSTANCE' }), true);
    assert.equal(matchesEventFilter(normal, { warningsOnly: false, text: 'kubelet' }), true);
    assert.equal(matchesEventFilter(normal, { warningsOnly: false, text: 'nothing' }), false);
  });

  it('returns the visible rows sorted and limited, with the number that matched', () => {
    const rows = [row('1', '2026-01-01T00:00:01Z'), row('2', '2026-01-01T00:00:02Z'), row('3', '2026-01-01T00:00:03Z', { type: 'Warning' })];
    const all = visibleEventRows(rows, { warningsOnly: false, text: '' }, 2);
    assert.deepEqual(all.rows.map((r) => r.key), ['3', '2']);
    assert.equal(all.matching, 3);
    assert.deepEqual(visibleEventRows(rows, { warningsOnly: true, text: '' }).rows.map((r) => r.key), ['3']);
  });
});
