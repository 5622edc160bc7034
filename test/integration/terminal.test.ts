// Exec through the apiserver's pods/exec path to kwok, which runs the command on this machine: a
// TTY shell's round trip, exit codes, stderr, the terminal size reaching the process, shells tried
// in turn, the remote shell ended by close, keepalive over an idle session, a frozen network
// found dead, and the tenant's refusal named before anything opens.
import * as assert from 'node:assert/strict';
import type WebSocket from 'ws';
import { ApiError } from '../../src/kube/apiError';
import { execChecks, requireAccess } from '../../src/kube/accessReview';
import { ExecSession, type ExecEnd } from '../../src/kube/streaming/execSession';
import { ShellSession } from '../../src/kube/streaming/shellSession';
import { eventually } from '../support/testPlane';
import { adminClient, OwnedNamespaces, rejection } from './fixtures';
import { clusterWithInstances, Output, withFrontedTransport, withTenantTransport } from './streamFixtures';

describe('terminal: exec into an instance through the API', function () {
  this.timeout(120_000);
  const owned = new OwnedNamespaces();
  const client = adminClient();
  const transport = client.transport;
  let namespace = '';

  before(async () => {
    ({ namespace } = await clusterWithInstances(owned, 'term', 1));
  });

  after(async () => {
    transport.dispose();
    await owned.run();
  });

  function ended(): { promise: Promise<ExecEnd>; onEnd: (end: ExecEnd) => void } {
    let onEnd!: (end: ExecEnd) => void;
    const promise = new Promise<ExecEnd>((resolve) => (onEnd = resolve));
    return { promise, onEnd };
  }

  it('runs a TTY shell: input is answered, and `exit 3` ends it with exit code 3', async () => {
    const output = new Output();
    const end = ended();
    const session = await ExecSession.open(transport, { namespace, pod: 'instance-0', command: ['sh'], tty: true, size: { columns: 80, rows: 24 } }, { onOutput: output.add, onEnd: end.onEnd });
    session.write('echo answer-$((6*7))\r');
    await output.waitFor(/answer-42/);
    session.write('exit 3\r');
    assert.deepEqual(await end.promise, { kind: 'exited', code: 3 });
  });

  it('without a TTY keeps stdout and stderr apart and reports the exit code', async () => {
    const stdout = new Output();
    const stderr = new Output();
    const end = ended();
    await ExecSession.open(transport, { namespace, pod: 'instance-0', command: ['sh', '-c', 'echo to-out; echo to-err >&2; exit 5'], tty: false }, {
      onOutput: (data, stream) => (stream === 'stdout' ? stdout : stderr).add(data),
      onEnd: end.onEnd,
    });
    assert.deepEqual(await end.promise, { kind: 'exited', code: 5 });
    assert.equal(stdout.text, 'to-out\n');
    assert.equal(stderr.text, 'to-err\n');
  });

  it('sends the initial size and every resize to the process', async () => {
    const output = new Output();
    const session = await ExecSession.open(transport, { namespace, pod: 'instance-0', command: ['sh'], tty: true, size: { columns: 101, rows: 31 } }, { onOutput: output.add, onEnd: () => undefined });
    await output.waitFor(/cmp-dev\$ $/);
    await sizeSeen(session, output, '31 101');
    session.resize(133, 47);
    await sizeSeen(session, output, '47 133');
    session.close();
  });

  it('tries the shells in turn: a missing one is skipped, and none at all is said plainly', async () => {
    const output = new Output();
    const started: string[] = [];
    const shell = await ShellSession.open(transport, { namespace, pod: 'instance-0', size: { columns: 80, rows: 24 } }, [['cmp-no-such-shell'], ['sh']], { onOutput: output.add, onEnd: () => undefined, onShell: (command) => started.push(command.join(' ')) });
    shell.write('echo shell-$((1+1))\r');
    await output.waitFor(/shell-2/);
    assert.deepEqual(started, ['sh']);
    shell.close();

    const end = ended();
    await ShellSession.open(transport, { namespace, pod: 'instance-0', size: { columns: 80, rows: 24 } }, [['cmp-missing-a'], ['cmp-missing-b']], { onOutput: () => undefined, onEnd: end.onEnd });
    const last = await end.promise;
    assert.equal(last.kind, 'failed');
    assert.match((last as { message: string }).message, /^No shell found in instance-0: tried cmp-missing-a, cmp-missing-b \(.*executable file not found/);
  });

  it('close() ends the remote shell', async () => {
    const output = new Output();
    const session = await ExecSession.open(transport, { namespace, pod: 'instance-0', command: ['sh'], tty: true, size: { columns: 80, rows: 24 } }, { onOutput: output.add, onEnd: () => undefined });
    session.write('echo shell=$$\r');
    const shell = Number((await output.waitFor(/shell=(\d+)/))[1]);
    assert.ok(processExists(shell), `the remote shell (pid ${shell}) runs`);
    session.close();
    await eventually(`the shell (pid ${shell}) to end`, async () => (processExists(shell) ? undefined : true), 15_000);
  });

  it('stays open while idle (keepalive pings answered) and finds a frozen network dead', async () => {
    await withFrontedTransport(async (fronted, front) => {
      const output = new Output();
      const end = ended();
      const session = await ExecSession.open(fronted, { namespace, pod: 'instance-0', command: ['sh'], tty: true, size: { columns: 80, rows: 24 } }, { onOutput: output.add, onEnd: end.onEnd }, { keepaliveMs: 200 });
      const pongs = await countPongs(session, 5);
      assert.ok(pongs >= 5);
      session.write('echo still-$((2+3))\r');
      await output.waitFor(/still-5/);
      front.freeze();
      const last = await end.promise;
      assert.equal(last.kind, 'lost');
      assert.match((last as { message: string }).message, /^no answer from the server for \d+ s$/);
    });
  });

  it('with the tenant kubeconfig, outside its namespace: refused before opening, naming verb and resource', async () => {
    await withTenantTransport(async (tenant) => {
      const error = await rejection(requireAccess(tenant, execChecks(namespace, 'instance-0')), ApiError);
      assert.equal(error.status, 403);
      assert.equal(error.message, `You may not create pods/exec in namespace ${namespace}, nor get pods/exec in namespace ${namespace} (asked the API with a SelfSubjectAccessReview).`);
      const direct = await rejection(ExecSession.open(tenant, { namespace, pod: 'instance-0', command: ['sh'], tty: true }, { onOutput: () => undefined, onEnd: () => undefined }), ApiError);
      assert.equal(direct.status, 403);
      assert.match(direct.message, /User "tenant" cannot (create|get) resource "pods\/exec"/);
      await requireAccess(client.transport, execChecks(namespace, 'instance-0'));
    });
  });
});

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Asks the shell for its size until it reports `expected`: the size travels on its own stream, so
 * the first `stty size` typed after a resize may run before the resize lands.
 */
async function sizeSeen(session: ExecSession, output: Output, expected: string): Promise<void> {
  const pattern = new RegExp(`(^|\\n)${expected}\\r?\\n`);
  await eventually(`the shell to report size ${expected}`, async () => {
    if (pattern.test(output.text)) return true;
    session.write('stty size\r');
    return undefined;
  }, 10_000, 200);
}

/** Waits for `count` pongs on the session's socket (the keepalive's pings answered). */
function countPongs(session: ExecSession, count: number): Promise<number> {
  const socket = (session as unknown as { socket: WebSocket }).socket;
  return new Promise((resolve) => {
    let seen = 0;
    socket.on('pong', () => {
      seen += 1;
      if (seen === count) resolve(seen);
    });
  });
}
