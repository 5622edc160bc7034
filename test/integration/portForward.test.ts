// Port forwards through the apiserver's pods/portforward path to kwok, which forwards port 8080 to
// the plane's instance-web service and other ports to `cat`: bytes both ways on 20 connections at
// once, a taken local port refused, the forward following its pod through delete and recreate,
// retrying while the network is frozen, a cut stream reaching the client as a reset, stopping when its cluster is deleted, and the tenant's
// refusal named before anything listens.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, createServer } from 'node:net';
import { ApiError } from '../../src/kube/apiError';
import { portForwardChecks, requireAccess } from '../../src/kube/accessReview';
import { goneForGood } from '../../src/kube/streaming/instanceFate';
import { PortForward, type ForwardState } from '../../src/kube/streaming/portForward';
import { fetchText } from '../support/localHttp';
import { eventually, kubectl } from '../support/testPlane';
import { adminClient, kubectlCreate, OwnedNamespaces, podObject, podsRunning, rejection } from './fixtures';
import { clusterWithInstances, withFrontedTransport, withTenantTransport } from './streamFixtures';

/** POSTs `body` to localhost:port and returns what came back (instance-web echoes POST bodies). */
function echo(port: number, body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/echo', headers: { 'content-length': body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks)));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('port forward: local ports to an instance through the API', function () {
  this.timeout(180_000);
  const owned = new OwnedNamespaces();
  const client = adminClient();
  const transport = client.transport;
  const forwards: PortForward[] = [];
  let namespace = '';
  let cluster = '';

  before(async () => {
    ({ namespace, cluster } = await clusterWithInstances(owned, 'fwd', 1));
  });

  afterEach(() => {
    for (const forward of forwards.splice(0)) forward.stop();
  });

  after(async () => {
    transport.dispose();
    await owned.run();
  });

  async function start(remotePort: number, localPort = 0, events: { states?: ForwardState[]; notices?: string[] } = {}): Promise<PortForward> {
    const forward = await PortForward.start(transport, { namespace, pod: 'instance-0', remotePort, localPort }, {
      onState: (state) => events.states?.push(state),
      onNotice: (text) => events.notices?.push(text),
    }, { goneForGood: () => goneForGood(client, namespace, 'instance-0') });
    forwards.push(forward);
    return forward;
  }

  it('carries bytes both ways on 20 connections at once, each its own stream', async () => {
    const forward = await start(8080);
    assert.ok(forward.localPort > 0);
    const bodies = Array.from({ length: 20 }, () => randomBytes(256 * 1024));
    const answers = await Promise.all(bodies.map((body) => echo(forward.localPort, body)));
    answers.forEach((answer, i) => assert.ok(answer.equals(bodies[i] as Buffer), `connection ${i} got ${answer.length} bytes back, not its own 262144`));
    assert.equal(await fetchText(forward.localPort, '/hello'), 'hello from a cmp-dev instance: GET /hello\n');
  });

  it('forwards a raw TCP port (an echo) byte for byte', async () => {
    const forward = await start(7);
    const socket = connect(forward.localPort, '127.0.0.1');
    const sent = randomBytes(1024 * 1024);
    const got: Buffer[] = [];
    let size = 0;
    const all = new Promise<void>((resolve) => socket.on('data', (chunk: Buffer) => {
      got.push(chunk);
      size += chunk.length;
      if (size >= sent.length) resolve();
    }));
    socket.write(sent);
    await all;
    socket.destroy();
    assert.ok(Buffer.concat(got).equals(sent));
  });

  it('still carries the answer to a client that ended its side after sending (half-close)', async () => {
    const forward = await start(7);
    const socket = connect(forward.localPort, '127.0.0.1');
    const got = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('sent then ended\n')) resolve(text);
      });
    });
    socket.end('sent then ended\n');
    assert.equal(await got, 'sent then ended\n');
    socket.destroy();
  });

  it('refuses a local port another program holds, with a clear error, and listens on nothing', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const taken = (holder.address() as { port: number }).port;
    try {
      const error = await rejection(start(8080, taken), Error);
      assert.equal(error.message, `Local port ${taken} is already in use by another program: choose another, or leave it empty for a free one.`);
    } finally {
      holder.close();
    }
  });

  it('follows the instance through delete and recreate (new uid), says so, and forwards again', async () => {
    const states: ForwardState[] = [];
    const notices: string[] = [];
    const forward = await start(8080, 0, { states, notices });
    await eventually('the forward to be active', async () => (forward.state.kind === 'active' ? true : undefined));
    assert.match(await fetchText(forward.localPort), /^hello/);
    await kubectl(['delete', 'pod', '-n', namespace, 'instance-0', '--wait=true']);
    await eventually('the forward to wait for the instance', async () => (forward.state.kind === 'waiting' ? true : undefined));
    // A connection made while the instance is away waits for it, then gets its answer.
    const early = fetchText(forward.localPort, '/early');
    await kubectlCreate(podObject(namespace, 'instance-0', { 'managed-by': 'cmp', cluster }));
    await podsRunning(namespace, ['instance-0'], 60_000);
    assert.equal(await early, 'hello from a cmp-dev instance: GET /early\n');
    await eventually('the forward to be active again', async () => (forward.state.kind === 'active' ? true : undefined), 30_000);
    assert.ok(notices.includes('instance-0 was recreated (new uid)'), notices.join('\n'));
    assert.ok(notices.includes('resumed: forwarding to instance-0 again'), notices.join('\n'));
    assert.ok(states.some((s) => s.kind === 'waiting' && /instance-0 (was deleted|is terminating)/.test(s.reason)), JSON.stringify(states));
    assert.match(await fetchText(forward.localPort, '/after'), /GET \/after/);
  });

  it('retries a connection while the network to the API is frozen, and carries it once it thaws', async () => {
    await withFrontedTransport(async (fronted, front) => {
      const forward = await PortForward.start(fronted, { namespace, pod: 'instance-0', remotePort: 8080, localPort: 0 });
      forwards.push(forward);
      await eventually('the forward to be active', async () => (forward.state.kind === 'active' ? true : undefined));
      front.cutAll();
      front.freeze();
      const answer = fetchText(forward.localPort, '/thawed');
      await eventually('the connection to wait at the front', async () => (forward.connections === 1 ? true : undefined));
      front.thaw();
      assert.equal(await answer, 'hello from a cmp-dev instance: GET /thawed\n');
      forward.stop();
    });
  });

  it('resets a local connection whose stream to the API is cut, so the client cannot take it for a complete answer', async () => {
    await withFrontedTransport(async (fronted, front) => {
      const forward = await PortForward.start(fronted, { namespace, pod: 'instance-0', remotePort: 7, localPort: 0 });
      forwards.push(forward);
      const socket = connect(forward.localPort, '127.0.0.1');
      const ended = new Promise<string>((resolve) => {
        socket.once('end', () => resolve('a clean end'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      const echoed = new Promise<void>((resolve) => socket.once('data', () => resolve()));
      socket.write('ping\n');
      await echoed;
      front.cutAll();
      assert.equal(await ended, 'ECONNRESET');
      forward.stop();
    });
  });

  it('with the tenant kubeconfig, outside its namespace: refused before listening, naming verb and resource', async () => {
    await withTenantTransport(async (tenant) => {
      const error = await rejection(requireAccess(tenant, portForwardChecks(namespace, 'instance-0')), ApiError);
      assert.equal(error.message, `You may not create pods/portforward in namespace ${namespace}, nor get pods/portforward in namespace ${namespace} (asked the API with a SelfSubjectAccessReview).`);
    });
  });

  it('stops when its cluster is deleted, and leaves nothing listening', async () => {
    const states: ForwardState[] = [];
    const forward = await start(8080, 0, { states });
    await eventually('the forward to be active', async () => (forward.state.kind === 'active' ? true : undefined));
    const port = forward.localPort;
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
    const stopped = await eventually('the forward to stop', async () => (forward.state.kind === 'stopped' ? forward.state : undefined), 60_000);
    assert.match(stopped.reason, new RegExp(`^the cluster's namespace ${namespace} (was deleted|is being deleted)$`));
    await forward.closed();
    assert.ok(await refused(port), `nothing listens on ${port} any more`);
  });
});
