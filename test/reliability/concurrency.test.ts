// Concurrency, through the fault proxy: two windows (two clients, each its own connection) scale the
// same 4-instance cluster at once, one to 5 and one to 3, again and again. Each time the stored count
// must be one of the asked ones, exactly that many instances live, and each scale report a count it
// was asked for or the other's (the later writer wins, as with a Deployment's replicas).
import * as assert from 'node:assert/strict';
import { parseStoredSpec } from '../../src/core/clusterSpec';
import type { KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { createCluster } from '../../src/kube/clusterCreator';
import { scaleCluster } from '../../src/kube/clusterScaler';
import { adminClient, clusterSpec, instanceRange, kubectlJson, livePodNames, OwnedNamespaces, podsRunning } from '../integration/fixtures';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

const rounds = 8;

describe('reliability: two scales in opposite directions', function () {
  this.timeout(5 * 60_000);
  let proxied: Proxied;
  const direct = adminClient();
  const owned = new OwnedNamespaces();
  let held = 0;

  before(async () => {
    proxied = await startProxied();
  });
  after(async () => {
    recordFigure({ measure: `concurrency: two scales at once, 4 → 5 and 4 → 3, ${rounds} times`, value: `${held} of ${rounds} ended at one asked count, stored = live`, goal: 'all', met: held === rounds });
    await proxied.close();
    direct.transport.dispose();
    await owned.run();
  });

  it(`converge ${rounds} times out of ${rounds} to one asked count, stored and live alike`, async () => {
    for (let round = 0; round < rounds; round++) {
      const spec = clusterSpec('tug', { count: 4 });
      const namespace = owned.add(`${spec.name}-ns`);
      await createCluster(direct, spec, { concurrency: 4 });
      await podsRunning(namespace, instanceRange(4));
      const [one, two] = [proxied.client(), proxied.client()];
      const [up, down] = await Promise.all([
        scaleCluster(one, namespace, 5, { concurrency: 5 }),
        scaleCluster(two, namespace, 3, { concurrency: 5 }),
      ]);
      one.transport.dispose();
      two.transport.dispose();
      const results = `up: ${JSON.stringify(up)}, down: ${JSON.stringify(down)}`;
      const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
      const stored = parseStoredSpec(ns.metadata.annotations?.[specAnnotation])?.count;
      assert.ok(stored === 5 || stored === 3, `the stored count ${String(stored)} is one of the asked ones (${results})`);
      assert.deepEqual(await livePodNames(namespace), instanceRange(stored), `exactly the stored count of instances is live (${results})`);
      // The one that finished last reports the state it left; one that finished first, the state it left then.
      assert.ok([up.to, down.to].includes(stored), results);
      for (const result of [up, down]) assert.ok(result.to === 5 || result.to === 3, results);
      held += 1;
    }
  });
});
