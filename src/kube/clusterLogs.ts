// All instances of a cluster in one log stream: follows each Pod instance the cluster cache lists,
// starts following instances as they appear and stops when they are deleted. Lines carry their source.
import type { ClusterView } from '../core/clusterView';
import type { KubeObject } from '../core/kubeTypes';
import type { LogLine } from '../core/logLines';
import type { ApiTransport } from './apiTransport';
import { LogFollower, type MarkerKind } from './logFollower';

/** The part of ClusterCache this needs: the live cluster view and its change events. */
export interface InstanceFeed {
  cluster(namespace: string): ClusterView | undefined;
  onDidChange(listener: (change: { namespaces: Set<string> }) => void): { dispose(): void };
  instanceObject(namespace: string, kind: 'Pod', name: string): KubeObject | undefined;
}

/** The container to follow: the first one; CMP instances have exactly one. */
export function firstContainer(pod: KubeObject | undefined): string | undefined {
  const containers = (pod?.spec as { containers?: { name?: unknown }[] } | undefined)?.containers ?? [];
  const name = containers[0]?.name;
  return typeof name === 'string' ? name : undefined;
}

export interface ClusterLogHandlers {
  onLines(source: string, lines: LogLine[]): void;
  onMarker(source: string | undefined, kind: MarkerKind, text: string): void;
  onJoined(source: string): void;
  onLeft(source: string): void;
}

export interface ClusterLogOptions {
  tailLines?: number;
  /** More simultaneous streams than this are not opened (each is one connection to the API server). */
  maxInstances?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export const defaultMaxFollowedInstances = 100;

export class ClusterLogAggregator {
  private readonly followers = new Map<string, LogFollower>();
  private subscription: { dispose(): void } | undefined;
  private disposed = false;
  private overLimitShown = false;

  constructor(
    private readonly transport: ApiTransport,
    private readonly feed: InstanceFeed,
    readonly namespace: string,
    private readonly options: ClusterLogOptions,
    private readonly handlers: ClusterLogHandlers,
  ) {}

  /** Names of the instances followed now, in instance order. */
  get followed(): string[] {
    return [...this.followers.keys()];
  }

  start(): void {
    if (this.subscription || this.disposed) return;
    this.subscription = this.feed.onDidChange((change) => {
      if (change.namespaces.has(this.namespace)) this.reconcile();
    });
    this.reconcile();
  }

  dispose(): void {
    this.disposed = true;
    this.subscription?.dispose();
    for (const follower of this.followers.values()) follower.dispose();
    this.followers.clear();
  }

  private reconcile(): void {
    if (this.disposed) return;
    const pods = (this.feed.cluster(this.namespace)?.instances ?? []).filter((i) => i.kind === 'Pod');
    const present = new Set(pods.map((p) => p.name));
    for (const [name, follower] of this.followers) {
      if (present.has(name)) continue;
      follower.dispose();
      this.followers.delete(name);
      this.handlers.onLeft(name);
    }
    const limit = this.options.maxInstances ?? defaultMaxFollowedInstances;
    for (const pod of pods) {
      if (this.followers.has(pod.name)) continue;
      if (this.followers.size >= limit) {
        if (!this.overLimitShown) this.handlers.onMarker(undefined, 'info', `following the first ${limit} instances only; open an instance's own Logs for the others`);
        this.overLimitShown = true;
        break;
      }
      this.follow(pod.name, pod.restarts);
    }
  }

  private follow(name: string, restarts: number): void {
    const follower = new LogFollower(this.transport, {
      namespace: this.namespace,
      pod: name,
      container: firstContainer(this.feed.instanceObject(this.namespace, 'Pod', name)),
      tailLines: this.options.tailLines,
      follow: true,
      restarts,
      minBackoffMs: this.options.minBackoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
    }, {
      onLines: (lines) => this.handlers.onLines(name, lines),
      onMarker: (kind, text) => this.handlers.onMarker(name, kind, text),
    });
    this.followers.set(name, follower);
    this.handlers.onJoined(name);
    follower.start();
  }
}
