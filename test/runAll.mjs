// @ts-check
// `npm test`: installs the locked dependencies on a fresh clone, builds, starts the local control
// plane and installs code-server when a chosen suite needs them (once per machine, untimed, with
// progress), runs every suite in its own process, and ends with one line "N passed, N failed"
// summing them all (CI reads it). `npm test -- unit cluster` runs only the named suites. Interrupted,
// it stops the running suite and the plane it started, and still ends with that line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDependencies } from './support/ensureDependencies.mjs';
import { suites } from './suites.mjs';

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = requested.length ? suites.filter((s) => requested.includes(s.name)) : suites;
const unknown = requested.filter((r) => !suites.some((s) => s.name === r));
if (unknown.length) {
  console.error(`unknown suite ${unknown.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
ensureDependencies('npm test');

const totals = { passed: 0, failed: 0 };
/** @type {import('node:child_process').ChildProcess | undefined} */
let current;
/** @type {NodeJS.Signals | undefined} */
let interrupted;
let startedPlane = false;

/** Runs a command to its end, output shown; resolves with its exit status. @param {string[]} command @param {NodeJS.ProcessEnv} [env] @param {boolean} [capture] */
function run(command, env = process.env, capture = false) {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], env });
    current = child;
    let out = '';
    child.stdout?.on('data', (chunk) => (out += chunk));
    child.once('error', (error) => {
      console.error(`could not run ${command.join(' ')}: ${error.message}`);
      resolve({ status: null, out });
    });
    child.once('close', (status) => {
      current = undefined;
      resolve({ status, out });
    });
  });
}

/** Stops the plane if this run started it, prints the one summary line and exits. */
async function finish() {
  if (startedPlane && process.env.CMP_KEEP_PLANE !== '1') await run([process.execPath, 'test/cluster/plane.mjs', 'down']);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed === 0 && !interrupted ? 0 : 1);
}

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    console.error(`\nnpm test: ${signal}: stopping the running step, then what this run started`);
    // A Ctrl-C reached the step too (same process group); a signal sent to this process alone did not.
    current?.kill(signal);
  });
}

/** @param {string} what */
function failedBeforeSuites(what) {
  console.error(what);
  totals.failed += chosen.length;
  return finish();
}

if ((await run([process.execPath, 'esbuild.mjs'])).status !== 0) await failedBeforeSuites('the build failed; every chosen suite counts as failed');

/** @type {NodeJS.ProcessEnv} */
let env = { ...process.env };
if (!interrupted && chosen.some((s) => s.needsPlane)) {
  const planes = Math.max(1, ...chosen.map((s) => s.planes ?? 1));
  const recorded = () => ['.cmp-dev', ...Array.from({ length: planes - 1 }, (_, i) => `.cmp-dev-${i + 2}`)].filter((dir) => existsSync(join(dir, 'plane.json'))).length;
  const wereRunning = recorded();
  const up = await run([process.execPath, 'test/cluster/plane.mjs', 'up', ...(planes > 1 ? ['--contexts', String(planes)] : [])], process.env, true);
  const line = up.out.trim().split('\n').pop() ?? '';
  // Stopped at the end if this run started any of them (down stops them all).
  startedPlane = recorded() > wereRunning;
  if (up.status !== 0 || !line.startsWith('KUBECONFIG=')) await failedBeforeSuites('the local control plane did not start; suites that need it count as failed');
  const plane = JSON.parse(readFileSync('.cmp-dev/plane.json', 'utf8'));
  env = {
    ...env,
    CMP_TEST_KUBECONFIG: join(process.cwd(), '.cmp-dev', 'kubeconfig'),
    // One kubeconfig with a context per plane (cmp-dev, cmp-dev-2, …), when more than one runs.
    ...(planes > 1 ? { CMP_TEST_FLEET_KUBECONFIG: line.slice('KUBECONFIG='.length) } : {}),
    CMP_TEST_TENANT_KUBECONFIG: join(process.cwd(), '.cmp-dev', 'tenant.kubeconfig'),
    CMP_TEST_KUBECTL: join(plane.binDir, 'kubectl'),
  };
}
if (!interrupted && chosen.some((s) => s.needsCodeServer)) {
  // Once per machine, before any suite's time limits start counting.
  const install = await run([process.execPath, '--input-type=module', '-e', "await (await import('./test/vscode/codeServer.mjs')).ensureCodeServer()"]);
  if (install.status !== 0) await failedBeforeSuites('code-server could not be installed; suites that need it count as failed');
}

const countsDir = mkdtempSync(join(tmpdir(), 'cmp-test-counts-'));
for (const suite of chosen) {
  if (interrupted) {
    console.log(`suite ${suite.name}: not run (interrupted): counted as 1 failure`);
    totals.failed += 1;
    continue;
  }
  console.log(`\n=== suite: ${suite.name} ===`);
  const countsFile = join(countsDir, `${suite.name}.json`);
  const result = await run(suite.command, { ...env, CMP_TEST_COUNTS: countsFile });
  if (!existsSync(countsFile)) {
    console.log(`suite ${suite.name} ended (exit ${result.status}) without reporting counts: counted as 1 failure`);
    totals.failed += 1;
    continue;
  }
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  totals.passed += counts.passed;
  // A skipped test proves nothing: it counts as a failure, never as a pass.
  totals.failed += counts.failed + counts.skipped;
  if (result.status !== 0 && counts.failed === 0) totals.failed += 1;
  console.log(`suite ${suite.name}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped (counted as failed)` : ''}`);
}
rmSync(countsDir, { recursive: true, force: true });
await finish();
