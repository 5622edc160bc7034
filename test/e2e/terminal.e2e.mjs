// @ts-check
/* global describe, it, before, after */
// Flow 7, working inside an instance: Open Terminal from the instance's context menu gives a shell
// (kwok runs it on this machine through the apiserver's exec path) that answers what is typed;
// Port Forward asks the ports (the one the container declares offered), lists the forward in the
// Port Forwards view and the status bar, carries a real HTTP request, and Stop ends it.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { deleteNamespaces, eventually, kubectl, uniqueName } from './kube.mjs';
import { Workbench } from './workbench.mjs';

/** GET http://127.0.0.1:port/path as text. @param {number} port @param {string} path @returns {Promise<string>} */
function fetchText(port, path) {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    }).on('error', reject).end();
  });
}

describe('e2e 7: a terminal and a port forward on an instance', function () {
  this.timeout(240_000);
  const name = uniqueName('work');
  const namespace = `${name}-ns`;
  /** @type {Workbench} */
  let window;

  before(async () => {
    await kubectl(['create', 'namespace', namespace]);
    await kubectl(['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    const container = { name: 'instance', image: 'nginx:1.27', ports: [{ containerPort: 8080, name: 'http' }], resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '250m', memory: '256Mi' } } };
    await kubectl(['run', 'instance-0', '-n', namespace, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`, `--overrides=${JSON.stringify({ spec: { containers: [container] } })}`]);
    window = await Workbench.open();
    await window.showClusters();
    await window.cluster(name).filter({ hasText: '1/1 ready' }).waitFor();
    await window.expand(name);
    await window.instance('instance-0').first().waitFor();
  });

  after(async () => {
    await window?.close();
    await deleteNamespaces([namespace]);
  });

  it('Open Terminal: a shell named after the cluster and instance answers what is typed', async () => {
    await window.contextMenu(window.instance('instance-0').first(), 'Open Terminal');
    const terminal = window.page.locator('.terminal-wrapper.active .xterm-rows, .terminal-wrapper .xterm-rows').last();
    // Typing may start at once: input waits for the shell's first words (its prompt).
    await terminal.filter({ hasText: `Connecting to instance-0 in ${namespace}` }).waitFor();
    // The terminal is named after the cluster, the instance and the context.
    await window.page.locator(`[aria-label*="CMP: ${name}/instance-0 ("]`).or(window.page.getByText(`CMP: ${name}/instance-0 (`)).first().waitFor();
    await window.page.locator('.terminal-wrapper .xterm').last().click();
    await window.page.keyboard.type('echo e2e-$((40+2))');
    await window.page.keyboard.press('Enter');
    await terminal.filter({ hasText: 'e2e-42' }).waitFor();
    await window.screenshot('terminal');
    // Ctrl-D passes through: the shell ends, and the terminal says so and offers to reconnect.
    await window.page.keyboard.press('Control+D');
    await terminal.filter({ hasText: 'Press Enter to reconnect' }).waitFor();
  });

  it('Port Forward: offers the declared port, lists the forward, carries a request, and Stop ends it', async () => {
    await window.showClusters();
    await window.contextMenu(window.instance('instance-0').first(), 'Port Forward…');
    await window.quickInput.locator('input').waitFor();
    assert.equal(await window.quickInput.locator('input').inputValue(), '8080', 'the port the container declares is offered');
    assert.match(await window.quickInput.innerText(), /declare: 8080 \(http\)/);
    // The local port's box follows at once, so the widget never hides in between.
    await window.quickInput.locator('input').press('Enter');
    await window.quickInput.filter({ hasText: 'Local port on 127.0.0.1' }).waitFor();
    await window.answerInput('');
    const forwards = window.page.getByRole('tree', { name: 'Port Forwards' });
    const row = forwards.getByRole('treeitem', { name: new RegExp(`localhost:\\d+ → ${name}/instance-0:8080`) });
    await row.waitFor();
    const label = (await row.getAttribute('aria-label')) ?? '';
    const localPort = Number(/localhost:(\d+)/.exec(label)?.[1]);
    assert.ok(localPort > 0, label);
    assert.equal(await fetchText(localPort, '/from-e2e'), 'hello from a cmp-dev instance: GET /from-e2e\n');
    await window.page.locator('[aria-label="CMP: 1 port forward"]').first().waitFor();
    await window.screenshot('port-forward');
    await row.hover();
    await row.getByRole('button', { name: 'Stop Port Forward' }).click();
    await row.waitFor({ state: 'detached' });
    await eventually('the local port to be closed', async () => (await fetchText(localPort, '/').then(() => undefined, () => true)), 10_000);
  });
});
