// P5: activation cost. Each run is a fresh Node process that loads the bundle (against the vscode
// stand-in) and calls activate(), which makes no cluster call. Measured for the production bundle
// (what a .vsix ships, minified) and the development one (not minified), both built like esbuild.mjs
// builds dist/extension.js but into a temporary folder, so a concurrent build cannot swap them.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from './benchPlane';
import type { BenchContext, MeasureResult, Row } from './benchTypes';
import { goalAtMost } from './goals';
import { single, summarize } from './stats';

interface ProbeResult {
  loadMs: number;
  activateMs: number;
  /** The connect activate() defers to the next tick: kubeconfig, client library, session, cache. */
  deferredMs: number;
}

function probe(bundle: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(__dirname, 'activationProbe.js'), bundle], (error, stdout, stderr) => {
      if (error) reject(new Error(`activation probe failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ProbeResult);
    });
  });
}

/** The extension bundle as `node esbuild.mjs [--production]` builds it, into dir. */
async function bundle(dir: string, production: boolean): Promise<string> {
  const outfile = join(dir, production ? 'production' : 'development', 'extension.js');
  await build({ entryPoints: [join(repoRoot, 'src', 'extension.ts')], bundle: true, format: 'cjs', platform: 'node', target: 'node20', outfile, external: ['vscode'], minify: production, sourcemap: !production, sourcesContent: false, logLevel: 'warning' });
  return outfile;
}

export async function measureActivation(ctx: BenchContext): Promise<MeasureResult> {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-bench-bundle-'));
  try {
    const bundles = { production: await bundle(dir, true), development: await bundle(dir, false) };
    const runs = Math.max(ctx.runs * 2, 10);
    const rows: Row[] = [];
    const details: Record<string, unknown> = {};
    for (const [kind, bundle] of Object.entries(bundles)) {
      await probe(bundle);
      const results: ProbeResult[] = [];
      for (let i = 0; i < runs; i++) results.push(await probe(bundle));
      const total = summarize(results.map((r) => r.loadMs + r.activateMs));
      const call = summarize(results.map((r) => r.activateMs));
      const kb = statSync(bundle).size / 1024;
      ctx.log(`  ${kind}: load + activate() median ${total.median.toFixed(1)} ms, activate() ${call.median.toFixed(1)} ms, ${kb.toFixed(0)} KB`);
      const totalRow: Row = { id: 'P5', measure: `P5 load ${kind} bundle + activate()`, unit: 'ms', ours: total };
      rows.push(kind === 'production' ? goalAtMost(totalRow, 50, 'load + activate()') : totalRow);
      rows.push({ id: 'P5', measure: `P5 activate() call only, ${kind} bundle`, unit: 'ms', ours: call });
      rows.push({ id: 'P5', measure: `P5 deferred first connect after activate(), ${kind} bundle`, unit: 'ms', ours: summarize(results.map((r) => r.deferredMs)), note: 'runs on the next tick: reads the kubeconfig (initialising the client library) and starts the session; its requests are not waited for' });
      rows.push({ id: 'P5', measure: `P5 ${kind} bundle size`, unit: 'KB', ours: single(kb) });
      details[kind] = { results, bytes: statSync(bundle).size };
    }
    return { rows, details };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
