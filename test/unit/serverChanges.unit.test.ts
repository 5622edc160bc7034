// The edit form's "changed on the server", with a stand-in session, cache and guard-rail watches
// (the real watches are tested against the plane in test/suite/edit.test.ts): a change is announced
// once, a watch catching up with what the form loaded is no change, a connection whose cache has
// not listed yet never reads as "deleted", and nothing is said while the form itself writes.
import * as assert from 'node:assert/strict';
import type { GuardRailKey, LiveCluster } from '../../src/core/clusterEdit';
import { clusterView, type ClusterView } from '../../src/core/clusterView';
import type { KubeObject } from '../../src/core/kubeTypes';
import { guardRailManifests, namespaceManifest } from '../../src/core/manifests';
import type { Connected, SessionState } from '../../src/vscode/session';
import { ServerChanges } from '../../src/vscode/panels/serverChanges';
import { clusterSpec } from './fixtures';

type OnObject = (key: GuardRailKey, object: KubeObject | undefined) => void;

/** Timers fire in order of expiry: one set after the 0 ms settle timer runs after it. */
const settled = () => new Promise((done) => setTimeout(done, 5));

function harness() {
  const spec = clusterSpec();
  const namespace: KubeObject = { ...namespaceManifest(spec), metadata: { ...namespaceManifest(spec).metadata, uid: 'ns-uid' } };
  const quota = guardRailManifests(spec).find((o) => o.kind === 'ResourceQuota') as KubeObject & { spec: { hard: Record<string, string> } };
  const live: LiveCluster = { namespace, guardRails: { resourceQuota: quota }, instances: [], spec: { instanceType: 'container', image: spec.image, cpu: spec.cpu, memoryGiB: spec.memoryGiB, count: 0 } };
  let view: ClusterView | undefined = clusterView(namespace, []);
  const cacheListeners: ((change: { namespaces: Set<string>; structural: boolean }) => void)[] = [];
  const rails: OnObject[] = [];
  let cacheState: { kind: string } = { kind: 'ready' };
  const cache = {
    get state() { return cacheState; },
    cluster: () => view,
    onDidChange: (listener: (typeof cacheListeners)[number]) => (cacheListeners.push(listener), { dispose: () => undefined }),
  };
  const sessionListeners: ((state: SessionState) => void)[] = [];
  let state = { kind: 'connected', id: 1, contextName: 'ctx', cache, client: { transport: {} } } as unknown as Connected;
  const session = {
    connectionNamed: (name: string) => (name === 'ctx' ? state : undefined),
    onDidChange: (listener: (s: SessionState) => void) => (sessionListeners.push(listener), { dispose: () => undefined }),
  };
  const announced: (string | undefined)[] = [];
  let writing = false;
  const changes = new ServerChanges(session, { contextName: 'ctx', namespace: namespace.metadata.name, uid: 'ns-uid' }, () => writing, (what) => announced.push(what), {
    settleMs: 0,
    watchRails: (_transport, _namespace, onObject) => (rails.push(onObject), { dispose: () => undefined }),
  });
  changes.loaded(live);
  return {
    live, quota, announced, changes,
    rail: (key: GuardRailKey, object: KubeObject | undefined) => rails.at(-1)?.(key, object),
    cacheMoved: (next: ClusterView | undefined) => {
      view = next;
      cacheListeners.at(-1)?.({ namespaces: new Set([namespace.metadata.name]), structural: false });
    },
    reconnect: () => {
      cacheState = { kind: 'loading' };
      view = undefined;
      state = { ...state, id: state.id + 1 };
      sessionListeners.forEach((l) => l(state));
    },
    setWriting: (value: boolean) => (writing = value),
    relabelled: (labels: Record<string, string>) => clusterView({ ...namespace, metadata: { ...namespace.metadata, labels: { ...namespace.metadata.labels, ...labels } } }, []),
  };
}

describe('ServerChanges (the edit form\'s "changed on the server")', () => {
  it('a watch delivering what the form loaded is no change; a change is announced once, and again only when it changes again', async () => {
    const h = harness();
    h.rail('resourceQuota', { ...h.quota, metadata: { ...h.quota.metadata, resourceVersion: '5' }, status: { used: { pods: '1' } } });
    h.rail('limitRange', undefined);
    await settled();
    assert.deepEqual(h.announced, []);
    const raised = { ...h.quota, spec: { hard: { ...h.quota.spec.hard, pods: '9' } } };
    h.rail('resourceQuota', raised);
    await settled();
    h.rail('resourceQuota', { ...raised, status: { used: { pods: '2' } } });
    await settled();
    assert.deepEqual(h.announced, ['ResourceQuota cluster-quota']);
    h.rail('resourceQuota', { ...raised, spec: { hard: { pods: '10' } } });
    await settled();
    assert.deepEqual(h.announced, ['ResourceQuota cluster-quota', 'ResourceQuota cluster-quota']);
  });

  it('announces labels moved in the cache once, and a deleted cluster once', async () => {
    const h = harness();
    h.cacheMoved(h.relabelled({ owner: 'someone' }));
    await settled();
    h.cacheMoved(h.relabelled({ owner: 'someone' }));
    await settled();
    assert.deepEqual(h.announced, ['labels']);
    h.cacheMoved(undefined);
    await settled();
    h.cacheMoved(undefined);
    await settled();
    assert.deepEqual(h.announced, ['labels', undefined]);
  });

  it('never reads a new connection\'s empty cache as "deleted", whatever the watches say meanwhile', async () => {
    const h = harness();
    h.reconnect();
    h.rail('resourceQuota', h.quota);
    h.cacheMoved(undefined);
    await settled();
    assert.deepEqual(h.announced, []);
  });

  it('says nothing while the form itself writes, and the reload after is the new baseline', async () => {
    const h = harness();
    h.setWriting(true);
    const written = { ...h.quota, spec: { hard: { pods: '4' } } };
    h.rail('resourceQuota', written);
    await settled();
    h.changes.loaded({ ...h.live, guardRails: { resourceQuota: written } });
    h.setWriting(false);
    h.rail('resourceQuota', written);
    await settled();
    assert.deepEqual(h.announced, []);
  });
});
