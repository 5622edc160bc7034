// @ts-check
/* global describe, it, before, after */
// Flow 7, hostile text: event fields, log lines and a server's error message carrying HTML, script,
// bidi overrides, control characters and colour escapes are shown inert (as text, the invisible
// characters as visible ⟨U+XXXX⟩ marks, no element made from them), and oversized fields (a
// 1,100-character reason, a 100,000-character log line) leave the panes working.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteNamespaces, eventually, kubectl, kubectlCreate, kubectlInstance, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

const markup = '<b>bold</b><img src=x onerror="document.title=1"><script>document.title=2</script>';
const bidi = '\u202e';
const shownBidi = '⟨U+202E⟩';
const criLine = (/** @type {string} */ text) => `${new Date().toISOString()} stdout F ${text}\n`;

/** A core/v1 Event with every text field set by the caller. @param {string} namespace @param {Record<string, string>} fields */
function hostileEvent(namespace, fields) {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    apiVersion: 'v1', kind: 'Event',
    metadata: { name: `e2e-hostile-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`, namespace },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'instance-0', namespace },
    count: 1, firstTimestamp: at, lastTimestamp: at,
    reason: fields.reason, message: fields.message, type: fields.type, source: { component: fields.component },
  };
}

describe('e2e 7: hostile text stays inert', function () {
  this.timeout(240_000);
  const name = uniqueName('mk');
  const namespace = `${name}-ns`;
  const refusedName = uniqueName('mkr');
  const policy = `cmp-e2e-${name}`;
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-markup-'));
  const logFile = join(dir, 'instance-0.log');
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    writeFileSync(logFile, criLine('instance 0 started'));
    await kubectlCreate([{ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: 'instance-0', namespace }, spec: { logs: [{ logsFile: logFile, follow: true }] } }]);
    await kubectlInstance(name, 0);
    // A policy that refuses pods in namespaces labelled for it, with a message full of markup.
    await kubectlCreate([
      {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: policy },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] },
          validations: [{ expression: 'false', messageExpression: `'${markup.replace(/'/g, '\\\'')} refused ${bidi}by policy'` }],
        },
      },
      { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: policy }, spec: { policyName: policy, validationActions: ['Deny'], matchResources: { namespaceSelector: { matchLabels: { 'cmp-e2e-hostile': name } } } } },
    ]);
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '1/1 ready' }).waitFor();
  });

  after(async () => {
    await window?.close();
    await kubectl(['delete', 'validatingadmissionpolicybinding,validatingadmissionpolicy', policy, '--ignore-not-found']).catch(() => undefined);
    await deleteNamespaces([namespace, `${refusedName}-ns`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows hostile and oversized event fields as text, and keeps the pane working', async () => {
    await kubectlCreate([
      hostileEvent(namespace, { reason: `E2eHostile${markup}${bidi}`, message: `${markup}${bidi}abc\u0007`, type: `Warning${markup}`, component: `${markup}\u2066` }),
      hostileEvent(namespace, { reason: `E2eLong${'r'.repeat(1100)}`, message: 'a very long reason', type: 'Normal', component: 'e2e' }),
    ]);
    await window.contextMenu(window.cluster(name), 'Show Events');
    await window.tab(`Events: ${name}`).waitFor();
    const pane = window.webview();
    const hostile = pane.locator('table.events tbody tr', { hasText: 'E2eHostile' });
    await hostile.waitFor();
    await pane.locator('table.events tbody tr', { hasText: 'a very long reason' }).waitFor();
    const cells = await hostile.locator('td').allTextContents();
    assert.ok(cells.some((c) => c === `E2eHostile${markup}${shownBidi}`), `the reason shows as text with the override marked: ${JSON.stringify(cells)}`);
    assert.ok(cells.some((c) => c === `${markup}${shownBidi}abc⟨U+0007⟩`), 'the message shows as text, controls marked');
    assert.ok(cells.every((c) => !c.includes(bidi) && !c.includes('\u0007') && !c.includes('\u2066')), 'no raw control or bidi character reaches the page');
    assert.equal(await pane.locator('table.events b, table.events img, table.events script, table.events i').count(), 0, 'no element made from event text');
    assert.equal(await hostile.locator('td').nth(3).getAttribute('title'), `from ${markup}⟨U+2066⟩`, 'the source, in the message\'s tooltip, is text too');
    // A later event still arrives: the oversized row did not stop the pane.
    await kubectlCreate([hostileEvent(namespace, { reason: 'E2eAfterward', message: 'after the hostile ones', type: 'Normal', component: 'e2e' })]);
    await pane.locator('table.events tbody tr', { hasText: 'E2eAfterward' }).waitFor();
    await window.screenshot('markup-events');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation');
  });

  it('shows hostile log lines as text, drops colour escapes, and goes on after a 100,000-character line', async () => {
    await window.expand(name);
    await window.revealBelow(name, 1);
    await window.contextMenu(window.instance('instance-0'), 'Show Logs');
    await window.tab(`Logs: instance-0 (${name})`).waitFor();
    const log = window.webview().locator('#log');
    await log.locator('.line', { hasText: 'instance 0 started' }).waitFor();
    appendFileSync(logFile, criLine(`hostile ${markup} ${bidi}cba \u001b[31mred\u001b[0m`) + criLine(`long ${'x'.repeat(100_000)}`) + criLine('after the long line'));
    const hostile = log.locator('.line', { hasText: 'hostile' });
    await hostile.waitFor();
    await log.locator('.line', { hasText: 'after the long line' }).waitFor();
    const text = await hostile.textContent();
    assert.ok(text?.includes(`hostile ${markup} ${shownBidi}cba red`), `the line shows as text, the override marked, the colours dropped: ${JSON.stringify(text)}`);
    assert.equal(await log.locator('b, img, script').count(), 0, 'no element made from a log line');
    await window.screenshot('markup-logs');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation');
  });

  it('shows a server\'s refusal full of markup as text in the form, which keeps the input', async () => {
    await window.runCommand('Create CMP Cluster');
    await window.tab('Create CMP Cluster').and(window.page.locator('.active')).waitFor();
    const form = window.webview();
    await form.locator('#name input').fill(refusedName);
    await form.locator('#cpu input').fill('0.5');
    await form.locator('#memoryGiB input').fill('1');
    await form.locator('#count input').fill('1');
    await form.locator('#labels textarea').fill(`cmp-e2e-hostile=${name}`);
    await form.locator('#create:not([disabled])').waitFor();
    await form.locator('#create').click();
    const banner = form.locator('#banner:not([hidden])');
    await banner.waitFor();
    const shown = await banner.textContent();
    assert.ok(shown?.includes(`${markup} refused ${shownBidi}by policy`), `the refusal shows as text: ${JSON.stringify(shown)}`);
    assert.equal(await form.locator('#banner b, #banner img, #banner script').count(), 0, 'no element made from the message');
    assert.equal(await form.locator('#name input').inputValue(), refusedName, 'the typed name is kept');
    // The notification beside the form carries the same text, inert too.
    const toast = window.toasts.filter({ hasText: `Creating ${refusedName} failed` });
    await toast.waitFor();
    const toastText = (await toast.textContent()) ?? '';
    assert.ok(toastText.includes(shownBidi) && !toastText.includes(bidi), `the notification shows the override as a mark: ${JSON.stringify(toastText)}`);
    await eventually('the failed create to leave nothing', async () => ((await kubectl(['get', 'namespace', `${refusedName}-ns`, '--ignore-not-found', '-o', 'name'])).trim() === '' ? true : undefined));
    await window.screenshot('markup-form-refusal');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation');
  });
});
