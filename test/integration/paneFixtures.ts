// Shared by the events and logs integration tests: API clients for the local plane, a CMP namespace
// of the test's own, pods whose container log is a file (kwok Logs objects) with CRI lines appended
// on demand, a live cluster (namespace + cache) per describe block, and a TCP proxy whose
// connections a test can cut to end streams mid-flight.
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { resourcePath, resources, type KubeObject } from '../../src/core/kubeTypes';
import { ApiTransport } from '../../src/kube/apiTransport';
import { ClusterCache } from '../../src/kube/clusterCache';
import { KubeClient } from '../../src/kube/kubeClient';
import { adminKubeConfig, eventually, kubectl, uniqueName } from '../support/testPlane';

export const paneClient = (kc: KubeConfig = adminKubeConfig()): KubeClient => new KubeClient(new ApiTransport(kc));

/** A CMP cluster's namespace (managed-by=cmp) made for one describe block, with its default ServiceAccount. */
export async function cmpNamespace(client: KubeClient, prefix: string): Promise<{ cluster: string; namespace: string }> {
  const cluster = uniqueName(prefix);
  const namespace = `${cluster}-ns`;
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'managed-by': 'cmp', 'cluster-namespace': 'true', cluster } } });
  await eventually(`the default ServiceAccount in ${namespace}`, async () => (await client.get(resources.serviceAccounts, namespace, 'default')) && true);
  return { cluster, namespace };
}

export async function deleteNamespace(namespace: string): Promise<void> {
  await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
}

/** "2026-…T…Z stdout F text": one container log line as kwok (and the CRI) writes it. */
export function criLine(ts: string, text: string): string {
  return `${ts} stdout F ${text}\n`;
}

/** Increasing RFC 3339 nanosecond timestamps starting now, so sinceTime behaves as on a real node. */
export class Clock {
  private ms = Math.floor(Date.now() / 1000) * 1000;

  /** The next timestamp, `stepMs` later than the last (0: the same time again). */
  next(stepMs = 1): string {
    this.ms += stepMs;
    return `${new Date(this.ms).toISOString().slice(0, 19)}.${String((this.ms % 1000) * 1_000_000).padStart(9, '0')}Z`;
  }
}

/** Log files in a temporary folder; remove() deletes them all. */
export class LogFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'cmp-pane-logs-'));

  path(name: string): string {
    return join(this.dir, `${name}.log`);
  }

  write(name: string, lines: [string, string][]): string {
    const file = this.path(name);
    writeFileSync(file, lines.map(([ts, text]) => criLine(ts, text)).join(''));
    return file;
  }

  append(name: string, lines: [string, string][]): void {
    appendFileSync(this.path(name), lines.map(([ts, text]) => criLine(ts, text)).join(''));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A running pod whose container log is `file` (and previous container log `previousFile`). */
export async function loggingPod(client: KubeClient, namespace: string, name: string, file: string, options: { previousFile?: string; labels?: Record<string, string> } = {}): Promise<KubeObject> {
  await client.transport.request({
    method: 'POST',
    path: `/apis/kwok.x-k8s.io/v1alpha1/namespaces/${namespace}/logs`,
    body: {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name },
      spec: { logs: [{ logsFile: file, follow: true, ...(options.previousFile ? { previousLogsFile: options.previousFile } : {}) }] },
    },
  });
  await client.create({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: { containers: [{ name: 'instance', image: 'registry.invalid/cmp/app:1' }], terminationGracePeriodSeconds: 1, automountServiceAccountToken: false },
  });
  return eventually(`pod ${namespace}/${name} to be Running`, async () => {
    const pod = await client.get(resources.pods, namespace, name);
    return (pod.status as { phase?: string } | undefined)?.phase === 'Running' ? pod : undefined;
  });
}

export async function deletePod(client: KubeClient, namespace: string, name: string): Promise<void> {
  await client.transport.request({ method: 'DELETE', path: resourcePath(resources.pods, namespace, name), query: { gracePeriodSeconds: 0 } });
}

/** Forwards TCP to the API server; cut() ends every connection, as a flaky network or proxy would. */
export class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;
  cuts = 0;

  /** Starts listening and returns a kubeconfig that reaches the API server through the proxy. */
  async start(kc: KubeConfig = adminKubeConfig()): Promise<KubeConfig> {
    const target = new URL(kc.getCurrentCluster()?.server ?? '');
    const server = createServer((client) => {
      const upstream = connect(Number(target.port || 443), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const proxied = new KubeConfig();
    const clusters = kc.getClusters().map((c) => (c.name === kc.getCurrentCluster()?.name ? { ...c, server: `https://${target.hostname}:${port}` } : c));
    proxied.loadFromOptions({ clusters, users: kc.getUsers(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext() });
    return proxied;
  }

  /** Ends every open connection (streams end mid-flight); new connections still go through. */
  cut(): void {
    this.cuts += 1;
    for (const socket of this.sockets) socket.destroy();
  }

  get open(): number {
    return this.sockets.size;
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * A CMP namespace with a started ClusterCache for a describe block: registers its before and after
 * hooks (the namespace, the cache, the log files and the client are all cleaned up) and returns what
 * the tests use; cluster, namespace and cache are set once before() has run.
 */
export function liveClusterFixture(prefix: string): { client: KubeClient; files: LogFiles; clock: Clock; cluster: string; namespace: string; cache: ClusterCache } {
  const fixture = { client: paneClient(), files: new LogFiles(), clock: new Clock(), cluster: '', namespace: '', cache: undefined as unknown as ClusterCache };
  before(async () => {
    ({ cluster: fixture.cluster, namespace: fixture.namespace } = await cmpNamespace(fixture.client, prefix));
    fixture.cache = new ClusterCache(fixture.client, { fallbackNamespaces: () => [] });
    await fixture.cache.start();
  });
  after(async () => {
    fixture.cache.dispose();
    await deleteNamespace(fixture.namespace);
    fixture.files.remove();
    fixture.client.transport.dispose();
  });
  return fixture;
}
