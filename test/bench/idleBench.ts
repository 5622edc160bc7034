// P7: idle load with the tree open on the large fixture: every request the extension sends during a
// quiet window, after the initial load (lists, watches, one permission ask per cluster). The tree
// must only hold its watches open (zero polling).
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import type { Fixture } from './fixture';
import { countRequests } from './requestCounter';
import { pause } from './settle';
import { single } from './stats';
import { openTree, treeModules, treeShows } from './treeHarness';

export async function measureIdle(ctx: BenchContext, fixture: Fixture): Promise<MeasureResult> {
  treeModules(ctx);
  const windowMs = ctx.size === 'small' ? 15_000 : 60_000;
  const counter = countRequests();
  const open = openTree(ctx);
  let startup: number;
  let during: typeof counter.requests;
  try {
    await treeShows(open, fixture.namespacePrefix, fixture.clusters, fixture.clusters * fixture.perCluster, 120_000);
    // Showing the tree asks once per cluster what the user may do there: part of the load, not of the idle.
    await open.tree.permissions?.idle();
    open.tree.getChildren();
    startup = counter.requests.length;
    const from = performance.now();
    ctx.log(`  tree open after ${startup} requests; idle for ${windowMs / 1000} s`);
    await pause(windowMs);
    during = counter.requests.filter((r) => r.at >= from);
  } finally {
    open.dispose();
    counter.restore();
  }
  const perMinute = (during.length * 60_000) / windowMs;
  const polls = during.filter((r) => !r.watch);
  const row: Row = {
    id: 'P7',
    measure: `P7 idle requests with the tree open (${windowMs / 1000} s window)`,
    unit: 'req/min',
    ours: single(perMinute),
    goal: 'watches only, no polling',
    met: polls.length === 0,
    note: `${startup} requests to load, open watches and ask permissions; during the window ${during.length} (${during.filter((r) => r.watch).length} watch renewals, ${polls.length} other)`,
  };
  return { rows: [row], details: { startup, windowMs, during } };
}
