// The transport and list+watch under faults, through the fault proxy in front of the real plane:
// a stalled TLS handshake, a frozen (black-holed) connection, GOAWAY, a 401, and watches answered
// with 410, an empty stream or an HTML page. Nothing hangs, nothing loops hot, nothing throws
// outside a promise; the figures go to the suite's table.
import * as assert from 'node:assert/strict';
import { resourcePath, resources } from '../../src/core/kubeTypes';
import { ApiError } from '../../src/kube/apiError';
import { ClusterCache } from '../../src/kube/clusterCache';
import { ListWatch } from '../../src/kube/listWatch';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function timed<T>(step: () => Promise<T>): Promise<{ ms: number; result?: T; error?: unknown }> {
  const began = Date.now();
  try {
    const result = await step();
    return { ms: Date.now() - began, result };
  } catch (error) {
    return { ms: Date.now() - began, error };
  }
}

describe('reliability: transport', function () {
  this.timeout(180_000);
  let proxied: Proxied;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  const made: string[] = [];

  before(async () => {
    proxied = await startProxied();
    process.on('uncaughtException', onUncaught);
  });
  afterEach(() => proxied.proxy.clearFaults());
  after(async () => {
    process.off('uncaughtException', onUncaught);
    await proxied.close();
    if (made.length) await kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...made]);
  });

  it('a stalled TLS handshake: a request fails at its deadline, a cancel at once, and the next one after recovery connects', async () => {
    const client = proxied.client();
    proxied.proxy.front.mode = 'stall';
    const deadline = await timed(() => client.transport.request({ method: 'GET', path: '/version', timeoutMs: 2000 }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const cancelled = await timed(() => client.transport.request({ method: 'GET', path: '/version', signal: abort.signal, timeoutMs: 30_000 }));
    proxied.proxy.front.mode = 'pass';
    const after = await timed(() => client.transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version', timeoutMs: 30_000 }));
    assert.ok(deadline.error instanceof ApiError && /timed out/.test(deadline.error.message), `deadline: ${String(deadline.error)}`);
    assert.ok(deadline.ms < 3000, `the request failed after ${deadline.ms} ms, its deadline was 2000 ms`);
    assert.ok(cancelled.error instanceof ApiError && cancelled.error.reason === 'Cancelled', `cancel: ${String(cancelled.error)}`);
    assert.ok(cancelled.ms < 1000, `the cancelled request ended after ${cancelled.ms} ms`);
    assert.match(after.result?.gitVersion ?? String(after.error), /^v1\./);
    recordFigure({ measure: 'stalled TLS handshake: request with a 2 s deadline fails after', value: seconds(deadline.ms), goal: '≤ 3 s, never hangs', met: deadline.ms < 3000 });
    recordFigure({ measure: 'stalled TLS handshake: cancelled request ends after', value: `${cancelled.ms} ms`, goal: '≤ 1 s', met: cancelled.ms < 1000 });
    recordFigure({ measure: 'stalled TLS handshake: first request after recovery answered after', value: seconds(after.ms), goal: '≤ 12 s (one handshake limit)', met: after.ms < 12_000 });
    assert.ok(after.ms < 12_000);
  });

  it('GOAWAY on a request: it is sent again on a new connection, transparently', async () => {
    const client = proxied.client();
    await client.transport.request({ method: 'GET', path: '/version' });
    proxied.proxy.inject((r) => r.path === '/version', { kind: 'goaway' }, 1);
    const answer = await client.transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version', timeoutMs: 10_000 });
    assert.match(answer.gitVersion, /^v1\./);
    const versions = proxied.proxy.requests.filter((r) => r.path === '/version');
    assert.ok(new Set(versions.map((r) => r.connection)).size >= 2, 'the retry came on a new connection');
  });

  it('a 401 is answered once more with fresh credentials', async () => {
    const client = proxied.client();
    const before = proxied.proxy.requests.length;
    proxied.proxy.inject((r) => r.path === '/api/v1/namespaces/default', { kind: 'status', status: 401 }, 1);
    const ns = await client.get(resources.namespaces, undefined, 'default');
    assert.equal(ns.metadata.name, 'default');
    assert.deepEqual(proxied.proxy.requests.slice(before).filter((r) => r.path === '/api/v1/namespaces/default').map((r) => r.status), [401, 200]);
  });

  it('list+watch never loops hot: a watch answered 410, a watch that closes at once, an HTML error page', async () => {
    const client = proxied.client();
    const cases: { what: string; fault: Parameters<Proxied['proxy']['inject']>[1] }[] = [
      { what: 'every watch answered 410 Gone', fault: { kind: 'status', status: 200, body: `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n` } },
      { what: 'every watch closed at once, empty', fault: { kind: 'status', status: 200, body: '' } },
      { what: 'every watch answered with an HTML page', fault: { kind: 'status', status: 200, body: '<html><body>502 Bad Gateway</body></html>\n', headers: { 'content-type': 'text/html' } } },
    ];
    for (const { what, fault } of cases) {
      const path = resourcePath(resources.serviceAccounts, 'default');
      proxied.proxy.inject((r) => r.path === path && r.query.get('watch') === 'true', fault);
      const errors: ApiError[] = [];
      const began = Date.now();
      const watch = new ListWatch(client.transport, { path, minBackoffMs: 200, maxBackoffMs: 2000 }, { onSync: () => undefined, onEvent: () => undefined, onError: (error) => errors.push(error) });
      watch.start();
      await new Promise((done) => setTimeout(done, 6000));
      watch.dispose();
      await watch.stopped;
      const sent = proxied.proxy.requests.filter((r) => r.path === path && r.at >= began);
      const rate = proxied.proxy.maxPerSecond(began);
      proxied.proxy.clearFaults();
      recordFigure({ measure: `list+watch, ${what}: most requests in one second (6 s)`, value: String(rate), goal: '≤ 10 (backoff, never a hot loop)', met: rate <= 10 });
      assert.ok(rate <= 10, `${what}: ${sent.length} requests in 6 s, ${rate} in the busiest second`);
      assert.ok(sent.length >= 3, `${what}: it kept trying (${sent.length} requests)`);
      if (what.includes('HTML')) assert.ok(errors.some((e) => /not a watch event/.test(e.message)), 'the HTML page is reported as an error');
    }
    assert.deepEqual(uncaught, [], 'no exception escaped a socket callback');
  });

  it('a frozen connection is found by its PING; the cache shows a change made meanwhile within 90 s', async function () {
    this.timeout(150_000);
    const client = proxied.client();
    const cache = new ClusterCache(client, { fallbackNamespaces: () => [] });
    try {
      await cache.start();
      await eventually('the cache to be ready', async () => (cache.state.kind === 'ready' ? true : undefined));
      // The network strands the open connection (as a VPN change or a sleeping laptop does); new ones get through.
      proxied.proxy.front.freezeOpen();
      const name = `${uniqueName('frozen')}-ns`;
      made.push(name);
      await kubectl(['create', 'namespace', name]);
      await kubectl(['label', 'namespace', name, 'managed-by=cmp', 'cluster-namespace=true']);
      const changed = Date.now();
      await eventually('the cache to list the namespace made during the freeze', async () => (cache.cluster(name) ? true : undefined), 120_000, 250);
      const ms = Date.now() - changed;
      recordFigure({ measure: 'frozen connection: a change made meanwhile reaches the tree after', value: seconds(ms), goal: '≤ 90 s', met: ms <= 90_000 });
      assert.ok(ms <= 90_000, `${ms} ms`);
    } finally {
      cache.dispose();
      proxied.proxy.front.thaw();
    }
  });
});
