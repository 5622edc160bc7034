// What the terminal and port-forward suites share: a CMP-labelled namespace with running instances
// (kwok runs their exec commands on this machine and forwards their ports, see test/cluster), a
// collector for a session's output, and a TCP front that can freeze the network to the apiserver.
import { KubeConfig } from '@kubernetes/client-node';
import { ApiTransport } from '../../src/kube/apiTransport';
import { TcpFront } from '../support/tcpFront';
import { adminKubeConfig, eventually, uniqueName } from '../support/testPlane';
import { defaultServiceAccount, kubectlCreate, kubectlNamespace, podObject, podsRunning, tenantClient, type OwnedNamespaces } from './fixtures';

export async function clusterWithInstances(owned: OwnedNamespaces, prefix: string, count: number): Promise<{ namespace: string; cluster: string }> {
  const cluster = uniqueName(prefix);
  const namespace = owned.add(`${cluster}-ns`);
  await kubectlNamespace(namespace, { 'managed-by': 'cmp', 'cluster-namespace': 'true', cluster });
  await defaultServiceAccount(namespace);
  const names = Array.from({ length: count }, (_, i) => `instance-${i}`);
  await kubectlCreate(...names.map((name) => podObject(namespace, name, { 'managed-by': 'cmp', cluster })));
  await podsRunning(namespace, names, 60_000);
  return { namespace, cluster };
}

/** Everything a session wrote, as text, with a wait for a pattern to appear. */
export class Output {
  text = '';

  add = (data: Buffer | string): void => {
    this.text += data.toString();
  };

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpExecArray> {
    return eventually(`output matching ${pattern}`, async () => pattern.exec(this.text) ?? undefined, timeoutMs, 20).catch((error: Error) => {
      throw new Error(`${error.message}\noutput so far: ${JSON.stringify(this.text.slice(-2000))}`);
    });
  }
}

/** Runs `use` with the tenant's transport (edit in tenant-a-ns only), disposed afterwards. */
export async function withTenantTransport(use: (transport: ApiTransport) => Promise<void>): Promise<void> {
  const tenant = tenantClient();
  try {
    await use(tenant.transport);
  } finally {
    tenant.transport.dispose();
  }
}

/**
 * Runs `use` with a transport to the plane's apiserver through a TCP front of our own (freeze()
 * strands it); afterwards the front is thawed and closed and the transport disposed.
 */
export async function withFrontedTransport(use: (transport: ApiTransport, front: TcpFront) => Promise<void>): Promise<void> {
  const { transport, front } = await frontedTransport();
  try {
    await use(transport, front);
  } finally {
    front.thaw();
    transport.dispose();
    await front.close();
  }
}

async function frontedTransport(): Promise<{ transport: ApiTransport; front: TcpFront }> {
  const kc = adminKubeConfig();
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('the admin kubeconfig names no cluster');
  const server = new URL(cluster.server);
  const front = new TcpFront(Number(server.port));
  const port = await front.listen();
  const copy = new KubeConfig();
  copy.loadFromOptions({
    clusters: kc.getClusters().map((c) => ({ ...c, server: `https://127.0.0.1:${port}` })),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return { transport: new ApiTransport(copy), front };
}
