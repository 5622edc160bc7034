// @ts-check
// What the e2e specs know of Kubernetes: kubectl against the local control plane (paths from the
// CMP_TEST_* variables test/runAll.mjs sets), clusters made the way other CMP tools make them, waits.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** @param {string} name */
function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e suite through \`npm test -- e2e\`, which starts the local control plane`);
  return value;
}

export const kubeconfigPath = () => required('CMP_TEST_KUBECONFIG');
/** One kubeconfig with a context per plane (cmp-dev, cmp-dev-2), when npm test runs two. */
export const fleetKubeconfigPath = () => required('CMP_TEST_FLEET_KUBECONFIG');

/** kubectl against one context of the fleet kubeconfig. @param {string} context @param {string[]} args */
export async function kubectlIn(context, args) {
  const { stdout } = await execFileAsync(required('CMP_TEST_KUBECTL'), ['--kubeconfig', fleetKubeconfigPath(), '--context', context, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Runs the real kubectl with an argument array (never a shell string). @param {string[]} args */
export async function kubectl(args) {
  const { stdout } = await execFileAsync(required('CMP_TEST_KUBECTL'), ['--kubeconfig', kubeconfigPath(), ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/**
 * `kubectl get ... -o json`, parsed; undefined when the object does not exist.
 * @param {string[]} args
 * @returns {Promise<any>}
 */
export async function kubectlJson(args) {
  const text = await kubectl(['get', ...args, '--ignore-not-found', '-o', 'json']);
  return text.trim() ? JSON.parse(text) : undefined;
}

/** `kubectl create -f` of objects, through a temp file. @param {object[]} objects */
export async function kubectlCreate(objects) {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-objects-'));
  try {
    const file = join(dir, 'objects.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
    await kubectl(['create', '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let counter = 0;
/**
 * A cluster name unique to this run, starting "a-" so that it sorts before the clusters of other
 * suites and tools on a shared plane: the tree renders only rows in view, and a benchmark may have
 * left a thousand clusters sorting before "b". @param {string} prefix
 */
export function uniqueName(prefix) {
  counter += 1;
  return `a-${prefix}-${Date.now().toString(36).slice(-5)}${counter}`;
}

/**
 * Polls until `check` returns something other than undefined; fails with the last reason.
 * @template T
 * @param {string} what @param {() => Promise<T | undefined>} check @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function eventually(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
}

/**
 * A CMP cluster made with plain kubectl, as another CMP tool would: the labelled namespace and
 * `count` pods instance-0…, each asking 0.5 CPU and 1 GiB. Returns the namespace.
 * @param {string} name @param {number} count
 */
export async function kubectlCluster(name, count) {
  const namespace = `${name}-ns`;
  await kubectl(['create', 'namespace', namespace]);
  await kubectl(['label', 'namespace', namespace, 'managed-by=cmp', 'cluster-namespace=true', `cluster=${name}`]);
  for (let i = 0; i < count; i++) await kubectlInstance(name, i);
  return namespace;
}

/** One more pod instance-<index> in a kubectl-made cluster. @param {string} name @param {number} index */
export async function kubectlInstance(name, index) {
  const resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } };
  const overrides = { spec: { containers: [{ name: 'instance', image: 'nginx:1.27', resources }] } };
  await kubectl(['run', `instance-${index}`, '-n', `${name}-ns`, '--image=nginx:1.27', '--labels', `managed-by=cmp,cluster=${name},cmp.io/instance-index=${index}`, `--overrides=${JSON.stringify(overrides)}`]);
}

/** Names of the pods in a namespace that are not being deleted, sorted by instance index. @param {string} namespace */
export async function livePods(namespace) {
  const list = await kubectlJson(['pods', '-n', namespace]);
  /** @type {{ metadata: { name: string, deletionTimestamp?: string } }[]} */
  const items = list?.items ?? [];
  return items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));
}

/** Deletes namespaces without waiting (after hooks). @param {string[]} namespaces */
export async function deleteNamespaces(namespaces) {
  if (namespaces.length) await kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...namespaces]).catch(() => undefined);
}
