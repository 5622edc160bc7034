// @ts-check
// What the plane holds before anyone uses it: fake nodes with room for big tests, the tenant's
// namespace and RBAC, kwok's CRDs with a default log, exec and port forward for every pod, and
// optionally a VM CRD.
import { appendFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { harnessDir, kwokCrds, state } from './paths.mjs';

/** @typedef {ReturnType<import('./kubeApi.mjs').apiClient>} Api */

export const nodeCount = 3;
const nodeCapacity = { cpu: '400', memory: '1536Gi', pods: '4000', 'ephemeral-storage': '10Ti' };
export const tenantNamespace = 'tenant-a-ns';
export const defaultPodLog = () => join(state.podLogs, 'default.log');

/** @param {Api} api @param {number} port kwok's server port, where the apiserver fetches logs */
export async function registerNodes(api, port) {
  for (let i = 0; i < nodeCount; i++) {
    const name = `cmp-dev-node-${i}`;
    await api.ensure('/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', type: 'kwok' }, annotations: { 'kwok.x-k8s.io/node': 'fake' } },
      status: {
        capacity: nodeCapacity,
        allocatable: nodeCapacity,
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
        daemonEndpoints: { kubeletEndpoint: { Port: port } },
      },
    });
  }
}

/** @param {Api} api */
export async function createTenant(api) {
  await api.ensure('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: tenantNamespace } });
  await api.ensure(`/apis/rbac.authorization.k8s.io/v1/namespaces/${tenantNamespace}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'tenant-edit', namespace: tenantNamespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'tenant' }],
  });
}

/** @param {Api} api @param {string} file */
async function applyYamlFile(api, file) {
  const res = await api.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', readFileSync(file, 'utf8'), 'application/yaml');
  if (res.status >= 300 && res.status !== 409) throw new Error(`creating CRD from ${file}: ${res.status} ${res.body?.message ?? ''}`);
}

/** @param {Api} api @param {string} name */
async function waitForCrd(api, name) {
  for (let i = 0; i < 100; i++) {
    const res = await api.call('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const established = res.body?.status?.conditions?.some((/** @type {any} */ c) => c.type === 'Established' && c.status === 'True');
    if (established) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`CRD ${name} was not established within 10s`);
}

/** kwok's CRDs (logs, exec, port forward), from the kwok module the binaries were built from. @param {Api} api @param {string} crdDir */
export async function installKwokCrds(api, crdDir) {
  for (const file of readdirSync(crdDir)) await applyYamlFile(api, join(crdDir, file));
  for (const crd of kwokCrds) await waitForCrd(api, `${crd}.kwok.x-k8s.io`);
}

/** Every pod without its own Logs object serves the lines of one shared file. @param {Api} api */
export async function installDefaultPodLog(api) {
  mkdirSync(state.podLogs, { recursive: true });
  const now = new Date().toISOString();
  appendFileSync(defaultPodLog(), [
    `${now} stdout F cmp-dev: instance started`,
    `${now} stdout F cmp-dev: listening on :8080`,
    '',
  ].join('\n'));
  await api.ensure('/apis/kwok.x-k8s.io/v1alpha1/clusterlogs', {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterLogs',
    metadata: { name: 'cmp-dev-default' },
    spec: { logs: [{ logsFile: defaultPodLog(), follow: true }] },
  });
}

/**
 * Every pod's exec runs the asked command on this machine, in one shared working folder (kwok's
 * local exec, with a TTY when asked), and its ports forward: 8080 to the plane's instance-web
 * service, any other port to `cat` (an echo). So `kubectl exec` and `kubectl port-forward` carry real
 * bytes through the apiserver's own exec and port-forward paths.
 * @param {Api} api @param {number} webPort
 */
export async function installExecAndPortForward(api, webPort) {
  mkdirSync(state.instanceHome, { recursive: true });
  await api.ensure('/apis/kwok.x-k8s.io/v1alpha1/clusterexecs', {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterExec',
    metadata: { name: 'cmp-dev-exec' },
    spec: { execs: [{ local: { workDir: state.instanceHome, envs: [{ name: 'HOME', value: state.instanceHome }, { name: 'TERM', value: 'xterm-256color' }, { name: 'PS1', value: 'cmp-dev$ ' }] } }] },
  });
  await api.ensure('/apis/kwok.x-k8s.io/v1alpha1/clusterportforwards', {
    apiVersion: 'kwok.x-k8s.io/v1alpha1',
    kind: 'ClusterPortForward',
    metadata: { name: 'cmp-dev-ports' },
    spec: { forwards: [{ ports: [8080], target: { address: '127.0.0.1', port: webPort } }, { command: ['cat'] }] },
  });
}

/** @param {Api} api */
export async function installVirtualMachineCrd(api) {
  await applyYamlFile(api, join(harnessDir, 'manifests', 'virtualmachine-crd.yaml'));
  await waitForCrd(api, 'virtualmachines.kubevirt.io');
}
