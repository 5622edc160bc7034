// What changed on the server while an edit form is open and not by the form: labels, sizes and
// instances from the tree's cache, guard rails from watches of their own (the cache does not hold
// them). Judged once a run of watch events has passed; each change is announced once.
import type * as vscode from 'vscode';
import { guardRailKeys, guardRailTitles, type GuardRailKey, type LiveCluster } from '../../core/clusterEdit';
import type { ClusterView } from '../../core/clusterView';
import { fingerprintChange, guardRailFingerprint, guardRailFingerprints, liveFingerprint, viewFingerprint, type ClusterFingerprint } from '../../core/editForm';
import type { KubeObject } from '../../core/kubeTypes';
import type { ApiTransport } from '../../kube/apiTransport';
import { watchGuardRails } from '../../kube/guardRailWatch';
import type { Connected, Session } from '../session';

export interface WatchedCluster {
  contextName: string;
  namespace: string;
  uid: string | undefined;
}

/** How the guard rails are watched (the real watches; tests hand in their own). */
export type RailWatcher = (transport: ApiTransport, namespace: string, onObject: (key: GuardRailKey, object: KubeObject | undefined) => void) => { dispose(): void };

export interface ServerChangesOptions {
  watchRails?: RailWatcher;
  /** How long a run of watch events may last before it is judged (300 ms). */
  settleMs?: number;
}

export class ServerChanges implements vscode.Disposable {
  private fingerprint: ClusterFingerprint | undefined;
  /** Each guard rail as the form last read it, as the watches have it now, and as last announced. */
  private railsLoaded: Record<GuardRailKey, string> | undefined;
  private readonly railsNow = new Map<GuardRailKey, string>();
  private readonly railsAnnounced = new Map<GuardRailKey, string>();
  private goneAnnounced = false;
  private cacheMoved = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private subscriptions: { dispose(): void }[] = [];
  private readonly sessionChanges: { dispose(): void };
  private attachedTo: number | undefined;

  /**
   * `quiet` is true while the form itself writes (its reload after sets the new baseline);
   * `announce` gets "labels, ResourceQuota cluster-quota", or undefined when the cluster is gone.
   */
  constructor(
    session: Pick<Session, 'connectionNamed' | 'onDidChange'>,
    private readonly target: WatchedCluster,
    private readonly quiet: () => boolean,
    private readonly announce: (what: string | undefined) => void,
    private readonly options: ServerChangesOptions = {},
  ) {
    this.attach(session.connectionNamed(target.contextName));
    this.sessionChanges = session.onDidChange(() => this.attach(session.connectionNamed(target.contextName)));
  }

  /** The baseline: what the form was just loaded with (the watches may not have caught up with it yet). */
  loaded(live: LiveCluster): void {
    this.fingerprint = liveFingerprint(live);
    this.railsLoaded = guardRailFingerprints(live);
    for (const key of guardRailKeys) this.railsNow.set(key, this.railsLoaded[key]);
    this.railsAnnounced.clear();
    this.goneAnnounced = false;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.sessionChanges.dispose();
  }

  /** Follows the session: a reload of the same context brings a new cache and new watches; another context's change is not ours. */
  private attach(state: Connected | undefined): void {
    if (state && state.id === this.attachedTo) return;
    this.attachedTo = state?.id;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.cacheMoved = false;
    this.subscriptions.forEach((s) => s.dispose());
    this.subscriptions = [];
    if (!state) return;
    const settle = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.compare(state);
      }, this.options.settleMs ?? 300);
    };
    this.subscriptions = [
      state.cache.onDidChange((change) => {
        if (!change.namespaces.has(this.target.namespace)) return;
        this.cacheMoved = true;
        settle();
      }),
      (this.options.watchRails ?? watchGuardRails)(state.client.transport, this.target.namespace, (key, object) => {
        this.railsNow.set(key, guardRailFingerprint(object));
        settle();
      }),
    ];
  }

  private compare(state: Connected): void {
    const loaded = this.railsLoaded;
    if (this.quiet() || !this.fingerprint || !loaded) return;
    const parts: string[] = [];
    // The cache speaks for the namespace only once it has listed (a new connection starts empty) and moved.
    if (this.cacheMoved && state.cache.state.kind === 'ready') {
      this.cacheMoved = false;
      const view: ClusterView | undefined = state.cache.cluster(this.target.namespace);
      if (!view || view.uid !== this.target.uid || view.terminating) {
        if (!this.goneAnnounced) this.announce(undefined);
        this.goneAnnounced = true;
        return;
      }
      const moved = fingerprintChange(this.fingerprint, viewFingerprint(view));
      if (moved) parts.push(moved);
      this.fingerprint = viewFingerprint(view);
    }
    for (const key of guardRailKeys) {
      const now = this.railsNow.get(key);
      if (now === undefined || now === loaded[key]) this.railsAnnounced.delete(key);
      else if (now !== this.railsAnnounced.get(key)) {
        this.railsAnnounced.set(key, now);
        parts.push(guardRailTitles[key]);
      }
    }
    if (parts.length) this.announce(parts.join(', '));
  }
}
