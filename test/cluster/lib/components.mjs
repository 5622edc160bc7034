// @ts-check
// The command lines of each plane component: upstream flags as envtest, kwokctl and the upstream
// test server use them, pointed at loopback and at certificates made at start.
import { join } from 'node:path';
import { harnessDir, state } from './paths.mjs';

/** @typedef {import('./ports.mjs').Ports} Ports */
/** @typedef {import('./build.mjs').Binaries} Binaries */
/** @typedef {{ name: string, command: string, args: string[] }} Component */

const pki = (/** @type {string} */ file) => join(state.pki, file);
const componentKubeconfig = () => join(state.dir, 'components.kubeconfig');
export { componentKubeconfig };

/** @param {Binaries} bins @param {Ports} ports @returns {Component} */
export function etcd(bins, ports) {
  return {
    name: 'etcd',
    command: bins.cmpplane,
    args: ['etcd', `--data-dir=${state.etcdData}`, `--client-url=http://127.0.0.1:${ports.etcd}`, `--peer-url=http://127.0.0.1:${ports.etcdPeer}`],
  };
}

/** @param {Binaries} bins @param {Ports} ports @returns {Component} */
export function apiserver(bins, ports) {
  return {
    name: 'apiserver',
    command: bins.cmpplane,
    args: [
      'apiserver',
      `--etcd-servers=http://127.0.0.1:${ports.etcd}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.apiserver}`,
      '--advertise-address=127.0.0.1',
      `--tls-cert-file=${pki('apiserver.crt')}`,
      `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki('sa.pub')}`,
      `--service-account-signing-key-file=${pki('sa.key')}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,ResourceQuota',
      '--endpoint-reconciler-type=none',
      `--kubelet-client-certificate=${pki('admin.crt')}`,
      `--kubelet-client-key=${pki('admin.key')}`,
      '--kubelet-preferred-address-types=InternalIP',
      '--max-requests-inflight=1000',
      '--max-mutating-requests-inflight=500',
      '--profiling=false',
      '--v=1',
    ],
  };
}

/** @param {Binaries} bins @param {Ports} ports @returns {Component} */
export function controllerManager(bins, ports) {
  return {
    name: 'controller-manager',
    command: bins.cmpplane,
    args: [
      'controller-manager',
      `--kubeconfig=${componentKubeconfig()}`,
      `--authentication-kubeconfig=${componentKubeconfig()}`,
      `--authorization-kubeconfig=${componentKubeconfig()}`,
      '--leader-elect=false',
      `--root-ca-file=${pki('ca.crt')}`,
      `--service-account-private-key-file=${pki('sa.key')}`,
      '--use-service-account-credentials=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.controllerManager}`,
      '--kube-api-qps=500',
      '--kube-api-burst=1000',
      '--concurrent-namespace-syncs=10',
      '--v=1',
    ],
  };
}

/** @param {Binaries} bins @param {Ports} ports @returns {Component} */
export function scheduler(bins, ports) {
  return {
    name: 'scheduler',
    command: bins.cmpplane,
    args: [
      'scheduler',
      `--kubeconfig=${componentKubeconfig()}`,
      `--authentication-kubeconfig=${componentKubeconfig()}`,
      `--authorization-kubeconfig=${componentKubeconfig()}`,
      '--leader-elect=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${ports.scheduler}`,
      '--v=1',
    ],
  };
}

/** @param {Binaries} bins @param {Ports} ports @returns {Component} */
export function kwok(bins, ports) {
  return {
    name: 'kwok',
    command: bins.kwok,
    args: [
      `--kubeconfig=${componentKubeconfig()}`,
      `--config=${join(harnessDir, 'kwok', 'stages.yaml')}`,
      '--manage-all-nodes=true',
      '--node-ip=127.0.0.1',
      `--node-port=${ports.kwok}`,
      `--server-address=127.0.0.1:${ports.kwok}`,
      '--cidr=10.64.0.0/10',
      '--enable-crds=Logs,ClusterLogs,Exec,ClusterExec,PortForward,ClusterPortForward',
      // Renew a Lease per node like a kubelet (kwokctl's default; standalone kwok's is 0 = none): without
      // it, nodes only heartbeat through the node-heartbeat stage (every 2-4.5 min), slower than the
      // controller-manager's 50s node-monitor-grace-period, so they flap NotReady and get tainted.
      '--node-lease-duration-seconds=40',
    ],
  };
}

/** @param {Binaries} bins @returns {Component} */
export function vmController(bins) {
  return { name: 'vm-controller', command: bins.cmpplane, args: ['vm-controller', `--kubeconfig=${componentKubeconfig()}`] };
}

/** The service every instance's port 8080 forwards to (see bootstrap.mjs). @param {Ports} ports @returns {Component} */
export function instanceWeb(ports) {
  return { name: 'instance-web', command: process.execPath, args: [join(harnessDir, 'lib', 'instanceWeb.mjs'), String(ports.instanceWeb)] };
}
