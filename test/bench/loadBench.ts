// P4: initial load of the large fixture into the tree's cache, from connecting to the tree showing
// every cluster with its instances; against `kubectl get pods -A -l managed-by=cmp -o json` and one
// raw GET of the same list, parsed. Heap is read after a full collection before and after the load.
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import type { Fixture } from './fixture';
import { FloorClient } from './floorClient';
import { kubectl } from './kubectlRunner';
import { settledHeapMB } from './memory';
import { elapsed, rounds } from './rounds';
import { summarize } from './stats';
import { pause } from './settle';
import { openTree, treeModules, treeShows } from './treeHarness';

/** One load, timed from connecting to the tree showing it all; the tree is closed before returning. */
async function loadOnce(ctx: BenchContext, fixture: Fixture, instances: number): Promise<{ ms: number; loaded: number }> {
  const start = performance.now();
  const open = openTree(ctx);
  try {
    await treeShows(open, fixture.namespacePrefix, fixture.clusters, instances, 120_000);
    const ms = elapsed(start);
    return { ms, loaded: settledHeapMB() };
  } finally {
    open.dispose();
  }
}

export async function measureLoad(ctx: BenchContext, fixture: Fixture): Promise<MeasureResult> {
  treeModules(ctx);
  const instances = fixture.clusters * fixture.perCluster;
  const heap: { before: number; open: number; closed: number }[] = [];
  const samples = await rounds(ctx, 'P4 initial load', ctx.runs, [
    {
      who: 'ours',
      run: async () => {
        const before = settledHeapMB();
        const { ms, loaded } = await loadOnce(ctx, fixture, instances);
        // What the open tree holds: heap while open minus heap once it is closed and unreachable
        // (robust to drift between runs); the pause lets the closed sockets release their callbacks.
        await pause(200);
        heap.push({ before, open: loaded, closed: settledHeapMB() });
        return ms;
      },
    },
    {
      who: 'kubectl',
      run: async () => {
        const start = performance.now();
        const result = await kubectl(ctx.plane.kubectl, ctx.plane.kubeconfig, ['get', 'pods', '-A', '-l', 'managed-by=cmp', '-o', 'json']);
        const ms = elapsed(start);
        if (result.code !== 0) throw new Error(`kubectl get pods failed: ${result.stderr}`);
        return ms;
      },
    },
    {
      who: 'floor',
      run: async () => {
        const floor = new FloorClient(ctx.credentials);
        try {
          const start = performance.now();
          const list = JSON.parse(await floor.ok('GET', '/api/v1/pods?labelSelector=managed-by%3Dcmp')) as { items: unknown[] };
          const ms = elapsed(start);
          if (list.items.length < instances) throw new Error(`the floor listed ${list.items.length} pods, fewer than the fixture's ${instances}`);
          return ms;
        } finally {
          floor.close();
        }
      },
    },
  ]);
  const ours = summarize(samples.get('ours') ?? []);
  const kubectlTimes = summarize(samples.get('kubectl') ?? []);
  const label = `P4 initial load, ${fixture.clusters.toLocaleString('en-US')} clusters / ${instances.toLocaleString('en-US')} instances`;
  const load: Row = { id: 'P4', measure: label, unit: 'ms', ours, kubectl: kubectlTimes, floor: summarize(samples.get('floor') ?? []), goal: 'ours ≤ kubectl', met: ours.median <= kubectlTimes.median };
  const retained = summarize(heap.map((h) => h.open - h.closed));
  const median = (values: number[]) => summarize(values).median;
  const heapRow: Row = {
    id: 'P4',
    measure: 'P4 heap held by the loaded tree (open − closed)',
    unit: 'MB',
    ours: retained,
    note: `heap before ${median(heap.map((h) => h.before)).toFixed(1)} MB, loaded ${median(heap.map((h) => h.open)).toFixed(1)} MB, closed ${median(heap.map((h) => h.closed)).toFixed(1)} MB (medians, after full GC)`,
  };
  return { rows: [load, heapRow], details: { samples: Object.fromEntries(samples), heap, fixture: { loadSeconds: fixture.loadSeconds, runningSeconds: fixture.runningSeconds }, heldPerInstanceKB: (retained.median * 1024) / instances } };
}
