// @ts-check
/* global describe, it, before, beforeEach, after, afterEach */
// The README's two commands as a newcomer meets them: on a copy of the checkout without
// node_modules, `npm test` installs the locked dependencies and passes; `npm start` on stale
// dependencies reinstalls them, serves VS Code, and a Ctrl-C to its process group (as a terminal
// sends it) leaves no process of it running, early in its start or once it serves.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { markerName, processesMarked, stopLeftovers } from '../support/leftovers.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Tracked and untracked (not ignored) files: what a clone of this work would hold. @param {string} into */
function copyCheckout(into) {
  const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoDir, encoding: 'utf8' });
  assert.equal(listed.status, 0, `git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const from = join(repoDir, file);
    if (!existsSync(from)) continue; // deleted in the work tree
    mkdirSync(dirname(join(into, file)), { recursive: true });
    copyFileSync(from, join(into, file));
  }
}

/** @param {number} port */
function portFree(port) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A base with ten free ports after it, away from the shared plane's 16440. */
async function freePortBase() {
  for (let base = 27440 + (process.pid % 40) * 20; base < 30000; base += 20) {
    const free = await Promise.all(Array.from({ length: 10 }, (_, i) => portFree(base + i)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no ten free ports between 27440 and 30000');
}

/**
 * One command as a terminal runs it: its own process group (so a "Ctrl-C" reaches npm, the shell
 * and node together), output collected, every descendant marked.
 * @param {string[]} args npm's arguments @param {string} cwd @param {NodeJS.ProcessEnv} env
 */
function npmInTerminal(args, cwd, env) {
  const marker = randomUUID();
  const child = spawn('npm', args, { cwd, env: { ...env, [markerName]: marker }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  /** @type {Promise<number | null>} */
  const exited = new Promise((done) => child.once('close', (code, signal) => done(signal ? null : code)));
  return {
    marker,
    exited,
    output: () => output,
    ctrlC: () => process.kill(-(child.pid ?? 0), 'SIGINT'),
    /** Resolves when the output matches, fails if the command ends first. @param {RegExp} pattern @param {number} timeoutMs */
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => (ended = true));
      while (!pattern.test(output)) {
        if (ended) throw new Error(`npm ${args.join(' ')} ended before printing ${pattern}:\n${output.slice(-3000)}`);
        if (Date.now() > deadline) throw new Error(`npm ${args.join(' ')} printed no ${pattern} within ${timeoutMs / 1000} s:\n${output.slice(-3000)}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      return output.match(pattern);
    },
  };
}

/** The variables of the run this suite is part of stay out: the copy is a newcomer's checkout. */
function newcomerEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('CMP_TEST_') && key !== 'KUBECONFIG' && !key.startsWith('npm_')));
}

/**
 * After the group's Ctrl-C: it ends on its own, with nothing of it left and the plane's ports free.
 * @param {ReturnType<typeof npmInTerminal>} run @param {number} portBase @param {string} stateDir
 */
async function assertNothingLeft(run, portBase, stateDir) {
  const code = await Promise.race([run.exited, new Promise((done) => setTimeout(() => done('still running'), 60_000))]);
  assert.notEqual(code, 'still running', `npm start did not end within 60 s of Ctrl-C:\n${run.output().slice(-2000)}`);
  const left = processesMarked(run.marker);
  // Stop them anyway, so a failure here does not leak into the next test.
  await stopLeftovers(run.marker);
  assert.deepEqual(left, [], `processes left running after Ctrl-C:\n${run.output().slice(-2000)}`);
  for (let port = portBase; port < portBase + 10; port++) assert.ok(await portFree(port), `port ${port} is still held after Ctrl-C`);
  assert.ok(!existsSync(join(stateDir, 'plane.json')), `${stateDir}/plane.json is still there: the plane was not stopped`);
  assert.doesNotMatch(run.output(), /^\s+at .+:\d+:\d+\)?$/m, 'a stack trace was printed');
}

describe('the README commands on a fresh checkout', function () {
  this.timeout(10 * 60_000);
  /** @type {string} */
  let checkout;
  /** @type {string} */
  let stateDir;
  /** @type {number} */
  let portBase;

  before(async () => {
    checkout = mkdtempSync(join(tmpdir(), 'cmp-newcomer-'));
    copyCheckout(checkout);
    portBase = await freePortBase();
  });
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), 'cmp-newcomer-plane-'));
    rmSync(stateDir, { recursive: true });
  });
  // The plane's state (etcd's data, about 60 MB) goes too, once each test has checked it.
  afterEach(() => rmSync(stateDir, { recursive: true, force: true }));
  after(() => rmSync(checkout, { recursive: true, force: true }));

  it('npm test without node_modules installs the locked dependencies, then passes', async () => {
    assert.ok(!existsSync(join(checkout, 'node_modules')));
    const run = npmInTerminal(['test', '--', 'unit'], checkout, newcomerEnv());
    const code = await run.exited;
    const output = run.output();
    assert.match(output, /npm test: installing the locked dependencies first \(npm ci/);
    assert.doesNotMatch(output, /ERR_MODULE_NOT_FOUND|^\s+at .+:\d+:\d+\)?$/m);
    const summary = output.trim().split('\n').at(-1) ?? '';
    assert.match(summary, /^[1-9]\d* passed, 0 failed$/, output.slice(-2000));
    assert.equal(code, 0);
  });

  it('npm start on stale dependencies reinstalls them; Ctrl-C once it serves leaves nothing running', async () => {
    // Stale: node_modules holds another version of a locked package than package-lock.json says.
    const record = join(checkout, 'node_modules', '.package-lock.json');
    if (!existsSync(record)) {
      const install = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: checkout, env: newcomerEnv(), encoding: 'utf8' });
      assert.equal(install.status, 0, `npm ci in the copy failed: ${install.stderr}`);
    }
    const installed = JSON.parse(readFileSync(record, 'utf8'));
    installed.packages['node_modules/mocha'].version = '0.0.1';
    writeFileSync(record, JSON.stringify(installed));
    const run = npmInTerminal(['start'], checkout, { ...newcomerEnv(), CMP_LOCAL: '1', CMP_DEV_DIR: stateDir, CMP_PLANE_PORT_BASE: String(portBase) });
    await run.waitFor(/npm start: installing the locked dependencies first \(npm ci, about 20 s\), because mocha is 0\.0\.1, the lock says/, 30_000);
    const [, url] = /** @type {RegExpMatchArray} */ (await run.waitFor(/CMP Clusters in VS Code: (http:\/\/127\.0\.0\.1:\d+\/\S*)/, 8 * 60_000));
    const page = await fetch(url);
    assert.equal(page.status, 200, `${url} answered ${page.status}`);
    assert.match(await page.text(), /<html/i);
    run.ctrlC();
    await assertNothingLeft(run, portBase, stateDir);
    assert.match(run.output(), /npm start: stopping the local control plane it started/);
  });

  it('npm start interrupted while the plane starts leaves nothing running', async () => {
    const run = npmInTerminal(['start'], checkout, { ...newcomerEnv(), CMP_LOCAL: '1', CMP_DEV_DIR: stateDir, CMP_PLANE_PORT_BASE: String(portBase) });
    await run.waitFor(/npm start: starting the local control plane/, 3 * 60_000);
    // Once the apiserver has been started there is something to leave behind.
    const apiserverPid = join(stateDir, 'pids', 'apiserver.pid');
    for (const deadline = Date.now() + 60_000; !existsSync(apiserverPid); ) {
      assert.ok(Date.now() < deadline, `the plane started no apiserver within 60 s:\n${run.output().slice(-2000)}`);
      await new Promise((done) => setTimeout(done, 50));
    }
    run.ctrlC();
    await assertNothingLeft(run, portBase, stateDir);
  });
});
