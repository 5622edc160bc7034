// P8 (terminal) and P9 (port forward) against one instance of the plane, whose exec kwok runs on this
// machine and whose port 8080 kwok forwards to the plane's instance-web. Each tool in turn (ours,
// kubectl, the raw WebSocket floor): P8 times `sh -c 'echo ready; exec cat'` from asking to its
// first output, then echo round trips of a short line (a keystroke and its echo); P9 times a forward
// from asking to the first answer through it, then the MB/s of one large download on one connection.
// P9's floor has a bare local listener in front of its WebSocket, as every forward has; the wire
// alone (the WebSocket read directly) is measured beside it and reported in the details.
import { instanceManifest, namespaceManifest } from '../../src/core/manifests';
import { namespaceFor } from '../../src/core/names';
import { storedSpecOf } from '../../src/core/clusterSpec';
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import { benchSpec } from './benchSpecs';
import { closeLocalClient } from './localClient';
import { collectionPath } from './createBench';
import { pause, podsSettled } from './settle';
import { ratio, summarize, summarizeTail, type Summary } from './stats';
import { floorExec, floorForward, kubectlExec, kubectlForward, oursExec, oursForward, wireForward, type ExecTool, type ForwardTool } from './streamClients';

const tools = { ours: 0, kubectl: 1, floor: 2 } as const;
type Tool = keyof typeof tools;

interface Figures {
  firstOutput: number[];
  echo: number[];
  setup: number[];
  mbPerSecond: number[];
}

/** One exec run: ask → first output; the first run of each tool also times `echoes` round trips. */
async function execRun(ctx: BenchContext, tool: ExecTool, namespace: string, figures: Figures, echoes: number): Promise<void> {
  const start = performance.now();
  const session = await tool(ctx, namespace, 'instance-0', ['sh', '-c', 'echo ready; exec cat']);
  try {
    await session.received.until('ready\n');
    figures.firstOutput.push(performance.now() - start);
    for (let i = 0; i < echoes; i++) {
      const line = `k${figures.firstOutput.length}-${i}\n`;
      const sent = performance.now();
      session.write(line);
      await session.received.until(line);
      if (i >= 10) figures.echo.push(performance.now() - sent); // the first ten warm up
    }
  } finally {
    session.close();
  }
}

/** One forward run: ask → first answer through it, then `downloads` large downloads, each on a new connection. */
async function forwardRun(ctx: BenchContext, tool: ForwardTool, namespace: string, figures: Figures, bytes: number, downloads: number): Promise<void> {
  const start = performance.now();
  const handle = await tool(ctx, namespace, 'instance-0', 8080);
  try {
    await handle.get('/');
    figures.setup.push(performance.now() - start);
    for (let i = 0; i < downloads; i++) {
      const began = performance.now();
      const got = await handle.get(`/bytes/${bytes}`);
      if (got < bytes) throw new Error(`a download through the forward ended after ${got} of ${bytes} bytes`);
      figures.mbPerSecond.push(bytes / 1e6 / ((performance.now() - began) / 1000));
    }
  } finally {
    handle.close();
  }
}

/** Lower is better: ours ≤ 1.2× the floor and no slower than kubectl. */
function lowerRow(id: string, measure: string, figures: Summary[]): Row {
  const [ours, kubectl, floor] = figures;
  const overFloor = ratio(ours, floor);
  const underKubectl = ratio(kubectl, ours);
  return { id, measure, unit: 'ms', ours, kubectl, floor, goal: 'ours/floor ≤ 1.2, kubectl/ours ≥ 1', met: overFloor !== undefined && underKubectl !== undefined && overFloor <= 1.2 && underKubectl >= 1 };
}

export async function measureStreams(ctx: BenchContext): Promise<MeasureResult> {
  const spec = benchSpec(ctx.namespaces.clusterName('p8'), 1, false);
  const namespace = namespaceFor(spec.name);
  // Enough round trips that p99 is not one or two stray values.
  const echoes = ctx.size === 'full' ? 1000 : 100;
  const bytes = (ctx.size === 'full' ? 64 : 16) * 1024 * 1024;
  // The rate on this machine swings with what else runs; more downloads make its median steadier.
  const downloads = ctx.size === 'full' ? 4 : 1;
  try {
    await ctx.floor.ok('POST', '/api/v1/namespaces', namespaceManifest(spec));
    await defaultServiceAccount(ctx, namespace);
    const instance = instanceManifest({ namespace, cluster: spec.name, spec: storedSpecOf(spec), serviceAccount: false }, 0);
    await ctx.floor.ok('POST', collectionPath(instance), instance);
    if (!(await podsSettled(ctx.floor, namespace, 1))) throw new Error(`the instance of ${namespace} did not start`);
    const execTools: Record<Tool, ExecTool> = { ours: oursExec, kubectl: kubectlExec, floor: floorExec };
    const forwardTools: Record<Tool, ForwardTool> = { ours: oursForward, kubectl: kubectlForward, floor: floorForward };
    const empty = (): Figures => ({ firstOutput: [], echo: [], setup: [], mbPerSecond: [] });
    const figures = Object.fromEntries((Object.keys(tools) as Tool[]).map((t) => [t, empty()])) as unknown as Record<Tool, Figures>;
    const wire = empty();
    // Tools take turns within each run, so warm-up and machine noise fall on all three alike.
    for (let run = 0; run < ctx.runs; run++) {
      ctx.log(`  P8/P9 run ${run + 1} of ${ctx.runs}`);
      for (const tool of Object.keys(tools) as Tool[]) {
        await execRun(ctx, execTools[tool], namespace, figures[tool], run === 1 ? echoes + 10 : 0);
        await pause(100);
        await forwardRun(ctx, forwardTools[tool], namespace, figures[tool], bytes, downloads);
        await pause(100);
      }
      await forwardRun(ctx, wireForward, namespace, wire, bytes, downloads);
      await pause(100);
    }
    const exec = figures;
    const forward = figures;
    const each = <T>(pick: (tool: Tool) => T): T[] => (Object.keys(tools) as Tool[]).map(pick);
    const throughput = each((t) => summarize(forward[t].mbPerSecond));
    const [oursRate, kubectlRate, floorRate] = throughput;
    const rateOverFloor = ratio(floorRate, oursRate);
    const rows: Row[] = [
      lowerRow('P8', 'P8 terminal: ask → first output', each((t) => summarize(exec[t].firstOutput))),
      lowerRow('P8', `P8 keystroke echo p50 (${echoes} round trips)`, each((t) => summarizeTail(exec[t].echo, 50))),
      lowerRow('P8', `P8 keystroke echo p99 (${echoes} round trips)`, each((t) => summarizeTail(exec[t].echo, 99))),
      lowerRow('P9', 'P9 port forward: ask → first answer', each((t) => summarize(forward[t].setup))),
      {
        id: 'P9',
        measure: `P9 port forward throughput (${bytes / 1024 / 1024} MiB on one connection, ${downloads * ctx.runs} downloads)`,
        unit: 'MB/s',
        ours: oursRate,
        kubectl: kubectlRate,
        floor: floorRate,
        goal: 'floor/ours ≤ 1.2, ours ≥ kubectl',
        met: rateOverFloor !== undefined && oursRate !== undefined && kubectlRate !== undefined && rateOverFloor <= 1.2 && oursRate.median >= kubectlRate.median,
        note: 'higher is better: the ratio columns read inverted here; all three go through a local TCP listener (the wire alone is in the details)',
      },
    ];
    const wireFigures = { setupMs: summarize(wire.setup), mbPerSecond: summarize(wire.mbPerSecond) };
    return { rows, details: { execProtocolCommand: 'sh -c "echo ready; exec cat" (no TTY: kubectl exec -t needs a terminal)', echoes, bytes, wireWithoutLocalListener: wireFigures } };
  } finally {
    await closeLocalClient();
    await ctx.namespaces.deleteAll(false);
  }
}

/** Pods need the namespace's default service account, which the controller-manager makes: wait as the product does. */
async function defaultServiceAccount(ctx: BenchContext, namespace: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const answer = await ctx.floor.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`);
    if (answer.status === 200) return;
    await pause(100);
  }
  throw new Error(`${namespace} got no default service account within 60 s`);
}
