// One context's connection: a KubeConfig pointed at that context, its own transport, client and
// live cluster cache, and its status as the tree shows it. Every context has its own, so one that
// is unreachable or slow never holds up another; each retries on its own back-off (its watches').

import type { KubeConfig } from '@kubernetes/client-node';
import type { ContextStatus } from '../core/fleet';
import { ApiTransport } from './apiTransport';
import { ClusterCache, type CacheState } from './clusterCache';
import { KubeClient } from './kubeClient';
import { contextNamespace, forContext } from './kubeconfigLoader';

export interface ConnectionOptions {
  /** HTTP/1.1 sockets for the transport's fallback pool. */
  poolSize: number;
  /** Namespaces to watch when listing namespaces cluster-wide is refused, beyond the context's own. */
  fallbackNamespaces: () => string[];
  onLog: (message: string) => void;
}

let lastId = 0;

export class ContextConnection {
  /** Never used before in this extension host: what was shown for an older connection is told apart by it. */
  readonly id = ++lastId;
  readonly kubeConfig: KubeConfig;
  readonly client: KubeClient;
  readonly cache: ClusterCache;

  constructor(readonly contextName: string, loaded: KubeConfig, options: ConnectionOptions) {
    this.kubeConfig = forContext(loaded, contextName);
    this.client = new KubeClient(new ApiTransport(this.kubeConfig, options.poolSize));
    const ownNamespace = contextNamespace(this.kubeConfig);
    this.cache = new ClusterCache(this.client, {
      fallbackNamespaces: () => [...(ownNamespace ? [ownNamespace] : []), ...options.fallbackNamespaces()],
      onLog: options.onLog,
    });
  }

  get server(): string {
    return this.client.server;
  }

  get status(): ContextStatus {
    return statusOf(this.cache.state);
  }

  /** Starts the watches; failures show in the status (and are retried), never as a rejection. */
  start(): Promise<void> {
    return this.cache.start();
  }

  dispose(): void {
    this.cache.dispose();
    this.client.transport.dispose();
  }
}

/** The cache's state as the tree names it. */
export function statusOf(state: CacheState): ContextStatus {
  switch (state.kind) {
    case 'loading':
      return { kind: 'connecting' };
    case 'ready':
      return state.scope === 'cluster' ? { kind: 'live' } : { kind: 'limited', namespaces: state.namespaces };
    case 'error': {
      const { error, retryInMs } = state;
      const kind = error.status === 401 ? 'unauthorized' : error.isForbidden ? 'forbidden' : 'unreachable';
      return { kind, message: error.message, retryInMs };
    }
  }
}
