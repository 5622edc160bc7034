// What feeds one log pane: the follower of one instance (or its previous container), or the
// aggregator of a whole cluster, writing lines and markers into the pane's bounded buffer with each
// instance's colour. Knows when the followed instance is deleted or recreated, from the cluster cache.
import { ColourAssigner } from '../core/instanceColours';
import type { LogLine } from '../core/logLines';
import { LogPaneBuffer, type NewLogEntry } from '../core/logPane';
import type { ApiTransport } from './apiTransport';
import { ClusterLogAggregator, firstContainer, podGone, type InstanceFeed } from './clusterLogs';
import { LogFollower, type FollowState, type MarkerKind } from './logFollower';

export type LogFeedTarget =
  | { kind: 'instance'; namespace: string; name: string; container?: string }
  | { kind: 'cluster'; namespace: string };

export type FeedState = FollowState | 'previous';

export interface LogFeedOptions {
  tailLines: number;
  bufferLines: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface LogFeedListener {
  /** Entries were added to the buffer (batch them). */
  onEntries(): void;
  onState(state: FeedState, message?: string): void;
  /** Instances joined or left (cluster panes), or the instance's restart count changed. */
  onSourcesChanged(): void;
}

export interface FeedSource {
  name: string;
  colour: number;
  active: boolean;
}

export class LogPaneFeed {
  readonly buffer: LogPaneBuffer;
  private readonly colours = new ColourAssigner();
  private readonly sourceMap = new Map<string, FeedSource>();
  private follower: LogFollower | undefined;
  private aggregator: ClusterLogAggregator | undefined;
  private subscription: { dispose(): void } | undefined;
  private previousMode = false;
  private instanceGone = false;
  private checking = false;
  private disposed = false;
  private restartCount = 0;

  constructor(private readonly transport: ApiTransport, private feed: InstanceFeed, readonly target: LogFeedTarget, private readonly options: LogFeedOptions, private readonly listener: LogFeedListener) {
    this.buffer = new LogPaneBuffer(options.bufferLines);
  }

  get previous(): boolean {
    return this.previousMode;
  }

  /** Restarts of the followed instance's container (instance panes). */
  get restarts(): number {
    return this.restartCount;
  }

  sources(): FeedSource[] {
    return [...this.sourceMap.values()];
  }

  /** Starts following; with previous, reads the previous container's log instead (instance panes). */
  start(previous = false): void {
    this.stopStreams();
    this.previousMode = previous && this.target.kind === 'instance';
    this.subscribe();
    if (this.target.kind === 'cluster') this.startCluster();
    else this.startInstance(this.target.name);
  }

  /** Follows another cache (the session reloaded the same context); streams and lines stay. */
  rebind(feed: InstanceFeed): void {
    this.subscription?.dispose();
    this.subscription = undefined;
    this.feed = feed;
    this.subscribe();
    this.aggregator?.rebind(feed);
  }

  private subscribe(): void {
    this.subscription ??= this.feed.onDidChange((change) => {
      if (change.namespaces.has(this.target.namespace)) void this.onCacheChange();
    });
  }

  /** Stops every stream and forgets the lines: for a switch between current and previous container. */
  restart(previous: boolean): void {
    this.buffer.clear();
    this.start(previous);
  }

  dispose(): void {
    this.disposed = true;
    this.stopStreams();
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private stopStreams(): void {
    this.follower?.dispose();
    this.follower = undefined;
    this.aggregator?.dispose();
    this.aggregator = undefined;
  }

  private add(entry: NewLogEntry): void {
    this.buffer.add(entry);
    this.listener.onEntries();
  }

  private addLines(source: string | undefined, lines: LogLine[]): void {
    const colour = source === undefined ? undefined : this.sourceMap.get(source)?.colour;
    for (const line of lines) this.buffer.add({ kind: 'line', text: line.text, ts: line.ts, source, colour });
    this.listener.onEntries();
  }

  private marker(source: string | undefined, kind: MarkerKind, text: string): void {
    const colour = source === undefined ? undefined : this.sourceMap.get(source)?.colour;
    // The instance shows as the line's prefix, so the text does not repeat it.
    this.add({ kind, text, source, colour });
  }

  private startInstance(name: string): void {
    const object = this.feed.instanceObject(this.target.namespace, 'Pod', name);
    this.restartCount = this.feed.cluster(this.target.namespace)?.instances.find((i) => i.kind === 'Pod' && i.name === name)?.restarts ?? 0;
    this.instanceGone = false;
    const container = this.target.kind === 'instance' ? (this.target.container ?? firstContainer(object)) : undefined;
    const follower = new LogFollower(this.transport, {
      namespace: this.target.namespace,
      pod: name,
      container,
      tailLines: this.options.tailLines,
      follow: !this.previousMode,
      previous: this.previousMode,
      restarts: this.restartCount,
      minBackoffMs: this.options.minBackoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
    }, {
      onLines: (lines) => this.addLines(undefined, lines),
      onMarker: (kind, text) => this.marker(undefined, kind, text),
      onState: (state, message) => this.listener.onState(this.previousMode && state === 'ended' ? 'previous' : state, message),
    });
    this.follower = follower;
    follower.start();
  }

  private startCluster(): void {
    const aggregator = new ClusterLogAggregator(this.transport, this.feed, this.target.namespace, {
      tailLines: this.options.tailLines,
      minBackoffMs: this.options.minBackoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
    }, {
      onLines: (source, lines) => this.addLines(source, lines),
      onMarker: (source, kind, text) => this.marker(source, kind, text),
      onJoined: (source) => {
        this.sourceMap.set(source, { name: source, colour: this.colours.colourOf(source), active: true });
        this.marker(source, 'info', 'joined');
        this.listener.onSourcesChanged();
      },
      onLeft: (source) => {
        this.marker(source, 'info', 'left (deleted)');
        this.colours.release(source);
        this.sourceMap.delete(source);
        this.listener.onSourcesChanged();
      },
    });
    this.aggregator = aggregator;
    aggregator.start();
    this.listener.onState('live');
  }

  /** Instance panes: stop when the instance is deleted, follow again if it comes back, note restarts. */
  private async onCacheChange(): Promise<void> {
    if (this.target.kind !== 'instance') return;
    const name = this.target.name;
    const view = this.feed.cluster(this.target.namespace)?.instances.find((i) => i.kind === 'Pod' && i.name === name);
    if (!view) {
      if (this.instanceGone || this.checking) return;
      // A cache that is still loading may not list it yet: only the API's 404 means deleted.
      this.checking = true;
      const gone = await podGone(this.transport, this.target.namespace, name);
      this.checking = false;
      if (!gone || this.instanceGone || this.disposed) return;
      this.instanceGone = true;
      this.stopStreams();
      this.add({ kind: 'info', text: `${name} was deleted` });
      this.listener.onState('ended', `${name} was deleted`);
      return;
    }
    if (this.instanceGone && !this.previousMode) {
      this.add({ kind: 'info', text: `${name} was created again; following the new instance` });
      this.startInstance(name);
      this.listener.onSourcesChanged();
      return;
    }
    if (view.restarts !== this.restartCount) {
      this.restartCount = view.restarts;
      this.listener.onSourcesChanged();
    }
  }
}
