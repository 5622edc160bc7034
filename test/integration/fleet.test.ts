// Several contexts at once, each on its own real plane (npm test runs two: cmp-dev, cmp-dev-2):
// each ContextConnection has its own transport and cache, the same cluster name in both is two
// clusters, a delete through one never reaches the other, and a stopped apiserver makes only its
// own context unreachable, which comes back live on its own once the apiserver is started again.
import * as assert from 'node:assert/strict';
import type { ClusterSpec } from '../../src/core/clusterSpec';
import { createCluster } from '../../src/kube/clusterCreator';
import { deleteCluster } from '../../src/kube/clusterDeleter';
import { ContextConnection } from '../../src/kube/contextConnection';
import { loadKubeconfig, locateKubeconfig } from '../../src/kube/kubeconfigLoader';
import { eventually, fleetKubeconfigPath, planeCli } from '../support/testPlane';
import { clusterSpec } from './fixtures';

describe('two contexts on two planes', function () {
  this.timeout(120_000);
  const connections = new Map<string, ContextConnection>();
  const made: { context: string; namespace: string }[] = [];
  const connection = (context: string): ContextConnection => {
    const found = connections.get(context);
    assert.ok(found, `a connection for ${context}`);
    return found;
  };

  before(async () => {
    const { kc } = loadKubeconfig(locateKubeconfig(fleetKubeconfigPath()));
    for (const context of ['cmp-dev', 'cmp-dev-2']) {
      const made = new ContextConnection(context, kc, { poolSize: 4, fallbackNamespaces: () => [], onLog: () => undefined });
      connections.set(context, made);
      await made.start();
    }
    await eventually('both contexts live', async () => ([...connections.values()].every((c) => c.status.kind === 'live') ? true : undefined));
  });

  after(async () => {
    await planeCli(2, ['start-apiserver']);
    for (const { context, namespace } of made) await deleteCluster(connection(context).client, namespace).catch(() => undefined);
    connections.forEach((c) => c.dispose());
  });

  it('talks to a server of its own per context', () => {
    assert.notEqual(connection('cmp-dev').server, connection('cmp-dev-2').server);
  });

  it('the same cluster name in both contexts is two clusters; deleting one leaves the other', async () => {
    const spec: ClusterSpec = clusterSpec('twin', { count: 1 });
    const created = await Promise.all(['cmp-dev', 'cmp-dev-2'].map(async (context) => {
      made.push({ context, namespace: `${spec.name}-ns` });
      return createCluster(connection(context).client, spec, { concurrency: 2 });
    }));
    assert.notEqual(created[0]?.metadata.uid, created[1]?.metadata.uid);
    const listed = await eventually('each cache to list its own twin', async () => {
      const views = ['cmp-dev', 'cmp-dev-2'].map((c) => connection(c).cache.cluster(`${spec.name}-ns`));
      return views.every((v) => v?.instances.length === 1) ? views : undefined;
    });
    assert.deepEqual(listed.map((v) => v?.uid), created.map((c) => c?.metadata.uid), 'each context shows the namespace made through it');

    await deleteCluster(connection('cmp-dev-2').client, `${spec.name}-ns`, { expectedUid: created[1]?.metadata.uid });
    await eventually('the twin in cmp-dev-2 to go', async () => {
      const view = connection('cmp-dev-2').cache.cluster(`${spec.name}-ns`);
      return !view || view.terminating ? true : undefined;
    }, 30_000);
    const kept = connection('cmp-dev').cache.cluster(`${spec.name}-ns`);
    assert.equal(kept?.uid, created[0]?.metadata.uid, 'the twin in cmp-dev is untouched');
    assert.equal(kept?.terminating, false);
  });

  it('a stopped apiserver makes only its context unreachable; it comes back live on its own', async () => {
    await planeCli(2, ['stop-apiserver']);
    const down = await eventually('cmp-dev-2 to be unreachable', async () => {
      const status = connection('cmp-dev-2').status;
      return status.kind === 'unreachable' ? status : undefined;
    }, 60_000);
    assert.match(down.message, /Cannot reach https:\/\/127\.0\.0\.1:\d+/);
    assert.equal(connection('cmp-dev').status.kind, 'live', 'the other context stays live');
    // And keeps following its plane meanwhile.
    const spec = clusterSpec('while-down', { count: 1 });
    made.push({ context: 'cmp-dev', namespace: `${spec.name}-ns` });
    await createCluster(connection('cmp-dev').client, spec, { concurrency: 2 });
    await eventually('cmp-dev to list the cluster made while cmp-dev-2 is down', async () => connection('cmp-dev').cache.cluster(`${spec.name}-ns`));

    await planeCli(2, ['start-apiserver']);
    await eventually('cmp-dev-2 live again', async () => (connection('cmp-dev-2').status.kind === 'live' ? true : undefined), 60_000);
  });
});
