// @ts-check
// Runs the extension-host suite (out/test/suite/index.js, or CMP_VSCODE_TESTS_INDEX) inside a real VS Code: code-server with
// its smoke-test driver, opened by headless Chromium; mocha's output goes to stdout, the suite's
// exit code is ours. Expects a build (`node esbuild.mjs`). Env vars given here reach the tests.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import { assertAptPackages, ensureCodeServer, startCodeServer } from './codeServer.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Another index (the reliability suite's host part) may be named, relative to the repo.
const testsIndex = resolve(repoDir, process.env.CMP_VSCODE_TESTS_INDEX || join('out', 'test', 'suite', 'index.js'));
const timeoutMs = Number(process.env.CMP_VSCODE_TEST_TIMEOUT_MS) || 10 * 60_000;
const chromiumPath = process.env.CMP_CHROMIUM || '/usr/bin/chromium';
const debug = process.env.CMP_VSCODE_DEBUG === '1';

// The workbench logs its own start-up through the same channel as the extension host's console;
// these lines (and the cancellations it logs while the extension host exits) say nothing about
// the tests, so they show only with CMP_VSCODE_DEBUG=1.
const workbenchChatter = /^(Canceled: Canceled|Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[(reconnection-grace-time|Service Worker|AgentHost[^\]]*|AccountPolicyGate|ChatModelSelection)\])/;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

/** @param {string} message */
function fail(message) {
  console.error(`extension-host tests: ${message}`);
  process.exit(1);
}

for (const [file, what] of [[testsIndex, 'the test index'], [join(repoDir, 'dist', 'extension.js'), 'the extension bundle']]) {
  if (!existsSync(file)) fail(`${what} ${file} is missing: run \`node esbuild.mjs\` first`);
}
try {
  assertAptPackages();
  await ensureCodeServer();
} catch (error) {
  fail(/** @type {Error} */ (error).message);
}

// The time limit covers code-server's start and the suite, not the one-time install above.
const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
// An empty workspace folder of our own: the repo itself would set watchers over node_modules.
const workspace = mkdtempSync(join(tmpdir(), 'cmp-vscode-workspace-'));

/** @type {Awaited<ReturnType<typeof startCodeServer>> | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
/** @type {Promise<void> | undefined} */
let cleaning;
/** Stops the browser and code-server and removes the workspace; every caller waits for the same run. */
function cleanUp() {
  cleaning ??= (async () => {
    // A hung browser never answers close(); Playwright's exit hook kills it when we exit anyway.
    if (browser) await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
    await server?.stop();
    rmSync(workspace, { recursive: true, force: true });
  })();
  return cleaning;
}
/** @type {NodeJS.Signals | undefined} */
let interrupted;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = signal;
    console.error(`extension-host tests: ${signal}, stopping code-server and the browser`);
    void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  });
}

/** Starts code-server and the browser, opens the workbench with the test payload, and resolves
 * with the exit code the workbench reports for run(). @returns {Promise<number>} */
async function runSuite() {
  // process.env goes to code-server and from there to its extension host: CMP_TEST_COUNTS,
  // CMP_TEST_KUBECONFIG and the like reach the tests unchanged.
  server = await startCodeServer({ folder: workspace, env: process.env, extraArgs: ['--vscode-option', 'enable-smoke-test-driver'] });
  const running = server;
  if (debug) console.error(`code-server on ${running.url}, log ${running.logFile} (${seconds()} s)`);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    // Our signal handlers close the browser after code-server's workbench; Playwright's would exit first.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-crash-reporter'],
  });
  const page = await browser.newPage();

  let reported = false;
  /** @type {(code: number) => void} */
  let finish = () => undefined;
  /** @type {Promise<number>} */
  const finished = new Promise((resolvePromise) => {
    finish = (code) => {
      reported = true;
      resolvePromise(code);
    };
  });
  // The workbench forwards the extension host's console (mocha's reporter) through this...
  await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown[]} */ args) => {
    const line = `${format(...(Array.isArray(args) ? args : [args]))}\n`;
    // After the exit code, the workbench only logs its own shutdown (cancelled promises).
    if (!debug && (reported || workbenchChatter.test(line))) return;
    if (type === 'error') process.stderr.write(line);
    else process.stdout.write(line);
  });
  // ...and the exit code of run() through this.
  await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => finish(Number(code)));
  page.on('crash', () => {
    console.error('extension-host tests: the browser page crashed');
    finish(1);
  });
  if (debug) page.on('console', (message) => console.error(`[page ${message.type()}] ${message.text()}`));

  // "remote" is the authority code-server's workbench resolves to its own server's file system.
  const remote = (/** @type {string} */ path) => `vscode-remote://remote${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoDir)],
    ['extensionTestsPath', remote(testsIndex)],
    ['skipWelcome', 'true'],
  ];
  const query = new URLSearchParams({ folder: workspace, payload: JSON.stringify(payload) });
  await page.goto(`${running.url}?${query}`);
  return finished;
}

/** @type {NodeJS.Timeout | undefined} */
let timer;
/** @type {Promise<'timeout'>} */
const timedOut = new Promise((resolvePromise) => {
  timer = setTimeout(() => resolvePromise('timeout'), timeoutMs);
});
/** @type {number} */
let exitCode;
try {
  const outcome = await Promise.race([runSuite(), timedOut]);
  if (outcome === 'timeout') {
    const limit = timeoutMs >= 60_000 ? `${Math.round(timeoutMs / 60_000)} minutes` : `${Math.round(timeoutMs / 1000)} s`;
    console.error(`extension-host tests: TIMEOUT, no result within ${limit} (the workbench never reported the suite's exit); stopping code-server and the browser.`);
    if (server) console.error(`last lines of code-server's log:\n${server.logTail(20)}`);
    exitCode = 1;
    // Whatever still hangs, this process ends soon; the exit hooks kill code-server and the browser.
    setTimeout(() => process.exit(1), 30_000).unref();
  } else {
    exitCode = outcome;
  }
} catch (error) {
  // Once interrupted, the errors of the closing browser are expected: the signal handler exits.
  if (!interrupted) console.error(`extension-host tests: ${/** @type {Error} */ (error).message}`);
  exitCode = 1;
} finally {
  clearTimeout(timer);
  await cleanUp();
}
if (interrupted) process.exit(interrupted === 'SIGINT' ? 130 : 143);
console.error(`extension-host tests: exit ${exitCode} after ${seconds()} s`);
process.exit(exitCode);
