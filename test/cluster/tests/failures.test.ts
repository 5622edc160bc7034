// Failures and bad input of `plane.mjs` in a throwaway state folder: each ends with one line of cause
// and one of fix (no stack trace, nothing on stdout) and leaves no process of that plane running.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually } from '../../support/testPlane';
import { field, planeScript, repoRoot, runPlane } from './fixtures';
import type { CliResult } from './fixtures';
import { assertNoProcessFrom, close, freePortBase, isAlive, killProcessesMentioning, listen, processesMentioning } from './localProcesses';

/** The shape every refusal must have: exit 1, empty stdout, last two stderr lines cause and fix. */
function assertCauseAndFix(result: CliResult, verb: string, cause: RegExp, fix: RegExp): void {
  assert.equal(result.code, 1, `exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, '');
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  const lines = result.stderr.trimEnd().split('\n');
  const [causeLine = '', fixLine = ''] = lines.slice(-2);
  assert.ok(causeLine.startsWith(verb ? `cluster ${verb}: ` : 'cluster: '), `cause line: ${causeLine}`);
  assert.match(causeLine, cause);
  assert.match(fixLine, /^ {2}fix: \S/);
  assert.match(fixLine, fix);
}

describe('plane failures and bad input', () => {
  const root = mkdtempSync(join(tmpdir(), 'cmp-plane-fail-'));
  const spawned: ChildProcess[] = [];
  let run = 0;
  let base = 0;

  /** A fresh state folder for one case and the environment pointing plane.mjs at it. */
  function sandbox(extra: NodeJS.ProcessEnv = {}): { dir: string; env: NodeJS.ProcessEnv } {
    run += 1;
    const dir = join(root, `state-${run}`);
    return { dir, env: { ...process.env, CMP_DEV_DIR: dir, CMP_PLANE_PORT_BASE: String(base), ...extra } };
  }

  before(async () => {
    base = await freePortBase();
  });

  after(() => {
    for (const child of spawned) if (child.pid !== undefined && isAlive(child.pid)) child.kill('SIGKILL');
    // Whatever a failed case left running from this folder (the harness should have stopped it).
    killProcessesMentioning(root);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses to start when one of its ports is in use', async () => {
    const { dir, env } = sandbox();
    const apiserverPort = base + 3;
    const blocker = await listen(apiserverPort);
    try {
      const result = await runPlane(['up'], env);
      assertCauseAndFix(result, 'up', new RegExp(`port ${apiserverPort} \\(apiserver\\) on 127\\.0\\.0\\.1 is already in use`), /CMP_PLANE_PORT_BASE=/);
      assert.equal(result.stderr.trimEnd().split('\n').length, 2, 'exactly two lines');
    } finally {
      await close(blocker);
    }
    await assertNoProcessFrom(dir);
  });

  it('cleans a stale pid file left by a dead plane, then reports the busy port', async () => {
    const { dir, env } = sandbox();
    const dead = spawnSync('true');
    assert.ok(dead.pid && !isAlive(dead.pid));
    mkdirSync(join(dir, 'pids'), { recursive: true });
    writeFileSync(join(dir, 'pids', 'etcd.pid'), `${dead.pid}\n`);
    const blocker = await listen(base);
    try {
      const result = await runPlane(['up'], env);
      assertCauseAndFix(result, 'up', new RegExp(`port ${base} \\(etcd\\) .*already in use`), /ss -ltnp/);
      assert.match(result.stderr.split('\n')[0] ?? '', /^cleaning stale plane state left by an earlier run/);
      assert.ok(!existsSync(join(dir, 'pids', 'etcd.pid')), 'the stale pid file is gone');
    } finally {
      await close(blocker);
    }
    await assertNoProcessFrom(dir);
  });

  it('refuses a half-started plane, and its fix (cluster:down) clears it', async () => {
    const { dir, env } = sandbox();
    const sleeper = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    spawned.push(sleeper);
    const pid = sleeper.pid ?? 0;
    mkdirSync(join(dir, 'pids'), { recursive: true });
    writeFileSync(join(dir, 'pids', 'etcd.pid'), `${pid}\n`);

    const result = await runPlane(['up'], env);
    assertCauseAndFix(result, 'up', /half-started plane is in .*: running etcd; never became ready/, /cluster:down/);
    assert.ok(isAlive(pid), 'up neither killed nor replaced the running process');
    assert.ok(existsSync(join(dir, 'pids', 'etcd.pid')), 'up left the half plane as it was');

    const status = await runPlane(['status'], env);
    assert.match(status.stdout, /half-started plane .*cluster:down/);
    const down = await runPlane(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^stopped etcd; state wiped$/m);
    await eventually('the half plane\'s process to be stopped', async () => (isAlive(pid) ? undefined : true));
    assert.ok(!existsSync(dir), 'down wiped the state folder');
  });

  it('says Go is missing when binaries must be built and go is not on PATH', async function () {
    this.timeout(60_000);
    const cache = join(root, `empty-cache-${run}`);
    mkdirSync(cache);
    const pathWithoutGo = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !existsSync(join(d, 'go'))).join(delimiter);
    const { dir, env } = sandbox({ CMP_CACHE_DIR: cache, PATH: pathWithoutGo });
    assert.equal(field(spawnSync('go', ['version'], { env }).error, 'code'), 'ENOENT', 'go cannot be run with the PATH given to plane.mjs');

    const result = await runPlane(['up'], env);
    assertCauseAndFix(result, 'up', /Go is not installed or not on PATH/, /install Go/);
    assert.deepEqual(readdirSync(cache), [], 'no partial build was left in the cache');
    await assertNoProcessFrom(dir);
  });

  it('rejects an unknown command, and a missing one, with the list of commands', async () => {
    const { dir, env } = sandbox();
    const unknown = await runPlane(['start'], env);
    assertCauseAndFix(unknown, 'start', /unknown command "start"/, /up \[--with-kubevirt\] \[--contexts N\], down, status, restart-apiserver, stop-apiserver, start-apiserver/);
    const missing = await runPlane([], env);
    assertCauseAndFix(missing, '', /unknown command ""/, /use one of: up/);
    assert.ok(!existsSync(dir), 'a bad command touches no state');
  });

  it('rejects a CMP_PLANE_PORT_BASE that is not a port', async () => {
    const { dir, env } = sandbox({ CMP_PLANE_PORT_BASE: 'eighty' });
    const result = await runPlane(['up'], env);
    assertCauseAndFix(result, 'up', /CMP_PLANE_PORT_BASE=eighty is not a port between 1024 and 65000/, /unset it/);
    await assertNoProcessFrom(dir);
  });

  describe('with fake binaries (a component that fails or hangs while starting)', () => {
    const cache = join(root, 'fake-cache');

    before(() => {
      // The cache folder plane.mjs would use for the current harness sources, filled with a fake cmpplane.
      const pathsModule = pathToFileURL(join(repoRoot, 'test', 'cluster', 'lib', 'paths.mjs')).href;
      const bin = execFileSync(process.execPath, ['--input-type=module', '-e', `import { binDir } from ${JSON.stringify(pathsModule)}; process.stdout.write(binDir());`], {
        env: { ...process.env, CMP_CACHE_DIR: cache },
        encoding: 'utf8',
      });
      mkdirSync(join(bin, 'crds'), { recursive: true });
      writeFileSync(join(bin, 'complete'), 'fake binaries for failure tests\n');
      const script = join(bin, 'cmpplane');
      writeFileSync(script, [
        '#!/bin/sh',
        '# Fake cmpplane: makes placeholder certificates; its etcd starts a helper, then dies or hangs.',
        'case "$1" in',
        '  certs) dir="${2#--dir=}"; mkdir -p "$dir"; for f in ca.crt admin.crt admin.key tenant.crt tenant.key; do echo fake > "$dir/$f"; done ;;',
        '  etcd)',
        '    sh -c \'sleep 300; :\' "$0-helper" "$2" &',
        '    if [ "$CMP_FAKE_ETCD" = die ]; then echo "etcd: simulated failure: cannot open data dir" >&2; exit 1; fi',
        '    wait ;;',
        '  *) echo "fake cmpplane: $1 is not faked" >&2; exit 2 ;;',
        'esac',
        '',
      ].join('\n'));
      chmodSync(script, 0o755);
      assert.ok(statSync(script).mode & 0o100);
    });

    it('stops everything it started when a component dies during start', async () => {
      const { dir, env } = sandbox({ CMP_CACHE_DIR: cache, CMP_FAKE_ETCD: 'die' });
      const result = await runPlane(['up'], env);
      assertCauseAndFix(result, 'up', /etcd exited while waiting for etcd health: .*simulated failure/, new RegExp(`read ${dir}/logs/etcd\\.log`));
      assert.deepEqual(existsSync(join(dir, 'pids')) ? readdirSync(join(dir, 'pids')) : [], [], 'no pid file is left');
      assert.ok(!existsSync(join(dir, 'plane.json')), 'no plane is recorded');
      await assertNoProcessFrom(dir);
    });

    it('stops everything it started when interrupted while waiting for a component', async function () {
      this.timeout(60_000);
      const { dir, env } = sandbox({ CMP_CACHE_DIR: cache, CMP_FAKE_ETCD: 'hang' });
      const up = spawn(process.execPath, [planeScript, 'up'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      spawned.push(up);
      const exited = new Promise<number | null>((done) => up.once('exit', (code) => done(code)));
      await eventually('the fake etcd and its helper to run', async () => (processesMentioning(`${dir}/etcd`).length === 2 ? true : undefined), 20_000);
      up.kill('SIGTERM');
      assert.equal(await exited, 130);
      assert.deepEqual(readdirSync(join(dir, 'pids')), [], 'no pid file is left');
      await assertNoProcessFrom(dir);
    });
  });
});
