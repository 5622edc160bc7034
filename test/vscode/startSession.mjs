// @ts-check
// What `npm start` runs once its dependencies are in place: the extension in a real VS Code
// (code-server) on 127.0.0.1. Builds and packages the .vsix, installs it into a fresh profile, uses
// the current kubeconfig when its context answers or else the local control plane (CMP_LOCAL=1
// forces it) with one demo cluster, prints the URL. Ctrl-C stops everything this started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { KubeConfig, VersionApi } from '@kubernetes/client-node';
import { state } from '../cluster/lib/paths.mjs';
import { createShutdown } from '../support/shutdown.mjs';
import { assertAptPackages, ensureCodeServer, freePort, installExtension, startCodeServer } from './codeServer.mjs';
import { packageVsix, repoDir } from './packageVsix.mjs';

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
/** @param {string} message */
const say = (message) => process.stderr.write(`npm start: ${message}\n`);

const shutdown = createShutdown(say);
/** Exits only once everything this started is stopped. @param {number} code */
function stopAndExit(code) {
  void shutdown.run().finally(() => process.exit(code));
}
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
  process.on(signal, () => {
    // Ctrl-C reaches code-server too (same terminal): it may already be gone when this runs.
    say(shutdown.started ? 'still stopping; the control plane takes a few seconds…' : 'stopping…');
    stopAndExit(0);
  });
}

/** Runs this repo's plane command in its own process group, so a second Ctrl-C cannot cut it short. @param {string} verb */
function planeCommand(verb) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(repoDir, 'test', 'cluster', 'plane.mjs'), verb], { stdio: 'inherit', detached: true });
    child.once('error', () => resolve(null));
    child.once('close', resolve);
  });
}

/** The kubeconfig files kubectl would read: KUBECONFIG (a list), else ~/.kube/config. */
function userKubeconfig() {
  const list = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  return list.length ? list : [join(homedir(), '.kube', 'config')].filter((file) => existsSync(file));
}

/** Whether the current context's API server answers at all (any HTTP status counts) within 4 s. @param {string[]} files */
async function reachable(files) {
  if (!files.length) return { ok: false, why: 'no kubeconfig (KUBECONFIG unset, no ~/.kube/config)' };
  try {
    const kc = new KubeConfig();
    if (files.length === 1) kc.loadFromFile(files[0]);
    else kc.loadFromDefault();
    const context = kc.getCurrentContext();
    if (!context) return { ok: false, why: 'the kubeconfig has no current context' };
    const api = kc.makeApiClient(VersionApi);
    const answer = await Promise.race([
      api.getCode().then(() => true, (/** @type {unknown} */ error) => typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number'),
      new Promise((resolve) => setTimeout(() => resolve(false), 4000)),
    ]);
    return answer ? { ok: true, why: `context ${context}` } : { ok: false, why: `context ${context} does not answer` };
  } catch (error) {
    return { ok: false, why: `the kubeconfig could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Starts the local plane unless it runs; returns its kubeconfig and whether we started it. */
function localPlane() {
  const wasRunning = existsSync(state.planeFile);
  say(wasRunning ? 'using the running local control plane' : 'starting the local control plane (the first time on a machine builds it from Go modules: about 20 min on 2 cores, with progress below)…');
  const up = spawnSync(process.execPath, [join(repoDir, 'test', 'cluster', 'plane.mjs'), 'up'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const line = up.stdout.trim().split('\n').pop() ?? '';
  if (up.status !== 0 || !line.startsWith('KUBECONFIG=')) throw new Error('the local control plane did not start (see above)');
  if (!wasRunning) {
    shutdown.add(async () => {
      say('stopping the local control plane it started');
      await planeCommand('down');
    });
  }
  return line.slice('KUBECONFIG='.length);
}

/** Creates cluster "demo" (3 small containers, every guard rail) with the extension's own code, unless it exists. @param {string} kubeconfig */
async function demoCluster(kubeconfig) {
  const require = createRequire(import.meta.url);
  // The extension's Kubernetes layer as built into out/ by `node esbuild.mjs` (part of npm run package).
  const { ApiTransport } = require(join(repoDir, 'out', 'src', 'kube', 'apiTransport.js'));
  const { KubeClient } = require(join(repoDir, 'out', 'src', 'kube', 'kubeClient.js'));
  const { createCluster, namespaceAvailability } = require(join(repoDir, 'out', 'src', 'kube', 'clusterCreator.js'));
  const { quotaFor } = require(join(repoDir, 'out', 'src', 'core', 'clusterSpec.js'));
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const client = new KubeClient(new ApiTransport(kc));
  const availability = await namespaceAvailability(client, 'demo');
  if (availability !== 'free') {
    say('cluster "demo" is already there');
    return;
  }
  const spec = {
    name: 'demo', instanceType: 'container', image: 'nginx:1.27', cpu: 0.5, memoryGiB: 1, count: 3,
    isolation: { resourceQuota: true, ...quotaFor(0.5, 1, 3), limitRange: true, networkPolicy: true, serviceAccount: true },
    labels: { team: 'demo' },
  };
  await createCluster(client, spec, { concurrency: 4 });
  say('created cluster "demo" (namespace demo-ns, 3 instances)');
}

try {
  assertAptPackages(['libkrb5-dev']);
  const vsix = packageVsix(join(repoDir, 'out', 'start', 'cmp-clusters.vsix'));
  say(`packaged ${vsix.path} (${Math.round(vsix.bytes / 1024)} KiB) at ${seconds()}`);
  await ensureCodeServer();

  /** @type {Record<string, string>} */
  const env = {};
  /** @type {string | undefined} */
  let kubeconfig;
  const files = userKubeconfig();
  const current = process.env.CMP_LOCAL === '1' ? { ok: false, why: 'CMP_LOCAL=1' } : await reachable(files);
  if (current.ok) {
    say(`using your kubeconfig (${current.why})`);
    env.KUBECONFIG = files.join(delimiter);
  } else {
    say(`local control plane: ${current.why}`);
    kubeconfig = localPlane();
    await demoCluster(kubeconfig);
  }

  const profile = mkdtempSync(join(tmpdir(), 'cmp-start-'));
  shutdown.add(async () => rmSync(profile, { recursive: true, force: true }));
  const extensionsDir = join(profile, 'extensions');
  const userDataDir = join(profile, 'user-data');
  const workspace = join(profile, 'cmp-demo');
  mkdirSync(workspace, { recursive: true });
  await installExtension(vsix.path, extensionsDir, userDataDir);
  if (kubeconfig) {
    // cmp.kubeconfig is machine-overridable: code-server's remote window reads it from here.
    mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
    writeFileSync(join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify({ 'cmp.kubeconfig': kubeconfig }, null, 2)}\n`);
  }
  const port = Number(process.env.CMP_START_PORT) || (await freePort());
  const server = await startCodeServer({
    port,
    folder: workspace,
    extensionsDir,
    userDataDir,
    env,
    settings: { 'workbench.secondarySideBar.defaultVisibility': 'hidden' },
  });
  shutdown.add(() => server.stop());
  const url = `${server.url}?${new URLSearchParams({ folder: workspace })}`;
  say(`code-server is up after ${seconds()}; its log: ${server.logFile}`);
  process.stdout.write(`\nCMP Clusters in VS Code: ${url}\nOpen it in a browser; Ctrl-C stops code-server${kubeconfig ? ' (and the control plane, if this started it)' : ''}.\n`);
  // Stay up until Ctrl-C; if code-server dies, say so and stop.
  const timer = setInterval(() => {
    if (shutdown.started) {
      clearInterval(timer);
      return;
    }
    try {
      process.kill(server.pid, 0);
    } catch {
      clearInterval(timer);
      say(`code-server exited; its last lines:\n${server.logTail(20)}`);
      stopAndExit(1);
    }
  }, 2000);
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  stopAndExit(1);
}
