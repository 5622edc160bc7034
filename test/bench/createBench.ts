// P1: creating a cluster of N instances, guard rails off and on. Ours is createCluster (the code
// path of the Create command, without the UI) on a fresh client; kubectl runs the seed's steps one
// process each; the floor POSTs the namespace, then the guard rails, then every instance at once.
import { storedSpecOf, type ClusterSpec } from '../../src/core/clusterSpec';
import { mapBounded } from '../../src/core/concurrency';
import type { KubeObject } from '../../src/core/kubeTypes';
import { guardRailManifests, guardRailNames, instanceManifest, namespaceManifest } from '../../src/core/manifests';
import { namespaceFor } from '../../src/core/names';
import { ApiTransport, http1PoolSize } from '../../src/kube/apiTransport';
import { createCluster } from '../../src/kube/clusterCreator';
import { KubeClient } from '../../src/kube/kubeClient';
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import { benchSpec } from './benchSpecs';
import { FloorClient } from './floorClient';
import { ManifestFiles, timeKubectlSteps } from './kubectlRunner';
import { elapsed, fastRounds, rounds } from './rounds';
import { pause, podsSettled } from './settle';
import { summarize } from './stats';
import { goalAtScale } from './goals';

/** The Create command's client: one transport sized as Session sizes it, cold for every run. */
export function ourClient(ctx: BenchContext, concurrency = ctx.writeConcurrency): KubeClient {
  return new KubeClient(new ApiTransport(ctx.kubeConfig(), http1PoolSize(concurrency)));
}

export function instancesOf(spec: ClusterSpec): KubeObject[] {
  const ictx = { namespace: namespaceFor(spec.name), cluster: spec.name, spec: storedSpecOf(spec), serviceAccount: spec.isolation.serviceAccount };
  return Array.from({ length: spec.count }, (_, i) => instanceManifest(ictx, i));
}

async function createOurs(ctx: BenchContext, spec: ClusterSpec, concurrency: number): Promise<number> {
  const client = ourClient(ctx, concurrency);
  try {
    const start = performance.now();
    await createCluster(client, spec, { concurrency });
    return elapsed(start);
  } finally {
    client.transport.dispose();
  }
}

/** The seed's flow: create namespace, label it, apply each guard rail and each instance. */
async function createKubectl(ctx: BenchContext, spec: ClusterSpec): Promise<number> {
  const ns = namespaceFor(spec.name);
  const files = new ManifestFiles();
  const steps: string[][] = [
    ['create', 'namespace', ns],
    ['label', 'namespace', ns, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${spec.name}`],
    ...guardRailManifests(spec).map((o) => ['apply', '-f', files.write(o), '-n', ns]),
    ...instancesOf(spec).map((o) => ['apply', '-f', files.write(o), '-n', ns]),
  ];
  return timeKubectlSteps(ctx.plane.kubectl, ctx.plane.kubeconfig, steps, files);
}

export function collectionPath(object: KubeObject): string {
  const group = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const plural = { Namespace: 'namespaces', Pod: 'pods', ResourceQuota: 'resourcequotas', LimitRange: 'limitranges', NetworkPolicy: 'networkpolicies', ServiceAccount: 'serviceaccounts', RoleBinding: 'rolebindings' }[object.kind];
  if (!plural) throw new Error(`no path for ${object.kind}`);
  return object.metadata.namespace ? `${group}/namespaces/${object.metadata.namespace}/${plural}` : `${group}/${plural}`;
}

/** Raw requests: namespace, guard rails at once (then the quota's first status), instances at once (or at most `limit` in flight). */
async function createFloor(ctx: BenchContext, spec: ClusterSpec, limit = Infinity): Promise<number> {
  const floor = new FloorClient(ctx.credentials);
  const ns = namespaceManifest(spec);
  const rails = guardRailManifests(spec);
  const instances = instancesOf(spec);
  try {
    const start = performance.now();
    await floor.ok('POST', collectionPath(ns), ns);
    await Promise.all(rails.map((o) => floor.ok('POST', collectionPath(o), o)));
    if (spec.isolation.resourceQuota) {
      const path = `/api/v1/namespaces/${ns.metadata.name}/resourcequotas/${guardRailNames.resourceQuota}`;
      while (Object.keys((await floor.json<{ status?: { hard?: object } }>('GET', path)).status?.hard ?? {}).length === 0) await pause(10);
    }
    await mapBounded(instances, (o) => floor.ok('POST', collectionPath(o), o), { limit: Math.min(limit, instances.length) });
    return elapsed(start);
  } finally {
    floor.close();
  }
}

export async function measureCreate(ctx: BenchContext): Promise<MeasureResult> {
  const sizes = ctx.size === 'small' ? [10] : [10, 100];
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  for (const n of sizes) {
    for (const guardRails of [false, true]) {
      const label = `P1 create N=${n}, guard rails ${guardRails ? 'on' : 'off'}`;
      ctx.log(label);
      const settleAfter = async (name: string) => {
        if (!(await podsSettled(ctx.floor, namespaceFor(name), n))) ctx.log(`  ${name}: pods did not all run within 60 s`);
      };
      const variant = (who: string, make: (spec: ClusterSpec) => Promise<number>) => ({
        who,
        run: async () => {
          const spec = benchSpec(ctx.namespaces.clusterName(`p1${who[0]}`), n, guardRails);
          const ms = await make(spec);
          await settleAfter(spec.name);
          return ms;
        },
      });
      const variants = [
        variant('ours', (spec) => createOurs(ctx, spec, ctx.writeConcurrency)),
        { ...variant('kubectl', (spec) => createKubectl(ctx, spec)), slow: true },
        variant('floor', (spec) => createFloor(ctx, spec)),
      ];
      // At the largest size, two diagnostics that split the gap to the floor: the floor held to our
      // bound, and ours with the bound at its maximum.
      // (The first only when the bound is below N: otherwise it is the floor itself.)
      if (n === 100 && !guardRails) {
        if (ctx.writeConcurrency < n) variants.push(variant(`floor@${ctx.writeConcurrency}`, (spec) => createFloor(ctx, spec, ctx.writeConcurrency)));
        variants.push(variant(`ours@${ctx.writeConcurrencyMax}`, (spec) => createOurs(ctx, spec, ctx.writeConcurrencyMax)));
      }
      const samples = await rounds(ctx, label, fastRounds(ctx), variants);
      const row: Row = { id: 'P1', measure: label, unit: 'ms', ours: summarize(samples.get('ours') ?? []), kubectl: summarize(samples.get('kubectl') ?? []), floor: summarize(samples.get('floor') ?? []) };
      rows.push(goalAtScale(row, n));
      const boundedFloor = samples.get(`floor@${ctx.writeConcurrency}`);
      if (boundedFloor) {
        rows.push({ id: 'P1', measure: `${label}: diagnostic, floor also ≤ ${ctx.writeConcurrency} in flight`, unit: 'ms', ours: row.ours, floor: summarize(boundedFloor), note: 'the floor held to cmp.writeConcurrency: what is left of ours/floor is our own overhead' });
      }
      const unbounded = samples.get(`ours@${ctx.writeConcurrencyMax}`);
      if (unbounded) {
        rows.push({ id: 'P1', measure: `${label}: diagnostic, ours at writeConcurrency=${ctx.writeConcurrencyMax}`, unit: 'ms', ours: summarize(unbounded), floor: row.floor, note: 'the bound at its maximum' });
      }
      details[label] = Object.fromEntries(samples);
      await ctx.namespaces.deleteAll(true);
    }
  }
  return { rows, details };
}
