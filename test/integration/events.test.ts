// Events CMP records on a cluster's namespace (events.k8s.io/v1, reportingController cmp-vscode) for
// create, scale and delete, read back as other tools see them.
import * as assert from 'node:assert/strict';
import { resourcePath, resources, type KubeObject } from '../../src/core/kubeTypes';
import { createCluster } from '../../src/kube/clusterCreator';
import { deleteCluster } from '../../src/kube/clusterDeleter';
import { scaleCluster } from '../../src/kube/clusterScaler';
import { ListWatch } from '../../src/kube/listWatch';
import { eventually, kubectl } from '../support/testPlane';
import { adminClient, clusterSpec, kubectlJson, OwnedNamespaces, type KubeList } from './fixtures';

interface EventObject extends KubeObject {
  reason: string;
  action: string;
  note: string;
  type: string;
  reportingController: string;
  reportingInstance: string;
  regarding: { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string };
}

async function cmpEvents(namespace: string): Promise<EventObject[]> {
  const list = await kubectlJson<KubeList<EventObject>>(['get', 'events.events.k8s.io', '-n', namespace]);
  return list.items.filter((e) => e.reportingController === 'cmp-vscode');
}

describe('events on the cluster namespace', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();
  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('records create, scale and delete, each regarding the namespace', async () => {
    const spec = clusterSpec('events', { count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    const logs: string[] = [];
    const created = await createCluster(client, spec, { concurrency: 1, onLog: (m) => logs.push(m) });
    await scaleCluster(client, namespace, 2, { concurrency: 2, onLog: (m) => logs.push(m) });

    const recorded = await cmpEvents(namespace);
    assert.equal(logs.join('\n'), '', 'recording raised no complaint');
    assert.deepEqual(recorded.map((e) => [e.reason, e.action, e.type, e.note]).sort(), [
      ['ClusterCreated', 'Create', 'Normal', `CMP cluster ${spec.name} created with 1 container instance(s).`],
      ['ClusterScaled', 'Scale', 'Normal', `CMP cluster ${spec.name} scaled from 1 to 2 instance(s).`],
    ]);
    for (const event of recorded) {
      assert.equal(event.regarding.kind, 'Namespace');
      assert.equal(event.regarding.name, namespace);
      assert.equal(event.regarding.uid, created.metadata.uid);
      assert.match(event.reportingInstance, /^cmp-vscode-/);
    }
    // The plain `kubectl get events -n <ns>` a person would type shows them too.
    const plain = await kubectl(['get', 'events', '-n', namespace, '-o', 'custom-columns=REASON:.reason', '--no-headers']);
    assert.ok(plain.split('\n').includes('ClusterCreated'), plain);

    // The namespace and its events go soon after a delete, so catch the last one with a watch.
    const seen: EventObject[] = [];
    let synced = false;
    const watch = new ListWatch(client.transport, { path: resourcePath(resources.events, namespace) }, {
      onSync: () => (synced = true),
      onEvent: (type, object) => type === 'ADDED' && seen.push(object as EventObject),
      onError: () => undefined,
    });
    watch.start();
    try {
      await eventually('the event watch to list', async () => (synced ? true : undefined));
      await deleteCluster(client, namespace, { expectedUid: created.metadata.uid, onLog: (m) => logs.push(m) });
      const deleting = await eventually('the ClusterDeleting event', async () => seen.find((e) => e.reason === 'ClusterDeleting'));
      assert.equal(deleting.reportingController, 'cmp-vscode');
      assert.equal(deleting.action, 'Delete');
      assert.equal(deleting.note, `CMP cluster ${spec.name} is being deleted.`);
      assert.equal(deleting.regarding.uid, created.metadata.uid);
      assert.equal(logs.join('\n'), '');
    } finally {
      watch.dispose();
    }
  });
});
