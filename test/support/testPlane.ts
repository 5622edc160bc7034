// What suites that need the local control plane share: its kubeconfigs, kubectl, unique names, and
// polling helpers. test/runAll.mjs starts the plane and passes the paths in CMP_TEST_* variables.
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';

const execFileAsync = promisify(execFile);

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run suites through npm test, which starts the local control plane`);
  return value;
}

export const adminKubeconfigPath = (): string => required('CMP_TEST_KUBECONFIG');
export const tenantKubeconfigPath = (): string => required('CMP_TEST_TENANT_KUBECONFIG');
/** One kubeconfig with a context per plane (cmp-dev, cmp-dev-2): set when a suite asks for two planes. */
export const fleetKubeconfigPath = (): string => required('CMP_TEST_FLEET_KUBECONFIG');

/** Runs the plane's CLI for plane `n` (1 the first; n is in the state folder beside it), e.g. stop-apiserver. */
export async function planeCli(n: number, args: string[]): Promise<string> {
  const first = dirname(adminKubeconfigPath());
  const env = { ...process.env, CMP_DEV_DIR: n === 1 ? first : `${first}-${n}` };
  const { stdout } = await execFileAsync(process.execPath, [join(__dirname, '..', '..', '..', 'test', 'cluster', 'plane.mjs'), ...args], { env });
  return stdout;
}

export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfigPath());
  return kc;
}

export function tenantKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(tenantKubeconfigPath());
  return kc;
}

/** Runs the real kubectl against the plane (argument array, never a shell string). */
export async function kubectl(args: string[], kubeconfig = adminKubeconfigPath()): Promise<string> {
  const { stdout } = await execFileAsync(required('CMP_TEST_KUBECTL'), ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

let counter = 0;
/** A DNS-1123 name unique to this run, for objects a test creates. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36).slice(-4)}${counter}`;
}

/** Polls until check returns a value other than undefined, or fails with the last reason. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 15_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}
