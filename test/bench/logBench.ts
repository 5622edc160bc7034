// P6: the log pipeline under a flood. A pod's log (a kwok Logs file) grows at a fixed high rate from a
// separate writer process; each reader follows it from the end and the rate it keeps up is read while
// the writer runs. Ours is the Logs pane's feed and batching (LogPaneFeed, LogPaneBuffer) without its
// webview; kubectl is `kubectl logs -f`; the floor is a raw follow that only counts newlines.
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namespaceManifest } from '../../src/core/manifests';
import { namespaceFor } from '../../src/core/names';
import { ClusterCache } from '../../src/kube/clusterCache';
import type * as EventsPanelModule from '../../src/vscode/panels/eventsPanel';
import { repoRoot } from './benchPlane';
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import { benchSpec } from './benchSpecs';
import { collectionPath, instancesOf, ourClient } from './createBench';
import { floorReader, kubectlReader, paneReader, type LogReader, type PaneSettings } from './logReaders';
import { settledHeapMB } from './memory';
import { pause, podsSettled } from './settle';
import { single } from './stats';
import { installVscodeStandIn, loadWithStandIn } from './vscodeHook';

const criLine = (text: string) => `${new Date().toISOString().replace('Z', '000000Z')} stdout F ${text}\n`;

function writer(file: string, rate: number, seconds: number): Promise<{ written: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'logWriter.js'), file, String(rate), String(seconds)], (error, stdout, stderr) => {
      if (error) reject(new Error(`log writer failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim()) as { written: number; seconds: number });
    });
  });
}

/** The pane's defaults as package.json declares them, and the panel's batch interval. */
function paneSettings(ctx: BenchContext): PaneSettings {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: number }> } } };
  const props = pkg.contributes.configuration.properties;
  installVscodeStandIn({ 'cmp.kubeconfig': ctx.plane.kubeconfig });
  const { batchIntervalMs } = loadWithStandIn<typeof EventsPanelModule>('../../src/vscode/panels/eventsPanel');
  return { tailLines: props['cmp.logTailLines']?.default ?? 500, bufferLines: props['cmp.logBufferLines']?.default ?? 10_000, batchIntervalMs };
}

interface FloodResult {
  rate: number;
  written: number;
  takenDuring: number;
  seconds: number;
  drainedAfterMs: number | undefined;
  heapPeakMB: number;
  /** Heap when the writer stopped, the reader still open (its bounded buffer full), after a full GC. */
  heapAfterMB: number;
}

/** Starts the reader, waits until it shows a first line, then floods for `seconds` and reads its rate. */
async function flood(file: string, rate: number, seconds: number, start: () => LogReader): Promise<FloodResult> {
  const reader = start();
  try {
    for (let i = 0; reader.lines === 0; i++) {
      if (i > 300) throw new Error('the log reader saw no line within 60 s');
      appendFileSync(file, criLine(`ready ${i}`));
      await pause(200);
    }
    const base = reader.lines;
    let heapPeak = 0;
    const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed / 2 ** 20)), 250);
    const began = performance.now();
    const done = await writer(file, rate, seconds).finally(() => clearInterval(sampler));
    const window = (performance.now() - began) / 1000;
    const takenDuring = reader.lines - base;
    const heapAfterMB = settledHeapMB();
    let drainedAfterMs: number | undefined;
    const drainStart = performance.now();
    while (performance.now() - drainStart < 10_000) {
      if (reader.lines - base >= done.written) {
        drainedAfterMs = performance.now() - drainStart;
        break;
      }
      await pause(50);
    }
    return { rate: takenDuring / window, written: done.written, takenDuring, seconds: window, drainedAfterMs, heapPeakMB: heapPeak, heapAfterMB };
  } finally {
    reader.stop();
  }
}

export async function measureLogs(ctx: BenchContext): Promise<MeasureResult> {
  const settings = paneSettings(ctx);
  const rate = ctx.size === 'small' ? 20_000 : 100_000;
  const oursSeconds = ctx.size === 'small' ? 5 : 60;
  const otherSeconds = ctx.size === 'small' ? 5 : 20;
  const dir = mkdtempSync(join(tmpdir(), 'cmp-bench-logs-'));
  const spec = benchSpec(ctx.namespaces.clusterName('p6'), 3, false);
  const namespace = namespaceFor(spec.name);
  const client = ourClient(ctx);
  const cache = new ClusterCache(client, { fallbackNamespaces: () => [] });
  try {
    // One instance and one fresh log file per reader, so no reader inherits another's backlog.
    await ctx.floor.ok('POST', '/api/v1/namespaces', namespaceManifest(spec));
    const instances = instancesOf(spec);
    const files = instances.map((o) => join(dir, `${o.metadata.name}.log`));
    for (const [i, instance] of instances.entries()) {
      writeFileSync(files[i] as string, '');
      await ctx.floor.ok('POST', `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${namespace}/logs`, { apiVersion: 'kwok.x-k8s.io/v1alpha1', kind: 'Logs', metadata: { name: instance.metadata.name }, spec: { logs: [{ logsFile: files[i], follow: true }] } });
      await ctx.floor.ok('POST', collectionPath(instance), instance);
    }
    if (!(await podsSettled(ctx.floor, namespace, instances.length))) throw new Error(`the instances of ${namespace} did not start`);
    await cache.start();
    const heapBefore = settledHeapMB();
    const [oursPod, kubectlPod, floorPod] = instances.map((o) => o.metadata.name) as [string, string, string];
    const [oursFile, kubectlFile, floorFile] = files as [string, string, string];
    ctx.log(`  ours: ${rate} lines/s offered for ${oursSeconds} s`);
    const ours = await flood(oursFile, rate, oursSeconds, () => paneReader(ctx, cache, namespace, oursPod, settings));
    ctx.log(`  kubectl logs -f: ${otherSeconds} s`);
    const viaKubectl = await flood(kubectlFile, rate, otherSeconds, () => kubectlReader(ctx, namespace, kubectlPod));
    ctx.log(`  floor: ${otherSeconds} s`);
    const viaFloor = await flood(floorFile, rate, otherSeconds, () => floorReader(ctx, namespace, floorPod));
    const row: Row = {
      id: 'P6',
      measure: `P6 log lines/s into a pane, ${rate.toLocaleString('en-US')}/s offered (ours ${oursSeconds} s, others ${otherSeconds} s)`,
      unit: 'lines/s',
      ours: single(ours.rate),
      kubectl: single(viaKubectl.rate),
      floor: single(viaFloor.rate),
      note: `higher is better; lag drained after ${ours.drainedAfterMs === undefined ? 'more than 10 s' : `${Math.round(ours.drainedAfterMs)} ms`} (ours); pane buffer ${settings.bufferLines} lines, batches every ${settings.batchIntervalMs} ms`,
    };
    const peak: Row = { id: 'P6', measure: 'P6 heap during the flood (peak − before, garbage included)', unit: 'MB', ours: single(ours.heapPeakMB - heapBefore), note: `heap before ${heapBefore.toFixed(1)} MB, peak ${ours.heapPeakMB.toFixed(1)} MB` };
    const held: Row = { id: 'P6', measure: 'P6 heap held after the flood, pane still open (after GC − before)', unit: 'MB', ours: single(ours.heapAfterMB - heapBefore) };
    return { rows: [row, peak, held], details: { ours, kubectl: viaKubectl, floor: viaFloor, settings } };
  } finally {
    cache.dispose();
    client.transport.dispose();
    rmSync(dir, { recursive: true, force: true });
    await ctx.namespaces.deleteAll(false);
  }
}
