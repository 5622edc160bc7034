// @ts-check
/* global describe, it, before, after */
// Flow 6, the Logs pane: an instance's log streams as lines are written, and the cluster's pane
// merges every instance's log with each line prefixed by its instance.
import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteNamespaces, kubectl, kubectlCreate, kubectlInstance, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

/** One container log line as the kubelet (here kwok) stores it. @param {string} text */
const criLine = (text) => `${new Date().toISOString()} stdout F ${text}\n`;

describe('e2e 6: the Logs pane', function () {
  this.timeout(240_000);
  const name = uniqueName('logs');
  const namespace = `${name}-ns`;
  // The plane runs on this machine: kwok serves each pod's log from a file named by a Logs object.
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-logs-'));
  const logFile = (/** @type {number} */ i) => join(dir, `instance-${i}.log`);
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    for (const i of [0, 1]) {
      writeFileSync(logFile(i), criLine(`instance ${i} started`) + criLine(`instance ${i} listening on :8080`));
      await kubectlCreate([{ apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: `instance-${i}`, namespace }, spec: { logs: [{ logsFile: logFile(i), follow: true }] } }]);
      await kubectlInstance(name, i);
    }
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '2/2 ready' }).waitFor();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams an instance\'s log as lines are written', async () => {
    await window.expand(name);
    await window.revealBelow(name, 2);
    await window.contextMenu(window.instance('instance-0'), 'Show Logs');
    await window.tab(`Logs: instance-0 (${name})`).waitFor();
    const log = window.webview().locator('#log');
    await log.locator('.line', { hasText: 'instance 0 listening on :8080' }).waitFor();
    appendFileSync(logFile(0), criLine('GET /healthz 200 <b>ok</b>'));
    const live = log.locator('.line', { hasText: 'GET /healthz 200 <b>ok</b>' });
    await live.waitFor();
    assert.equal(await log.locator('b').count(), 0, 'markup in a log line stays text');
    assert.equal(await log.locator('.line', { hasText: 'instance 1' }).count(), 0, 'only instance-0\'s lines');
    await window.screenshot('logs-instance');
  });

  it('merges the cluster\'s instances, each line prefixed by its instance', async () => {
    await window.contextMenu(window.cluster(name), 'Show Logs');
    await window.tab(`Logs: ${name}`).and(window.page.locator('.active')).waitFor();
    const log = window.webview().locator('#log');
    for (const i of [0, 1]) {
      const line = log.locator('.line', { hasText: `instance ${i} listening on :8080` });
      await line.waitFor();
      assert.equal((await line.locator('.src').textContent())?.trim(), `instance-${i}`);
    }
    appendFileSync(logFile(1), criLine('instance 1 says hello'));
    const live = log.locator('.line', { hasText: 'instance 1 says hello' });
    await live.waitFor();
    assert.equal((await live.locator('.src').textContent())?.trim(), 'instance-1');
    await window.screenshot('logs-cluster');
    assert.deepEqual(window.cspViolations(), [], 'no CSP violation');
  });
});
