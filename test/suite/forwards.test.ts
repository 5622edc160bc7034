// Port Forward and Open Terminal through the real extension: bad ports are refused by the input
// boxes with their own sentences and nothing listens; a taken local port is refused; a good forward
// is listed, carries a request and stops; a terminal opens named after cluster, instance and context;
// Delete Instance and a deleted cluster end the forwards to them.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { ForwardEntry } from '../../src/vscode/forwards/portForwards';
import { fetchText } from '../support/localHttp';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { connectedExtension } from './extensionHarness';

/** Answers the input boxes in turn; records what each box's own check said of its answer. */
function answerBoxes(api: CmpExtensionApi, answers: string[]): { checks: (string | undefined)[]; restore(): void } {
  const real = api.services.prompts;
  const checks: (string | undefined)[] = [];
  let next = 0;
  api.services.prompts = {
    confirm: async () => false,
    inputBox: async (options) => {
      const answer = answers[next++];
      if (answer === undefined) return undefined;
      const check = await options.validateInput?.(answer);
      checks.push(typeof check === 'string' ? check : check?.message);
      return check ? undefined : answer; // a box with an error cannot be accepted: the user is still in it
    },
  };
  return { checks, restore: () => (api.services.prompts = real) };
}

describe('Port Forward and Open Terminal in the extension host', () => {
  let api: CmpExtensionApi;
  const name = uniqueName('fw');
  const ns = `${name}-ns`;

  before(async () => {
    api = await connectedExtension();
    await kubectl(['create', 'namespace', ns]);
    await kubectl(['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
    await eventually('the default service account', async () => ((await kubectl(['get', 'serviceaccount', 'default', '-n', ns, '-o', 'name'])).trim() ? true : undefined), 60_000);
    await kubectl(['run', 'instance-0', '-n', ns, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`]);
    await eventually('the tree to show the instance ready', async () => {
      const state = api.services.session.state;
      return state.kind === 'connected' && state.cache.cluster(ns)?.instances[0]?.ready ? true : undefined;
    }, 60_000);
  });

  after(async () => {
    api.services.forwards.stopAll('the test ended');
    await kubectl(['delete', 'namespace', ns, '--wait=false', '--ignore-not-found']).catch(() => undefined);
  });

  const instanceNode = () => api.services.tree.getChildren(api.services.tree.clusterNode(ns))[0];

  async function forward(answers: string[]): Promise<{ entry: ForwardEntry | undefined; checks: (string | undefined)[] }> {
    const boxes = answerBoxes(api, answers);
    try {
      const entry = (await vscode.commands.executeCommand('cmp.portForward', instanceNode())) as ForwardEntry | undefined;
      return { entry, checks: boxes.checks };
    } finally {
      boxes.restore();
    }
  }

  it('refuses ports 0, 65536 and abc in the boxes, each with its own sentence, and opens nothing', async () => {
    const cases: [string[], string][] = [
      [['0'], 'Port 0 is out of range: ports go from 1 to 65535.'],
      [['65536'], 'Port 65536 is out of range: ports go from 1 to 65535.'],
      [['abc'], '"abc" is not a port: type a whole number from 1 to 65535.'],
      [['8080', '0'], 'Port 0 is out of range: ports go from 1 to 65535 (leave it empty for a free one).'],
      [['8080', '65536'], 'Port 65536 is out of range: ports go from 1 to 65535 (leave it empty for a free one).'],
    ];
    for (const [answers, expected] of cases) {
      const { entry, checks } = await forward(answers);
      assert.equal(entry, undefined);
      assert.equal(checks[checks.length - 1], expected, `answers ${answers.join(', ')}`);
    }
    assert.deepEqual(api.services.forwards.list(), []);
  });

  it('refuses a local port another program holds, and lists nothing', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    try {
      const taken = (holder.address() as { port: number }).port;
      const { entry } = await forward(['8080', String(taken)]);
      assert.equal(entry, undefined);
      assert.deepEqual(api.services.forwards.list(), []);
    } finally {
      holder.close();
    }
  });

  it('lists a good forward, carries a request through it, and Stop closes it', async () => {
    const { entry } = await forward(['8080', '']);
    assert.ok(entry, 'a forward started');
    assert.match(entry.label, new RegExp(`^localhost:\\d+ → ${name}/instance-0:8080$`));
    assert.equal(await fetchText(entry.localPort, '/from-host'), 'hello from a cmp-dev instance: GET /from-host\n');
    assert.deepEqual(api.services.forwards.list().map((e) => e.id), [entry.id]);
    // A reload of the same context (Refresh) keeps it; its transport is its own.
    api.services.session.reload();
    await eventually('the extension to reconnect', async () => (api.services.session.state.kind === 'connected' ? true : undefined));
    assert.equal(await fetchText(entry.localPort, '/from-host'), 'hello from a cmp-dev instance: GET /from-host\n');
    await vscode.commands.executeCommand('cmp.stopForward', entry);
    assert.deepEqual(api.services.forwards.list(), []);
    await assert.rejects(fetchText(entry.localPort, '/from-host'), /ECONNREFUSED/);
  });

  it('opens a terminal named after the cluster, the instance and the context', async () => {
    const state = api.services.session.state;
    assert.ok(state.kind === 'connected');
    const terminal = (await vscode.commands.executeCommand('cmp.openTerminal', instanceNode())) as vscode.Terminal | undefined;
    try {
      assert.ok(terminal, 'a terminal opened');
      assert.equal(terminal.name, `CMP: ${name}/instance-0 (${state.contextName})`);
    } finally {
      terminal?.dispose();
    }
  });

  it('ends the forwards to an instance deleted with Delete Instance, and those of a cluster deleted by anyone', async () => {
    const first = (await forward(['8080', ''])).entry;
    assert.ok(first, 'a forward started');
    const real = api.services.prompts;
    api.services.prompts = { ...real, confirm: async () => true };
    try {
      await vscode.commands.executeCommand('cmp.deleteInstance', instanceNode());
    } finally {
      api.services.prompts = real;
    }
    assert.deepEqual(api.services.forwards.list(), [], 'Delete Instance stopped the forward to it');
    await assert.rejects(fetchText(first.localPort, '/'), /ECONNREFUSED/);

    await eventually('instance-0 to be gone', async () => ((await kubectl(['get', 'pod', 'instance-0', '-n', ns, '--ignore-not-found', '-o', 'name'])).trim() ? undefined : true), 60_000);
    await kubectl(['run', 'instance-0', '-n', ns, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name}`]);
    await eventually('the instance ready again', async () => {
      const state = api.services.session.state;
      return state.kind === 'connected' && state.cache.cluster(ns)?.instances[0]?.ready ? true : undefined;
    }, 60_000);
    const second = (await forward(['8080', ''])).entry;
    assert.ok(second, 'a second forward started');
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
    await eventually('the forward to stop with its cluster', async () => (api.services.forwards.list().length === 0 ? true : undefined), 30_000);
    await assert.rejects(fetchText(second.localPort, '/'), /ECONNREFUSED/);
  });
});
