// The fault proxy in front of the local plane's apiserver, for one describe block: kubeconfigs
// and clients that reach the plane through it, as the admin or the tenant.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { clientLibrary } from '../../src/kube/clientLibrary';
import { ApiTransport } from '../../src/kube/apiTransport';
import { defaultHealth, type HealthOptions } from '../../src/kube/http2Connection';
import { KubeClient } from '../../src/kube/kubeClient';
import { FaultProxy } from '../support/faultProxy';
import { adminKubeconfigPath } from '../support/testPlane';

export interface Proxied {
  proxy: FaultProxy;
  kubeconfig(user?: 'admin' | 'tenant'): string;
  kubeConfig(user?: 'admin' | 'tenant'): KubeConfig;
  client(user?: 'admin' | 'tenant', health?: Partial<HealthOptions>): KubeClient;
  close(): Promise<void>;
}

/** The plane's server and pki folder, from the admin kubeconfig npm test points at. */
function plane(): { server: string; pki: string } {
  const kc = new (clientLibrary().KubeConfig)();
  kc.loadFromFile(adminKubeconfigPath());
  const server = kc.getCurrentCluster()?.server ?? '';
  return { server, pki: join(dirname(adminKubeconfigPath()), 'pki') };
}

export async function startProxied(): Promise<Proxied> {
  const { server, pki } = plane();
  const proxy = await FaultProxy.start(server, pki);
  const dir = mkdtempSync(join(tmpdir(), 'cmp-proxied-'));
  const files = {
    admin: proxy.writeKubeconfig(join(dir, 'admin.kubeconfig'), 'admin'),
    tenant: proxy.writeKubeconfig(join(dir, 'tenant.kubeconfig'), 'tenant', 'tenant-a-ns'),
  };
  const clients: KubeClient[] = [];
  const kubeConfig = (user: 'admin' | 'tenant' = 'admin') => {
    const kc = new (clientLibrary().KubeConfig)();
    kc.loadFromString(readFileSync(files[user], 'utf8'));
    return kc;
  };
  return {
    proxy,
    kubeconfig: (user = 'admin') => files[user],
    kubeConfig,
    client: (user = 'admin', health = {}) => {
      const client = new KubeClient(new ApiTransport(kubeConfig(user), 32, { ...defaultHealth, ...health }));
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) client.transport.dispose();
      await proxy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
