// The large dataset of P3, P4 and P7: many CMP clusters with instances each, written with the floor
// client (bounded, retried) rather than kubectl, which would take many minutes. Pods are bound to the
// kwok nodes directly, skipping the scheduler's rate limit; kwok then marks them Running.
import { mapBounded } from '../../src/core/concurrency';
import type { KubeObject } from '../../src/core/kubeTypes';
import { namespaceManifest } from '../../src/core/manifests';
import { namespaceFor } from '../../src/core/names';
import type { BenchContext } from './benchTypes';
import { benchSpec } from './benchSpecs';
import { collectionPath, instancesOf } from './createBench';
import type { FloorClient } from './floorClient';
import { pause } from './settle';

export interface Fixture {
  clusters: number;
  perCluster: number;
  /** Namespaces of the fixture's clusters share this prefix. */
  namespacePrefix: string;
  namespaces: string[];
  /** Every instance, as [namespace, pod name]. */
  pods: [string, string][];
  loadSeconds: number;
  runningSeconds: number | undefined;
}

export function fixtureSize(ctx: BenchContext): { clusters: number; perCluster: number } {
  return ctx.size === 'small' ? { clusters: 30, perCluster: 10 } : { clusters: 1000, perCluster: 10 };
}

/** POSTs with a few retries on 429 and 5xx (the API server sheds load under a burst like this). */
async function create(floor: FloorClient, object: KubeObject): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const { status, text } = await floor.request('POST', collectionPath(object), object);
    if ((status >= 200 && status < 300) || status === 409) return;
    if (attempt >= 8 || (status !== 429 && status < 500)) throw new Error(`POST ${object.kind} ${object.metadata.name}: HTTP ${status} ${text.slice(0, 200)}`);
    await pause(100 * 2 ** attempt);
  }
}

/** Running pods in namespaces with the prefix. */
async function countRunning(floor: FloorClient, namespacePrefix: string): Promise<number> {
  let running = 0;
  let next = '';
  do {
    const page = await floor.json<{ items: KubeObject[]; metadata: { continue?: string } }>('GET', `/api/v1/pods?labelSelector=managed-by%3Dcmp&limit=2000${next ? `&continue=${encodeURIComponent(next)}` : ''}`);
    running += page.items.filter((p) => p.metadata.namespace?.startsWith(namespacePrefix) && (p.status as { phase?: string } | undefined)?.phase === 'Running').length;
    next = page.metadata.continue ?? '';
  } while (next);
  return running;
}

export async function loadFixture(ctx: BenchContext): Promise<Fixture> {
  const { clusters, perCluster } = fixtureSize(ctx);
  const began = Date.now();
  const nodes = (await ctx.floor.json<{ items: { metadata: { name: string } }[] }>('GET', '/api/v1/nodes')).items.map((n) => n.metadata.name);
  if (nodes.length === 0) throw new Error('the plane has no nodes');
  const specs = Array.from({ length: clusters }, () => benchSpec(ctx.namespaces.clusterName('load'), perCluster, false, { cpu: 0.01, memoryGiB: 0.0625 }));
  ctx.log(`  loading ${clusters} clusters × ${perCluster} instances`);
  await mapBounded(specs, (spec) => create(ctx.floor, namespaceManifest(spec)), { limit: 50 });
  let n = 0;
  const pods = specs.flatMap((spec) => instancesOf(spec).map((o) => ({ ...o, spec: { ...(o.spec as object), nodeName: nodes[n++ % nodes.length] } })));
  await mapBounded(pods, (pod) => create(ctx.floor, pod), { limit: 100, onProgress: (done) => done % 2000 === 0 && ctx.log(`  ${done} instances written`) });
  const loadSeconds = (Date.now() - began) / 1000;
  ctx.log(`  written in ${loadSeconds.toFixed(0)} s; waiting for kwok to mark them Running`);
  const namespacePrefix = `${ctx.namespaces.prefix}load-`;
  let runningSeconds: number | undefined;
  const deadline = Date.now() + (ctx.size === 'small' ? 60_000 : 300_000);
  while (Date.now() < deadline) {
    const running = await countRunning(ctx.floor, namespacePrefix).catch(() => 0);
    if (running >= pods.length) {
      runningSeconds = (Date.now() - began) / 1000;
      break;
    }
    ctx.log(`  ${running} of ${pods.length} Running`);
    await pause(5000);
  }
  return {
    clusters,
    perCluster,
    namespacePrefix,
    namespaces: specs.map((s) => namespaceFor(s.name)),
    pods: pods.map((p) => [p.metadata.namespace ?? '', p.metadata.name]),
    loadSeconds,
    runningSeconds,
  };
}
