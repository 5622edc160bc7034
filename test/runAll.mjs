// @ts-check
// `npm test`: builds, starts the local control plane when a suite needs it, runs every suite in
// its own process, and ends with one line "N passed, N failed" summing them all (CI reads it).
// `npm test -- unit cluster` runs only the named suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suites } from './suites.mjs';

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = requested.length ? suites.filter((s) => requested.includes(s.name)) : suites;
const unknown = requested.filter((r) => !suites.some((s) => s.name === r));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

/** @param {string} command @param {string[]} args @param {NodeJS.ProcessEnv} [env] */
function run(command, args, env = process.env) {
  return spawnSync(command, args, { stdio: 'inherit', env });
}

const build = run(process.execPath, ['esbuild.mjs']);
if (build.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

/** @type {NodeJS.ProcessEnv} */
let env = { ...process.env };
let startedPlane = false;
if (chosen.some((s) => s.needsPlane)) {
  const wasRunning = existsSync('.cmp-dev/plane.json');
  const up = spawnSync(process.execPath, ['test/cluster/plane.mjs', 'up'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const line = up.stdout.trim().split('\n').pop() ?? '';
  if (up.status !== 0 || !line.startsWith('KUBECONFIG=')) {
    console.error('the local control plane did not start; suites that need it count as failed');
    console.log(`0 passed, ${chosen.length} failed`);
    process.exit(1);
  }
  startedPlane = !wasRunning;
  const plane = JSON.parse(readFileSync('.cmp-dev/plane.json', 'utf8'));
  env = {
    ...env,
    CMP_TEST_KUBECONFIG: line.slice('KUBECONFIG='.length),
    CMP_TEST_TENANT_KUBECONFIG: join(process.cwd(), '.cmp-dev', 'tenant.kubeconfig'),
    CMP_TEST_KUBECTL: join(plane.binDir, 'kubectl'),
  };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const countsDir = mkdtempSync(join(tmpdir(), 'cmp-test-counts-'));
for (const suite of chosen) {
  console.log(`\n=== suite: ${suite.name} ===`);
  const countsFile = join(countsDir, `${suite.name}.json`);
  const result = run(suite.command[0], suite.command.slice(1), { ...env, CMP_TEST_COUNTS: countsFile });
  if (!existsSync(countsFile)) {
    console.log(`suite ${suite.name} ended (exit ${result.status}) without reporting counts: counted as 1 failure`);
    totals.failed += 1;
    continue;
  }
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  if (result.status !== 0 && counts.failed === 0) totals.failed += 1;
  console.log(`suite ${suite.name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`);
}
rmSync(countsDir, { recursive: true, force: true });
if (startedPlane && process.env.CMP_KEEP_PLANE !== '1') run(process.execPath, ['test/cluster/plane.mjs', 'down']);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed === 0 ? 0 : 1);
