// Recovery after the apiserver restarts (npm run cluster:restart-apiserver, etcd kept): the tree's
// cache, reached through the fault proxy, shows a change made after /readyz within 10 s, and the
// request rate stays bounded while the server is away.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ClusterCache } from '../../src/kube/clusterCache';
import { eventually, kubectl, uniqueName } from '../support/testPlane';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

const run = promisify(execFile);

describe('reliability: recovery after an apiserver restart', function () {
  this.timeout(180_000);
  let proxied: Proxied;
  const made: string[] = [];
  before(async () => {
    proxied = await startProxied();
  });
  after(async () => {
    await proxied.close();
    if (made.length) await kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...made]);
  });

  it('shows a change made after /readyz within 10 s, with a bounded request rate meanwhile', async () => {
    const cache = new ClusterCache(proxied.client(), { fallbackNamespaces: () => [] });
    try {
      await cache.start();
      await eventually('the cache to be ready', async () => (cache.state.kind === 'ready' ? true : undefined));
      const began = Date.now();
      // Returns once the new apiserver answers /readyz.
      await run(process.execPath, ['test/cluster/plane.mjs', 'restart-apiserver']);
      const ready = Date.now();
      const rate = proxied.proxy.maxPerSecond(began);
      const name = `${uniqueName('restart')}-ns`;
      made.push(name);
      await kubectl(['create', 'namespace', name]);
      await kubectl(['label', 'namespace', name, 'managed-by=cmp', 'cluster-namespace=true']);
      await eventually('the cache to list the namespace made after the restart', async () => (cache.cluster(name) ? true : undefined), 60_000, 100);
      const ms = Date.now() - ready;
      recordFigure({ measure: `apiserver restart (${((ready - began) / 1000).toFixed(1)} s away): a change after /readyz reaches the tree after`, value: `${(ms / 1000).toFixed(1)} s`, goal: '≤ 10 s', met: ms <= 10_000 });
      recordFigure({ measure: 'apiserver restart: most requests in one second while it was away (tree open)', value: String(rate), goal: '≤ 10', met: rate <= 10 });
      assert.ok(ms <= 10_000, `${ms} ms after /readyz`);
      assert.ok(rate <= 10, `${rate} requests in the busiest second`);
    } finally {
      cache.dispose();
    }
  });
});
