// @ts-check
// More than one plane, for the fleet (several contexts): plane i (2, 3, …) is a whole plane of its
// own (etcd, apiserver, controllers, kwok) in the state folder beside the first one's (.cmp-dev-2)
// on ports 20 × (i - 1) above its base, brought up and down by this same CLI in a child process.
// fleet.kubeconfig names them cmp-dev, cmp-dev-2, … (one cluster and one user per plane).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeconfigWith } from './kubeApi.mjs';
import { state } from './paths.mjs';
import { PlaneError } from './planeError.mjs';

/** The most planes `up --contexts` starts: each costs memory and a share of 2 cores. */
export const maxContexts = 5;
const cli = fileURLToPath(new URL('../plane.mjs', import.meta.url));

/** Plane i's state folder and the context it gets in fleet.kubeconfig. @param {number} i */
export function extraPlane(i) {
  return { dir: `${state.dir}-${i}`, context: `cmp-dev-${i}` };
}

/** @param {number} i */
function extraEnv(i) {
  const base = Number(process.env.CMP_PLANE_PORT_BASE || 16440) + 20 * (i - 1);
  return { ...process.env, CMP_DEV_DIR: extraPlane(i).dir, CMP_PLANE_PORT_BASE: String(base) };
}

/** Runs this CLI for plane i; its progress goes to our stderr. @param {number} i @param {string[]} args */
function runFor(i, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { env: extraEnv(i), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(out) : reject(new PlaneError(`plane ${i} (${extraPlane(i).dir}): ${args.join(' ')} failed (exit ${code})`, `read ${extraPlane(i).dir}/logs, then npm run cluster:down`))));
  });
}

/** Parses `--contexts N` (default 1). @param {string[]} flags */
export function contextsFlag(flags) {
  const at = flags.indexOf('--contexts');
  if (at < 0) return 1;
  const n = Number(flags[at + 1]);
  if (!Number.isInteger(n) || n < 1 || n > maxContexts) throw new PlaneError(`--contexts ${flags[at + 1] ?? ''} is not a number from 1 to ${maxContexts}`, 'use e.g. npm run cluster:up -- --contexts 2');
  return n;
}

/** Brings planes 2…n up (one after another: each build step is shared and cached) and writes fleet.kubeconfig. @param {number} n */
export async function upExtras(n) {
  for (let i = 2; i <= n; i++) {
    process.stderr.write(`starting plane ${i} of ${n} (context ${extraPlane(i).context}) in ${extraPlane(i).dir}\n`);
    await runFor(i, ['up']);
  }
  return writeFleetKubeconfig(n);
}

/** One kubeconfig with a context per plane, the first one's current. @param {number} n */
function writeFleetKubeconfig(n) {
  const planes = [{ dir: state.dir, context: 'cmp-dev' }, ...Array.from({ length: n - 1 }, (_, k) => extraPlane(k + 2))];
  const entries = planes.map(({ dir, context }) => {
    const record = JSON.parse(readFileSync(join(dir, 'plane.json'), 'utf8'));
    return { context, cluster: context, server: record.server, pki: join(dir, 'pki'), user: 'admin', userName: `${context}-admin` };
  });
  const path = join(state.dir, 'fleet.kubeconfig');
  writeFileSync(path, kubeconfigWith(entries, 'cmp-dev'), { mode: 0o600 });
  return path;
}

/** The extra planes that have state (running or not), by number. */
export function extrasWithState() {
  return Array.from({ length: maxContexts - 1 }, (_, k) => k + 2).filter((i) => existsSync(extraPlane(i).dir));
}

/** Stops every extra plane and wipes its state; returns what each printed. */
export async function downExtras() {
  const lines = [];
  for (const i of extrasWithState()) lines.push(`plane ${i}: ${String(await runFor(i, ['down'])).trim()}`);
  return lines;
}

/** Each extra plane's status lines, indented under its number. */
export async function statusExtras() {
  const lines = [];
  for (const i of extrasWithState()) lines.push(`plane ${i} (context ${extraPlane(i).context}):`, ...String(await runFor(i, ['status'])).trim().split('\n').map((l) => `  ${l}`));
  return lines;
}
