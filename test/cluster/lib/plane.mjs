// @ts-check
// The plane's lifecycle: up (build if needed, start, wait until ready, write kubeconfigs), down,
// status and an apiserver-only restart for fault tests. State lives in .cmp-dev/plane.json.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { ensureBinaries, kubernetesVersion } from './build.mjs';
import { createTenant, installDefaultPodLog, installExecAndPortForward, installKwokCrds, installVirtualMachineCrd, nodeCount, registerNodes, tenantNamespace } from './bootstrap.mjs';
import * as components from './components.mjs';
import { apiClient, kubeconfigFor } from './kubeApi.mjs';
import { state } from './paths.mjs';
import { PlaneError } from './planeError.mjs';
import { checkPortsFree, portsFromBase } from './ports.mjs';
import { isAlive, logTail, recordedPid, sleep, startComponent, stopComponent } from './processes.mjs';

/** @typedef {import('./components.mjs').Component} Component */
/** @typedef {{ pid: number, startedAt: string, command: string, args: string[] }} Running */
/** @typedef {{ version: string, server: string, ports: import('./ports.mjs').Ports, startedAt: string, binDir: string, kubevirt: boolean, components: Record<string, Running> }} PlaneRecord */

const order = ['etcd', 'apiserver', 'controller-manager', 'scheduler', 'kwok', 'instance-web', 'vm-controller'];

/** @returns {PlaneRecord | null} */
export function readPlane() {
  if (!existsSync(state.planeFile)) return null;
  try {
    return JSON.parse(readFileSync(state.planeFile, 'utf8'));
  } catch {
    return null;
  }
}

/** @param {PlaneRecord} plane */
function writePlane(plane) {
  writeFileSync(state.planeFile, `${JSON.stringify(plane, null, 2)}\n`);
}

/** Components with a pid file, alive or not. */
function recordedComponents() {
  return existsSync(state.pids) ? readdirSync(state.pids).filter((f) => f.endsWith('.pid')).map((f) => f.slice(0, -4)) : [];
}

/**
 * Polls until check() is truthy; fails with the component's last log lines.
 * @param {string} what @param {() => Promise<unknown>} check @param {number} timeoutMs @param {string} component
 */
async function waitFor(what, check, timeoutMs, component) {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const pid = recordedPid(component);
    if (pid !== null && !isAlive(pid)) {
      throw new PlaneError(`${component} exited while waiting for ${what}: ${logTail(component)}`, `read ${state.logs}/${component}.log`);
    }
    try {
      if (await check()) return;
    } catch (error) {
      lastError = /** @type {Error} */ (error).message;
    }
    await sleep(150);
  }
  throw new PlaneError(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastError ? ` (${lastError})` : ''}`, `read ${state.logs}/${component}.log`);
}

/** @param {number} port */
function etcdHealthy(port) {
  return new Promise((resolve) => {
    const req = request(`http://127.0.0.1:${port}/health`, { timeout: 2000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(res.statusCode === 200 && text.includes('"true"')));
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

/** @param {ReturnType<typeof apiClient>} api */
async function apiserverReady(api) {
  const res = await api.call('GET', '/readyz');
  return res.status === 200;
}

/** @param {ReturnType<typeof apiClient>} api */
async function nodesReadyWithRoom(api) {
  const res = await api.call('GET', '/api/v1/nodes');
  const nodes = res.body?.items ?? [];
  const ready = nodes.filter((/** @type {any} */ n) => n.status?.conditions?.some((/** @type {any} */ c) => c.type === 'Ready' && c.status === 'True'));
  const tainted = ready.some((/** @type {any} */ n) => (n.spec?.taints ?? []).some((/** @type {any} */ t) => t.effect === 'NoSchedule'));
  return ready.length >= nodeCount && !tainted;
}

/** @param {ReturnType<typeof apiClient>} api */
async function defaultServiceAccountExists(api) {
  return (await api.call('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200;
}

/** Stops every component that has a pid file; returns the names of those that were running. */
async function stopAll() {
  const names = recordedComponents().sort((a, b) => order.indexOf(b) - order.indexOf(a));
  const stopped = [];
  for (const name of names) if (await stopComponent(name)) stopped.push(name);
  return stopped;
}

/** Decides what an existing .cmp-dev means: a running plane to reuse, stale state to clean, or a half plane. */
async function inspectExisting() {
  const plane = readPlane();
  const names = recordedComponents();
  const alive = names.filter((n) => isAlive(recordedPid(n) ?? -1));
  if (plane && alive.length > 0 && alive.length === names.length) {
    const api = apiClient(plane.server);
    if (await apiserverReady(api).catch(() => false)) return plane;
  }
  if (alive.length === 0) {
    if (names.length > 0 || plane) process.stderr.write('cleaning stale plane state left by an earlier run (no process of it is running)\n');
    wipeState();
    return null;
  }
  const dead = names.filter((n) => !alive.includes(n));
  throw new PlaneError(
    `a half-started plane is in ${state.dir}: running ${alive.join(', ')}${dead.length ? `; stopped ${dead.join(', ')}` : ''}${plane ? '' : '; never became ready'}`,
    'npm run cluster:down, then npm run cluster:up',
  );
}

function wipeState() {
  rmSync(state.dir, { recursive: true, force: true });
}

/** @param {{ withKubevirt: boolean }} options @returns {Promise<PlaneRecord>} */
export async function up({ withKubevirt }) {
  const existing = await inspectExisting();
  if (existing) {
    if (withKubevirt && !existing.kubevirt) await addKubevirt(existing);
    return existing;
  }
  const ports = portsFromBase();
  await checkPortsFree(ports);
  mkdirSync(state.logs, { recursive: true });
  // Interrupted (during the build too): stop what was started, then exit; a build step dies with us.
  const interrupted = new AbortController();
  const onSignal = () => {
    interrupted.abort();
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const bins = await ensureBinaries();
    return await start(bins, ports, withKubevirt, interrupted.signal);
  } catch (error) {
    await stopAll();
    rmSync(state.pids, { recursive: true, force: true });
    rmSync(state.planeFile, { force: true });
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/**
 * @param {import('./build.mjs').Binaries} bins @param {import('./ports.mjs').Ports} ports @param {boolean} withKubevirt
 * @param {AbortSignal} interrupted set once a signal handler is stopping what started: launch nothing more
 * @returns {Promise<PlaneRecord>}
 */
async function start(bins, ports, withKubevirt, interrupted) {
  const started = new Date().toISOString();
  /** @type {Record<string, Running>} */
  const running = {};
  const launch = (/** @type {Component} */ c) => {
    if (interrupted.aborted) throw new PlaneError('interrupted while starting', 'run it again');
    running[c.name] = { pid: startComponent(c.name, c.command, c.args), startedAt: new Date().toISOString(), command: c.command, args: c.args };
  };
  const certs = spawnSync(bins.cmpplane, ['certs', `--dir=${state.pki}`], { encoding: 'utf8' });
  if (certs.status !== 0) throw new PlaneError(`making certificates failed: ${(certs.stderr || certs.error?.message || '').trim()}`, `check that ${state.dir} is writable`);
  const server = `https://127.0.0.1:${ports.apiserver}`;
  writeFileSync(components.componentKubeconfig(), kubeconfigFor({ server, user: 'admin', userName: 'cmp-admin', context: 'cmp-dev' }), { mode: 0o600 });

  launch(components.etcd(bins, ports));
  await waitFor('etcd health', () => etcdHealthy(ports.etcd), 30_000, 'etcd');
  launch(components.apiserver(bins, ports));
  const api = apiClient(server);
  await waitFor('apiserver /readyz', () => apiserverReady(api), 90_000, 'apiserver');
  await installKwokCrds(api, bins.crds);
  launch(components.controllerManager(bins, ports));
  launch(components.scheduler(bins, ports));
  await registerNodes(api, ports.kwok);
  launch(components.kwok(bins, ports));
  await installDefaultPodLog(api);
  launch(components.instanceWeb(ports));
  await installExecAndPortForward(api, ports.instanceWeb);
  await createTenant(api);
  await waitFor('the default ServiceAccount in default', () => defaultServiceAccountExists(api), 60_000, 'controller-manager');
  await waitFor(`${nodeCount} Ready, untainted nodes`, () => nodesReadyWithRoom(api), 60_000, 'kwok');

  writeFileSync(state.adminKubeconfig, kubeconfigFor({ server, user: 'admin', userName: 'cmp-admin', context: 'cmp-dev' }), { mode: 0o600 });
  writeFileSync(state.tenantKubeconfig, kubeconfigFor({ server, user: 'tenant', userName: 'tenant', context: 'cmp-dev-tenant', namespace: tenantNamespace }), { mode: 0o600 });
  /** @type {PlaneRecord} */
  const plane = { version: kubernetesVersion, server, ports, startedAt: started, binDir: bins.dir, kubevirt: false, components: running };
  writePlane(plane);
  if (withKubevirt) await addKubevirt(plane);
  return plane;
}

/** @param {PlaneRecord} plane */
async function addKubevirt(plane) {
  const api = apiClient(plane.server);
  await installVirtualMachineCrd(api);
  const bins = { cmpplane: `${plane.binDir}/cmpplane` };
  const c = components.vmController(/** @type {any} */ (bins));
  plane.components[c.name] = { pid: startComponent(c.name, c.command, c.args), startedAt: new Date().toISOString(), command: c.command, args: c.args };
  plane.kubevirt = true;
  writePlane(plane);
}

export async function down() {
  const stopped = await stopAll();
  wipeState();
  return stopped;
}

/** Stops and starts only the apiserver, keeping etcd and its data; for fault tests. */
export async function restartApiserver() {
  await stopApiserver();
  return startApiserver();
}

function runningPlane() {
  const plane = readPlane();
  const entry = plane?.components.apiserver;
  if (!plane || !entry) throw new PlaneError('no local plane is running', 'npm run cluster:up');
  return { plane, entry };
}

/** Stops only the apiserver (its address then refuses connections); for fault tests. */
export async function stopApiserver() {
  runningPlane();
  await stopComponent('apiserver');
}

/** Starts the apiserver again as it ran before (a no-op while it runs) and waits until it is ready. */
export async function startApiserver() {
  const { plane, entry } = runningPlane();
  const recorded = recordedPid('apiserver');
  if (recorded === null || !isAlive(recorded)) {
    const pid = startComponent('apiserver', entry.command, entry.args);
    plane.components.apiserver = { ...entry, pid, startedAt: new Date().toISOString() };
    writePlane(plane);
  }
  await waitFor('apiserver /readyz after a start', () => apiserverReady(apiClient(plane.server)), 90_000, 'apiserver');
  return plane;
}

/** Lines describing what runs, where and since when. */
export async function status() {
  const plane = readPlane();
  if (!plane) {
    const names = recordedComponents();
    return names.length ? [`half-started plane in ${state.dir} (pid files: ${names.join(', ')}); run npm run cluster:down`] : ['no local plane is running (npm run cluster:up starts one)'];
  }
  const ready = await apiserverReady(apiClient(plane.server)).catch(() => false);
  const lines = [
    `Kubernetes ${plane.version} at ${plane.server} (${ready ? 'ready' : 'NOT ready'}), started ${plane.startedAt}`,
    `binaries: ${plane.binDir}`,
    `state:    ${state.dir}`,
    `KUBECONFIG=${state.adminKubeconfig}`,
    `tenant:   ${state.tenantKubeconfig} (edit in ${tenantNamespace})`,
  ];
  for (const name of order) {
    const c = plane.components[name];
    if (!c) continue;
    const alive = isAlive(c.pid);
    lines.push(`  ${name.padEnd(19)} pid ${String(c.pid).padEnd(8)} ${alive ? 'running' : 'STOPPED'}  since ${c.startedAt}  log ${state.logs}/${name}.log`);
  }
  return lines;
}
