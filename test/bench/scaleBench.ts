// P2: scaling a cluster up (10 → 100) and back down (100 → 10). Every contender starts from the
// same cluster made by createCluster; ours is scaleCluster on a fresh client, kubectl applies or
// deletes one instance per process, the floor sends every POST or DELETE at once.
import type { ClusterSpec } from '../../src/core/clusterSpec';
import { mapBounded } from '../../src/core/concurrency';
import { namespaceFor } from '../../src/core/names';
import { createCluster } from '../../src/kube/clusterCreator';
import { scaleCluster } from '../../src/kube/clusterScaler';
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import { benchSpec } from './benchSpecs';
import { collectionPath, instancesOf, ourClient } from './createBench';
import { FloorClient } from './floorClient';
import { goalAtScale } from './goals';
import { ManifestFiles, timeKubectlSteps } from './kubectlRunner';
import { elapsed, fastRounds, retryOnOutage, slowRunsIn } from './rounds';
import { podsSettled } from './settle';
import { summarize } from './stats';

type Scaler = (spec: ClusterSpec, from: number, to: number) => Promise<number>;

async function scaleOurs(ctx: BenchContext, spec: ClusterSpec, _from: number, to: number): Promise<number> {
  const client = ourClient(ctx);
  try {
    const start = performance.now();
    await scaleCluster(client, namespaceFor(spec.name), to, { concurrency: ctx.writeConcurrency });
    return elapsed(start);
  } finally {
    client.transport.dispose();
  }
}

async function scaleKubectl(ctx: BenchContext, spec: ClusterSpec, from: number, to: number): Promise<number> {
  const ns = namespaceFor(spec.name);
  const files = new ManifestFiles();
  const all = instancesOf({ ...spec, count: Math.max(from, to) });
  const steps = to > from
    ? all.slice(from, to).map((o) => ['apply', '-f', files.write(o), '-n', ns])
    : all.slice(to, from).reverse().map((o) => ['delete', 'pod', o.metadata.name, '-n', ns, '--wait=false']);
  return timeKubectlSteps(ctx.plane.kubectl, ctx.plane.kubeconfig, steps, files);
}

/** Every POST or DELETE at once, or at most `limit` in flight. */
async function scaleFloor(ctx: BenchContext, spec: ClusterSpec, from: number, to: number, limit = Infinity): Promise<number> {
  const floor = new FloorClient(ctx.credentials);
  const all = instancesOf({ ...spec, count: Math.max(from, to) });
  const deleteOptions = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' };
  try {
    const start = performance.now();
    const bound = { limit: Math.min(limit, Math.abs(to - from)) };
    if (to > from) await mapBounded(all.slice(from, to), (o) => floor.ok('POST', collectionPath(o), o), bound);
    else await mapBounded(all.slice(to, from), (o) => floor.ok('DELETE', `${collectionPath(o)}/${o.metadata.name}`, deleteOptions), bound);
    return elapsed(start);
  } finally {
    floor.close();
  }
}

export async function measureScale(ctx: BenchContext): Promise<MeasureResult> {
  const [low, high] = ctx.size === 'small' ? [1, 10] : [10, 100];
  const label = (from: number, to: number) => `P2 scale ${from} → ${to}`;
  const contenders: [string, Scaler][] = [
    ['ours', (spec, from, to) => scaleOurs(ctx, spec, from, to)],
    ['kubectl', (spec, from, to) => scaleKubectl(ctx, spec, from, to)],
    ['floor', (spec, from, to) => scaleFloor(ctx, spec, from, to)],
  ];
  // At full size, the floor held to our bound as well, when the bound is below the writes a scale
  // makes: it splits ours/floor into the bound and our overhead.
  const bounded = `floor@${ctx.writeConcurrency}`;
  if (ctx.size === 'full' && ctx.writeConcurrency < high - low) contenders.push([bounded, (spec, from, to) => scaleFloor(ctx, spec, from, to, ctx.writeConcurrency)]);
  const up = new Map<string, number[]>(contenders.map(([who]) => [who, []]));
  const down = new Map<string, number[]>(contenders.map(([who]) => [who, []]));
  const runs = fastRounds(ctx);
  for (let round = 0; round < runs; round++) {
    for (let i = 0; i < contenders.length; i++) {
      const [who, scale] = contenders[(i + round) % contenders.length] as [string, Scaler];
      if (who === 'kubectl' && !slowRunsIn(ctx, round, runs)) continue;
      const spec = benchSpec(ctx.namespaces.clusterName(`p2${who[0]}`), low, false);
      const ns = namespaceFor(spec.name);
      await retryOnOutage(ctx, 'P2 setup', async () => {
        const client = ourClient(ctx);
        await createCluster(client, spec, { concurrency: ctx.writeConcurrency }).finally(() => client.transport.dispose());
      });
      await podsSettled(ctx.floor, ns, low);
      const upMs = await retryOnOutage(ctx, `${label(low, high)} ${who}`, () => scale(spec, low, high));
      await podsSettled(ctx.floor, ns, high);
      const downMs = await retryOnOutage(ctx, `${label(high, low)} ${who}`, () => scale(spec, high, low));
      await podsSettled(ctx.floor, ns, low);
      up.get(who)?.push(upMs);
      down.get(who)?.push(downMs);
      ctx.log(`  P2 round ${round + 1}/${runs} ${who}: up ${upMs.toFixed(1)} ms, down ${downMs.toFixed(1)} ms`);
    }
    if (round % 2 === 1) await ctx.namespaces.deleteAll(true);
  }
  await ctx.namespaces.deleteAll(true);
  const row = (name: string, samples: Map<string, number[]>): Row => goalAtScale({
    id: 'P2',
    measure: name,
    unit: 'ms',
    ours: summarize(samples.get('ours') ?? []),
    kubectl: summarize(samples.get('kubectl') ?? []),
    floor: summarize(samples.get('floor') ?? []),
  }, high);
  const rows: Row[] = [];
  for (const [name, samples] of [[label(low, high), up], [label(high, low), down]] as const) {
    rows.push(row(name, samples));
    const floorAtBound = samples.get(bounded);
    if (floorAtBound?.length) rows.push({ id: 'P2', measure: `${name}: diagnostic, floor also ≤ ${ctx.writeConcurrency} in flight`, unit: 'ms', ours: summarize(samples.get('ours') ?? []), floor: summarize(floorAtBound), note: 'the floor held to cmp.writeConcurrency: what is left of ours/floor is our own overhead' });
  }
  return { rows, details: { up: Object.fromEntries(up), down: Object.fromEntries(down) } };
}
