// @ts-check
// Where the local control plane keeps things: state under the repo's .cmp-dev/, built binaries in a
// cache outside the repo keyed by a hash of the harness sources, so clones and CI runs reuse them.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const harnessDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoDir = resolve(harnessDir, '..', '..');
export const stateDir = process.env.CMP_DEV_DIR ? resolve(process.env.CMP_DEV_DIR) : join(repoDir, '.cmp-dev');

export const state = {
  dir: stateDir,
  pki: join(stateDir, 'pki'),
  etcdData: join(stateDir, 'etcd'),
  logs: join(stateDir, 'logs'),
  podLogs: join(stateDir, 'pod-logs'),
  /** The working folder of every instance's exec (kwok runs the commands here, on this machine). */
  instanceHome: join(stateDir, 'instance-home'),
  pids: join(stateDir, 'pids'),
  planeFile: join(stateDir, 'plane.json'),
  adminKubeconfig: join(stateDir, 'kubeconfig'),
  tenantKubeconfig: join(stateDir, 'tenant.kubeconfig'),
  kwokConfig: join(stateDir, 'kwok.yaml'),
};

/** The cache folder for built binaries, outside the repo. */
export function cacheRoot() {
  if (process.env.CMP_CACHE_DIR) return resolve(process.env.CMP_CACHE_DIR);
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'cmp-clusters');
}

/** Files whose content decides the binaries: go.mod, go.sum and Go sources of both modules. */
function buildInputs(dir = harnessDir) {
  /** @type {string[]} */
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...buildInputs(path));
    else if (/\.go$|^go\.(mod|sum)$/.test(entry)) found.push(path);
  }
  return found;
}

/** kwok's CRDs the plane installs (copied from the kwok module at build time, so part of the key). */
export const kwokCrds = ['logs', 'clusterlogs', 'execs', 'clusterexecs', 'portforwards', 'clusterportforwards'];

/** A short hash of the build inputs; the binaries for it live in cacheRoot()/bin/<hash>. */
export function buildKey() {
  const hash = createHash('sha256').update(`crds:${kwokCrds.join(',')}\0`);
  for (const file of buildInputs()) {
    hash.update(relative(harnessDir, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

export function binDir(key = buildKey()) {
  return join(cacheRoot(), 'bin', key);
}
