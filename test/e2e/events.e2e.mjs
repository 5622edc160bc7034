// @ts-check
/* global describe, it, before, after */
// Flow 5, the Events pane: opened from a cluster's context menu, rows newest first, a new event
// shows live, and an event message with markup shows as text, never as HTML.
import * as assert from 'node:assert/strict';
import { deleteNamespaces, eventually, kubectlCluster, kubectlCreate, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

/** A core/v1 Event about instance-0, last seen `agoSeconds` ago. @param {string} namespace @param {string} reason @param {string} message @param {number} agoSeconds @param {string} [type] */
function event(namespace, reason, message, agoSeconds, type = 'Normal') {
  const at = new Date(Date.now() - agoSeconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `e2e-${reason.toLowerCase()}-${Date.now().toString(36)}`, namespace },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'instance-0', namespace },
    reason, message, type, count: 1, firstTimestamp: at, lastTimestamp: at,
    source: { component: 'e2e' },
  };
}

describe('e2e 5: the Events pane', function () {
  this.timeout(240_000);
  const name = uniqueName('ev');
  const namespace = `${name}-ns`;
  const markup = '<b>bold</b><img src=x onerror="document.title=1"> & <script>alert(1)</script>';
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectlCluster(name, 1);
    await kubectlCreate([event(namespace, 'E2eOlder', 'the older of two', 600), event(namespace, 'E2eNewer', 'the newer of two', 300, 'Warning')]);
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '1/1 ready' }).waitFor();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
  });

  /** The pane's rows as [reason, message, last seen (ISO)]. */
  async function rows() {
    return window.webview().locator('table.events tbody tr').evaluateAll((trs) => trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      return [cells[1]?.textContent ?? '', cells[3]?.textContent ?? '', cells[6]?.getAttribute('title') ?? ''];
    }));
  }

  it('opens for a cluster with its events, newest first', async () => {
    await window.contextMenu(window.cluster(name), 'Show Events');
    await window.tab(`Events: ${name}`).waitFor();
    const pane = window.webview();
    await pane.locator('table.events tbody tr', { hasText: 'E2eOlder' }).waitFor();
    const shown = await rows();
    const reasons = shown.map((r) => r[0]).filter((r) => r.startsWith('E2e'));
    assert.deepEqual(reasons, ['E2eNewer', 'E2eOlder'], 'newest first');
    const times = shown.map((r) => Date.parse(r[2]));
    assert.deepEqual([...times].sort((a, b) => b - a), times, `every row sorted by last seen, newest first: ${JSON.stringify(shown)}`);
  });

  it('shows a new event live, and markup in a message as text', async () => {
    await kubectlCreate([event(namespace, 'E2eMarkup', markup, 0, 'Warning')]);
    const pane = window.webview();
    const row = pane.locator('table.events tbody tr', { hasText: 'E2eMarkup' });
    await row.waitFor();
    await eventually('the new event to be the first row', async () => ((await rows())[0]?.[0] === 'E2eMarkup' ? true : undefined));
    assert.equal(await row.locator('td').nth(3).textContent(), markup, 'the message shows exactly as text');
    assert.equal(await pane.locator('table.events b, table.events img, table.events script').count(), 0, 'no element made from the message');
    await window.screenshot('events');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation');
  });
});
