// `npm run bench [-- --size small|full] [--only P1,P3] [--runs N]`: runs the measures against the
// local control plane (starting it if needed), prints one Markdown table and writes the same as
// JSON to test/bench/results/<date>-<size>.json. Every namespace it makes is deleted at the end.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { BenchNamespaces } from './benchNamespaces';
import { ensurePlane, repoRoot, waitReady } from './benchPlane';
import type { BenchContext, MeasureResult, Row, Size } from './benchTypes';
import { loadFixture, type Fixture } from './fixture';
import { credentialsOf, FloorClient } from './floorClient';
import { measures } from './measures';
import { failIfLingering } from './lingering';
import { renderNotes, renderTable } from './table';

interface Options {
  size: Size;
  only: string[] | undefined;
  runs: number;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = value('--size') ?? 'full';
  if (size !== 'small' && size !== 'full') throw new Error(`--size must be small or full, not ${size}`);
  const runs = Number(value('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive whole number');
  return { size, only: value('--only')?.split(',').map((s) => s.trim().toUpperCase()), runs };
}

/** cmp.writeConcurrency as package.json declares it: the bench measures the shipped default. */
function writeConcurrencySetting(): { default: number; maximum: number } {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: number; maximum: number }> } } };
  const setting = pkg.contributes.configuration.properties['cmp.writeConcurrency'];
  if (!setting) throw new Error('package.json declares no cmp.writeConcurrency');
  return setting;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const began = Date.now();
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const plane = ensurePlane();
  const credentials = await credentialsOf(plane.kubeconfig);
  const floor = new FloorClient(credentials);
  await waitReady(floor);
  const setting = writeConcurrencySetting();
  const prefix = `bench-${Date.now().toString(36).slice(-5)}-`;
  const ctx: BenchContext = {
    size: options.size,
    runs: Math.max(options.runs, 1),
    plane,
    writeConcurrency: setting.default,
    writeConcurrencyMax: setting.maximum,
    credentials,
    floor,
    namespaces: new BenchNamespaces(floor, prefix),
    kubeConfig: () => {
      const kc = new KubeConfig();
      kc.loadFromFile(plane.kubeconfig);
      return kc;
    },
    log,
  };
  const interrupted = () => {
    log('interrupted: deleting the bench namespaces');
    void ctx.namespaces.deleteAll(false).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  log(`bench ${options.size} against ${plane.server} (${plane.version}); cmp.writeConcurrency = ${setting.default} (package.json default)`);
  const rows: Row[] = [];
  const details: Record<string, unknown> = {};
  const failures: string[] = [];
  const selected = measures.filter((m) => !options.only || options.only.includes(m.id));
  let fixture: Fixture | undefined;
  try {
    for (const [index, measure] of selected.entries()) {
      const start = Date.now();
      log(`== ${measure.id}: ${measure.title}`);
      let result: MeasureResult;
      try {
        if (measure.usesFixture && !fixture) {
          fixture = await loadFixture(ctx);
          details.fixture = { clusters: fixture.clusters, perCluster: fixture.perCluster, loadSeconds: fixture.loadSeconds, runningSeconds: fixture.runningSeconds };
        }
        result = await measure.run(ctx, fixture as Fixture);
      } catch (error) {
        const message = error instanceof Error ? error.stack ?? error.message : String(error);
        log(`${measure.id} failed: ${message}`);
        failures.push(`${measure.id}: ${error instanceof Error ? error.message : String(error)}`);
        await ctx.namespaces.deleteAll(false).catch(() => undefined);
        fixture = undefined;
        continue;
      }
      rows.push(...result.rows);
      details[measure.id] = { ...result.details, seconds: Math.round((Date.now() - start) / 1000) };
      if (fixture && !selected.slice(index + 1).some((m) => m.usesFixture)) {
        fixture = undefined;
        // Ten thousand pods take a while to go: delete now, wait for none of it.
        await ctx.namespaces.deleteAll(false);
      }
    }
  } finally {
    await ctx.namespaces.deleteAll(false).catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
    floor.close();
  }
  const seconds = Math.round((Date.now() - began) / 1000);
  const table = renderTable(rows);
  const header = `CMP Clusters bench, size ${options.size}, ${new Date().toISOString()}; cmp.writeConcurrency = ${setting.default}; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${plane.version}; ${seconds} s`;
  process.stdout.write(`\n${header}\n\n${table}\n\n${renderNotes(rows)}\n${failures.length ? `\nfailed: ${failures.join('; ')}\n` : ''}`);
  const dir = join(repoRoot, 'test', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().slice(0, 16).replace(/:/g, '-')}-${options.size}.json`);
  const machine = { cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
  writeFileSync(file, `${JSON.stringify({ size: options.size, date: new Date().toISOString(), seconds, writeConcurrency: setting.default, plane: { server: plane.server, version: plane.version }, machine, rows, details, failures, table }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${file}\n`);
  process.exitCode = failures.length ? 1 : 0;
  failIfLingering(log);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
