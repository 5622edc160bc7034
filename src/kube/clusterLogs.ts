// All instances of a cluster in one log stream: follows each Pod instance the cluster cache lists,
// starts following instances as they appear and stops once the API confirms they are deleted.
import type { ClusterView } from '../core/clusterView';
import { resourcePath, resources, type KubeObject } from '../core/kubeTypes';
import type { LogLine } from '../core/logLines';
import { ApiError } from './apiError';
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

/**
 * Whether a pod is really gone: a cache that is (re)loading may not list it yet, so a missing entry
 * is checked with one GET. Only a 404 counts; any other answer keeps it.
 */
export async function podGone(transport: ApiTransport, namespace: string, name: string): Promise<boolean> {
  try {
    await transport.request({ method: 'GET', path: resourcePath(resources.pods, namespace, name), timeoutMs: 15_000 });
    return false;
  } catch (error) {
    return error instanceof ApiError && error.isNotFound;
  }
}

export class ClusterLogAggregator {
  private readonly followers = new Map<string, LogFollower>();
  private readonly checking = new Set<string>();
  private subscription: { dispose(): void } | undefined;
  private disposed = false;
  private overLimitShown = false;

  constructor(
    private readonly transport: ApiTransport,
    private feed: InstanceFeed,
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
    this.subscribe();
  }

  /** Follows another cache (the session reloaded the same context); streams keep running. */
  rebind(feed: InstanceFeed): void {
    this.subscription?.dispose();
    this.feed = feed;
    if (!this.disposed) this.subscribe();
  }

  private subscribe(): void {
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
    for (const name of this.followers.keys()) if (!present.has(name)) void this.leaveIfGone(name);
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

  private async leaveIfGone(name: string): Promise<void> {
    if (this.checking.has(name)) return;
    this.checking.add(name);
    const gone = await podGone(this.transport, this.namespace, name);
    this.checking.delete(name);
    const follower = this.followers.get(name);
    if (!gone || !follower || this.disposed) return;
    follower.dispose();
    this.followers.delete(name);
    this.handlers.onLeft(name);
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
