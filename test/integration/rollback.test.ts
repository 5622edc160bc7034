// createCluster's rollback against the local plane: an instance the API refuses (quota exceeded) or a
// cancel at any point deletes the namespace the create made, so no half-made cluster stays behind.
import * as assert from 'node:assert/strict';
import type { ClusterSpec } from '../../src/core/clusterSpec';
import { createCluster, CreateClusterError, type CreateProgress } from '../../src/kube/clusterCreator';
import {
  adminClient, allGuardRails, clusterSpec, instanceRange, kubectlFind, OwnedNamespaces, podsRunning, rejection,
} from './fixtures';

describe('create rolls back', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  /** Runs a create that must fail; returns its error and the progress it reported. */
  async function failingCreate(spec: ClusterSpec, concurrency: number, onProgress?: (p: CreateProgress) => void, signal?: AbortSignal) {
    owned.add(`${spec.name}-ns`);
    const seen: CreateProgress[] = [];
    const error = await rejection(createCluster(client, spec, {
      concurrency,
      signal,
      onProgress: (p) => {
        seen.push(p);
        onProgress?.(p);
      },
    }), CreateClusterError);
    return { error, seen };
  }

  it('when the API refuses an instance: a quota that holds 2 of 3 instances', async () => {
    const spec = clusterSpec('overquota', { count: 3, isolation: allGuardRails(0.25, 0.25, 2) });
    const namespace = `${spec.name}-ns`;
    const { error, seen } = await failingCreate(spec, 1);
    assert.match(error.message, /pods "instance-2" is forbidden: exceeded quota: cluster-quota/);
    assert.match(error.message, /Rolled back: namespace .* was deleted\.$/);
    assert.equal(error.rolledBack, true);
    assert.equal(error.field, undefined);
    assert.ok(seen.some((p) => p.phase === 'instances' && p.done === 2), 'two instances were made before the third was refused');
    assert.equal(seen.at(-1)?.phase, 'rolling-back');
    assert.equal(await kubectlFind(['get', 'namespace', namespace]), undefined, 'the namespace is gone when the create returns');
  });

  it('when cancelled after the first instance was made', async () => {
    const spec = clusterSpec('cancel', { count: 4, isolation: allGuardRails(0.25, 0.25, 4) });
    const namespace = `${spec.name}-ns`;
    const abort = new AbortController();
    const { error, seen } = await failingCreate(spec, 1, (p) => p.phase === 'instances' && p.done === 1 && abort.abort(), abort.signal);
    assert.equal(error.message, `Cancelled. Rolled back: namespace ${namespace} was deleted.`);
    assert.equal(error.rolledBack, true);
    assert.ok(!seen.some((p) => p.phase === 'instances' && p.done > 1), 'no instance was started after the cancel');
    assert.equal(seen.at(-1)?.phase, 'rolling-back');
    assert.equal(await kubectlFind(['get', 'namespace', namespace]), undefined);
  });

  it('when cancelled while the guard rails are being written', async () => {
    const spec = clusterSpec('cancelrails', { count: 2, isolation: allGuardRails(0.25, 0.25, 2) });
    const namespace = `${spec.name}-ns`;
    const abort = new AbortController();
    const { error } = await failingCreate(spec, 2, (p) => p.phase === 'guard-rails' && abort.abort(), abort.signal);
    assert.equal(error.message, `Cancelled. Rolled back: namespace ${namespace} was deleted.`);
    assert.equal(error.rolledBack, true);
    assert.equal(await kubectlFind(['get', 'namespace', namespace]), undefined);
  });

  it('when cancelled while the namespace itself is being written', async () => {
    const spec = clusterSpec('cancelns', { count: 2 });
    const namespace = `${spec.name}-ns`;
    const abort = new AbortController();
    // The cancel lands after the POST left: the server may well create the namespace anyway.
    const { error } = await failingCreate(spec, 2, (p) => p.phase === 'namespace' && setTimeout(() => abort.abort(), 0), abort.signal);
    assert.equal(error.message, `Cancelled. Rolled back: namespace ${namespace} was deleted.`);
    assert.equal(error.rolledBack, true);
    // Give a late-arriving write every chance to show up before concluding nothing was left.
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(await kubectlFind(['get', 'namespace', namespace]), undefined);
  });

  it('writes nothing when cancelled before it starts', async () => {
    const spec = clusterSpec('precancel', { count: 1 });
    owned.add(`${spec.name}-ns`);
    const error = await rejection(createCluster(client, spec, { concurrency: 1, signal: AbortSignal.abort() }), Error);
    assert.equal(error.message, 'Cancelled.');
    assert.ok(!(error instanceof CreateClusterError && error.rolledBack), 'there was nothing to roll back');
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(await kubectlFind(['get', 'namespace', `${spec.name}-ns`]), undefined);
  });

  it('leaves the name free for a retry that then succeeds', async () => {
    const spec = clusterSpec('retry', { count: 3, isolation: allGuardRails(0.25, 0.25, 2) });
    await failingCreate(spec, 3);
    const fixed = { ...spec, isolation: allGuardRails(0.25, 0.25, 3) };
    const created = await createCluster(client, fixed, { concurrency: 3 });
    assert.equal(created.metadata.name, `${spec.name}-ns`);
    const live = await kubectlFind(['get', 'namespace', created.metadata.name]);
    assert.equal(live?.metadata.uid, created.metadata.uid, 'the retried cluster exists');
    await podsRunning(created.metadata.name, instanceRange(3));
  });
});
