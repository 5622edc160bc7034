// Faults at every step: each operation (create, scale up, scale down, delete, Delete Instance) is
// run once to find its write points (the writes that persist: no dry run, no event), then again
// once per point with that write hit by a fault: the connection cut before the server sees it, the
// answer lost after the server acted, a 503, or (at the first and last point) the apiserver
// restarted. Afterwards the cluster holds exactly what was asked, or (a create that failed) nothing
// at all; no write ever lands outside the namespace. The runs without a restart go four at a time,
// each worker behind a fault proxy of its own; the restarts, which hit everyone, go one by one.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { parseStoredSpec } from '../../src/core/clusterSpec';
import type { KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { deleteCluster, deleteInstance } from '../../src/kube/clusterDeleter';
import { createCluster } from '../../src/kube/clusterCreator';
import { scaleCluster } from '../../src/kube/clusterScaler';
import type { KubeClient } from '../../src/kube/kubeClient';
import type { Fault, SeenRequest } from '../support/faultProxy';
import { adminClient, allGuardRails, clusterSpec, defaultServiceAccount, instanceRange, kubectlFind, kubectlJson, livePodNames, namespaceGone, podsRunning, type KubeList } from '../integration/fixtures';
import { eventually, kubectl } from '../support/testPlane';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

const run = promisify(execFile);

interface Operation {
  name: string;
  /** Makes what the operation acts on (directly, not through the proxy); returns its namespace and a cluster name. */
  setup(direct: KubeClient): Promise<{ namespace: string; cluster: string }>;
  act(client: KubeClient, target: { namespace: string; cluster: string }): Promise<unknown>;
  /** Throws unless the cluster is as the operation asked, or (when allowed) as before it / gone. */
  verify(target: { namespace: string; cluster: string }, outcome: { ok: boolean; error?: unknown }): Promise<void>;
}

const isWrite = (r: SeenRequest) => r.method !== 'GET';
/** A write point: a write that persists something of the cluster's (dry runs and events are not). */
const isPoint = (r: SeenRequest) => isWrite(r) && !r.query.has('dryRun') && !/\/events(\/|$)/.test(r.path);

async function storedCount(namespace: string): Promise<number | undefined> {
  const ns = await kubectlFind<KubeObject>(['get', 'namespace', namespace]);
  return parseStoredSpec(ns?.metadata.annotations?.[specAnnotation])?.count;
}

/**
 * Exactly instance-0 … count-1 exist (none terminating) and the stored count says count. Whether
 * they run is the scheduler's and kwok's business: after an apiserver restart their watches take a
 * while to recover, which is not under test here.
 */
async function exactly(namespace: string, count: number): Promise<void> {
  const wanted = instanceRange(count).join();
  await eventually(`exactly ${wanted} in ${namespace}`, async () => ((await livePodNames(namespace)).join() === wanted ? true : undefined), 60_000);
  assert.equal(await storedCount(namespace), count, 'the stored count equals the live instances');
}

async function guardRailsPresent(namespace: string): Promise<void> {
  for (const kind of ['resourcequota/cluster-quota', 'limitrange/resource-limits', 'networkpolicy/deny-from-other-namespaces', 'serviceaccount/cluster-sa', 'rolebinding/cluster-admin']) {
    assert.ok(await kubectlFind(['get', kind, '-n', namespace]), `${kind} exists`);
  }
}

/** Scales a cluster made with `from` instances to `to`; it must succeed and end at exactly `to`. */
function scaling(prefix: string, from: number, to: number): Operation {
  return {
    name: `scale ${from < to ? 'up' : 'down'} ${from} → ${to}`,
    setup: async (direct) => made(direct, prefix, from),
    act: (client, target) => scaleCluster(client, target.namespace, to, { concurrency: 4 }),
    verify: async ({ namespace }, outcome) => {
      assert.ok(outcome.ok, `the scale failed: ${String(outcome.error)}`);
      await exactly(namespace, to);
    },
  };
}

const operations: Operation[] = [
  {
    name: 'create (3 instances, every guard rail)',
    setup: async () => {
      const spec = clusterSpec('fpc', { count: 3, isolation: allGuardRails(0.25, 0.25, 3) });
      return { namespace: `${spec.name}-ns`, cluster: spec.name };
    },
    act: (client, target) => createCluster(client, { ...clusterSpec('fpc', { count: 3, isolation: allGuardRails(0.25, 0.25, 3) }), name: target.cluster }, { concurrency: 3 }),
    verify: async ({ namespace }, outcome) => {
      if (outcome.ok) {
        await exactly(namespace, 3);
        await guardRailsPresent(namespace);
      } else {
        // A create that failed leaves nothing: the namespace is gone (the rollback waited for it).
        await namespaceGone(namespace, 180_000);
      }
    },
  },
  scaling('fpu', 2, 4),
  scaling('fpd', 4, 2),
  {
    name: 'delete cluster',
    setup: async (direct) => made(direct, 'fpx', 1),
    act: (client, target) => deleteCluster(client, target.namespace),
    verify: async ({ namespace }, outcome) => {
      assert.ok(outcome.ok, `the delete failed: ${String(outcome.error)}`);
      await namespaceGone(namespace, 180_000);
    },
  },
  {
    name: 'Delete Instance',
    setup: async (direct) => made(direct, 'fpi', 2),
    act: async (client, target) => {
      const pod = await kubectlJson<KubeObject>(['get', 'pod', 'instance-1', '-n', target.namespace]);
      return deleteInstance(client, { namespace: target.namespace, kind: 'Pod', name: 'instance-1', uid: pod.metadata.uid });
    },
    verify: async ({ namespace }, outcome) => {
      assert.ok(outcome.ok, `Delete Instance failed: ${String(outcome.error)}`);
      await eventually('instance-1 to go', async () => ((await livePodNames(namespace)).join() === 'instance-0' ? true : undefined), 60_000);
    },
  },
];

async function made(direct: KubeClient, prefix: string, count: number): Promise<{ namespace: string; cluster: string }> {
  const spec = clusterSpec(prefix, { count, isolation: allGuardRails(0.25, 0.25, 6) });
  await createCluster(direct, spec, { concurrency: count });
  await podsRunning(`${spec.name}-ns`, instanceRange(count));
  return { namespace: `${spec.name}-ns`, cluster: spec.name };
}

/** Every write must go to the operation's namespace (or create or delete that namespace itself). */
function outside(writes: SeenRequest[], namespace: string): SeenRequest[] {
  const inside = (path: string) => path === '/api/v1/namespaces' || path === `/api/v1/namespaces/${namespace}` || path.startsWith(`/api/v1/namespaces/${namespace}/`) || new RegExp(`^/apis/[^/]+/[^/]+/namespaces/${namespace}(/|$)`).test(path);
  return writes.filter((w) => !inside(w.path) || (w.path === '/api/v1/namespaces' && w.method !== 'POST'));
}

/** Restarts the apiserver in the background; resolves once it has stopped answering, with the restart's own end. */
async function apiserverGoingAway(direct: KubeClient): Promise<{ back: Promise<unknown> }> {
  const back = run(process.execPath, ['test/cluster/plane.mjs', 'restart-apiserver']);
  await eventually('the apiserver to stop answering', async () => {
    try {
      await direct.transport.request({ method: 'GET', path: '/readyz', timeoutMs: 500 });
      return undefined;
    } catch {
      return true;
    }
  }, 15_000, 50).catch(() => undefined);
  return { back };
}

interface Run {
  operation: Operation;
  k: number;
  points: number;
  label: string;
  make: () => { fault: Fault; after?: () => Promise<unknown> };
}

describe('reliability: faults at every step', function () {
  this.timeout(30 * 60_000);
  const workers = 4;
  let proxies: Proxied[] = [];
  const direct = adminClient();
  const namespaces: string[] = [];
  const tally = { tried: 0, held: 0, outsideWrites: 0, failures: [] as string[] };
  const points = new Map<string, number>();

  before(async () => {
    proxies = await Promise.all(Array.from({ length: workers }, () => startProxied()));
  });
  after(async () => {
    // The suites after this one need the controllers back: a new namespace gets its default
    // service account only once the controller-manager has resumed after the last restart.
    const probe = `fp-settled-${Date.now().toString(36)}`;
    await kubectl(['create', 'namespace', probe]);
    await defaultServiceAccount(probe).finally(() => kubectl(['delete', 'namespace', probe, '--wait=false']));
    await Promise.all(proxies.map((p) => p.close()));
    direct.transport.dispose();
    if (namespaces.length) await kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...namespaces]);
    const ops = [...points.entries()].map(([name, n]) => `${name.split(' (')[0]}: ${n}`).join(', ');
    recordFigure({ measure: `faults at every step: write points (${ops}) × (cut, answer lost, 503; apiserver restart at first and last)`, value: `${tally.held} of ${tally.tried} held`, goal: 'all', met: tally.held === tally.tried && tally.tried > 0 });
    recordFigure({ measure: 'faults at every step: writes outside the checked namespace', value: String(tally.outsideWrites), goal: '0', met: tally.outsideWrites === 0 });
  });

  /** What the operation acts on; made again if the plane is still settling after a restart (this is not under test). */
  async function setUp(operation: Operation): Promise<{ namespace: string; cluster: string }> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await operation.setup(direct);
      } catch (error) {
        if (attempt >= 6) throw error;
        await new Promise((done) => setTimeout(done, 5000));
      }
    }
  }

  /** One operation under one fault at its k-th write point, behind `proxied`; records whether it held. */
  async function attempt(proxied: Proxied, run: Run): Promise<void> {
    const { operation, k, label } = run;
    const target = await setUp(operation);
    namespaces.push(target.namespace);
    const { fault, after } = run.make();
    let seen = 0;
    const from = proxied.proxy.requests.length;
    const remove = proxied.proxy.inject((r) => isPoint(r) && ++seen === k, fault, 1);
    let outcome: { ok: boolean; error?: unknown };
    // A client of its own: no connection state carries over from the run before.
    const client = proxied.client();
    try {
      await operation.act(client, target);
      outcome = { ok: true };
    } catch (error) {
      outcome = { ok: false, error };
    } finally {
      remove();
      client.transport.dispose();
    }
    await after?.();
    tally.tried += 1;
    const stray = outside(proxied.proxy.writes(from), target.namespace);
    tally.outsideWrites += stray.length;
    try {
      assert.deepEqual(stray.map((w) => `${w.method} ${w.path}`), [], 'no write outside the namespace');
      await operation.verify(target, outcome);
      tally.held += 1;
    } catch (error) {
      tally.failures.push(`${operation.name}, write ${k} of ${run.points}, ${label}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  const faults: { label: string; fault: Fault }[] = [
    { label: 'cut before the server saw it', fault: { kind: 'reset' } },
    { label: 'answer lost after the server acted', fault: { kind: 'forwardThenReset' } },
    { label: '503', fault: { kind: 'status', status: 503 } },
  ];

  it('finds each operation\'s write points in a run without faults', async () => {
    const proxied = proxies[0] as Proxied;
    for (const operation of operations) {
      const clean = await operation.setup(direct);
      namespaces.push(clean.namespace);
      const since = proxied.proxy.requests.length;
      await operation.act(proxied.client(), clean);
      await operation.verify(clean, { ok: true });
      points.set(operation.name, proxied.proxy.requests.slice(since).filter(isPoint).length);
    }
    for (const operation of operations) assert.ok((points.get(operation.name) ?? 0) > 0, `${operation.name} writes something`);
  });

  it('holds under a cut, a lost answer and a 503 at every write point of every operation', async () => {
    const queue: Run[] = [];
    for (const operation of operations) {
      const n = points.get(operation.name) ?? 0;
      for (let k = 1; k <= n; k++) for (const f of faults) queue.push({ operation, k, points: n, label: f.label, make: () => ({ fault: f.fault }) });
    }
    await Promise.all(proxies.map(async (proxied) => {
      for (let run = queue.shift(); run; run = queue.shift()) await attempt(proxied, run);
    }));
    assert.deepEqual(tally.failures, [], `${tally.failures.length} fault points did not hold`);
  });

  it('holds when the apiserver restarts at the first and the last write point of every operation', async () => {
    const failuresBefore = tally.failures.length;
    for (const operation of operations) {
      const n = points.get(operation.name) ?? 0;
      for (const k of [...new Set([1, n])]) {
        let restart: Promise<unknown> = Promise.resolve();
        await attempt(proxies[0] as Proxied, {
          operation, k, points: n, label: 'apiserver restarted',
          make: () => ({ fault: { kind: 'before', run: async () => (restart = (await apiserverGoingAway(direct)).back) }, after: () => restart }),
        });
      }
    }
    assert.deepEqual(tally.failures.slice(failuresBefore), []);
  });

  it('leaves no orphan: no instance outside instance-0 … N-1 in any namespace it used', async () => {
    const list = await kubectlJson<KubeList>(['get', 'pods', '-A', '-l', 'managed-by=cmp']);
    const ours = list.items.filter((p) => namespaces.includes(p.metadata.namespace ?? ''));
    const strays = ours.filter((p) => !/^instance-\d+$/.test(p.metadata.name));
    assert.deepEqual(strays.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), []);
  });
});
