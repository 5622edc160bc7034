// Replace instances against the local plane: after the stored spec changes (a new image through an
// edit), the instances off the spec are made again one at a time; never more than that many are
// down; cancelled in the middle, the cluster still holds exactly its count, and running it again
// converges: every instance on the spec, the count unchanged.
import * as assert from 'node:assert/strict';
import { editFormInput, offSpecInstances, validateEditInput } from '../../src/core/clusterEdit';
import type { KubeObject } from '../../src/core/kubeTypes';
import { defaultLimits } from '../../src/core/validation';
import { applyEdit, readLiveCluster, reviewEdit } from '../../src/kube/clusterEditor';
import { createCluster } from '../../src/kube/clusterCreator';
import { replaceInstances } from '../../src/kube/instanceReplacer';
import { adminClient, clusterSpec, kubectlJson, OwnedNamespaces, rejection } from './fixtures';

type Pod = KubeObject & { spec: { containers: { image: string }[] }; metadata: { deletionTimestamp?: string } };

async function pods(namespace: string): Promise<Pod[]> {
  return (await kubectlJson<{ items: Pod[] }>(['get', 'pods', '-n', namespace])).items;
}

describe('replace instances', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('replaces the instances off the stored spec one at a time; cancelled midway it converges when run again', async () => {
    const spec = clusterSpec('replace', { count: 3 });
    const namespace = owned.add(`${spec.name}-ns`);
    const { metadata: { uid } } = await createCluster(client, spec, { concurrency: 4 });
    const live = await readLiveCluster(client, namespace, uid);
    const input = editFormInput(live);
    const edited = validateEditInput({ ...input, image: 'nginx:1.28' }, defaultLimits, { name: input.name, instanceType: 'container' }, input.resourceQuota).spec;
    assert.ok(edited);
    await applyEdit(client, live, (await reviewEdit(client, live, edited)).changes.map((c) => c.change), { concurrency: 4 });
    assert.deepEqual(offSpecInstances(await readLiveCluster(client, namespace, uid)).map((o) => o.name), ['instance-0', 'instance-1', 'instance-2']);

    // How many instances run, sampled while the replace works (a sampler, not a wait).
    let fewest = Number.POSITIVE_INFINITY;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const running = (await pods(namespace).catch(() => [])).filter((p) => !p.metadata.deletionTimestamp).length;
        if (running) fewest = Math.min(fewest, running);
        await new Promise((done) => setImmediate(done));
      }
    })();

    const abort = new AbortController();
    const cancelled = replaceInstances(client, namespace, {
      atOnce: 1, concurrency: 4, expectedUid: uid, signal: abort.signal,
      // The fault: cancelled once the second instance is seen going, before its replacement is Ready.
      onProgress: (_done, _total, current) => {
        if (!current.includes('instance-1')) return;
        void (async () => {
          for (;;) {
            const gone = (await pods(namespace)).find((p) => p.metadata.name === 'instance-1');
            if (!gone || gone.metadata.deletionTimestamp || gone.spec.containers[0]?.image === 'nginx:1.28') return abort.abort();
          }
        })();
      },
    });
    await rejection(cancelled, Error);
    const afterCancel = await pods(namespace);
    assert.equal(afterCancel.find((p) => p.metadata.name === 'instance-0')?.spec.containers[0]?.image, 'nginx:1.28', 'the first was replaced');

    const result = await replaceInstances(client, namespace, { atOnce: 1, concurrency: 4, expectedUid: uid });
    sampling = false;
    await sampler;
    assert.deepEqual(result.stillOff, []);
    assert.ok(result.replaced.includes('instance-2'), `the rest replaced (${result.replaced.join(', ')})`);
    const final = await pods(namespace);
    assert.deepEqual(final.map((p) => p.metadata.name).sort(), ['instance-0', 'instance-1', 'instance-2']);
    assert.ok(final.every((p) => p.spec.containers[0]?.image === 'nginx:1.28'), 'every instance on the spec');
    assert.ok(fewest >= 2, `never fewer than count − 1 running (fewest seen: ${fewest})`);
  });
});
