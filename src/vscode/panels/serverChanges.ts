// What changed on the server while an edit form is open and not by the form: labels, sizes and
// instances from the tree's cache, guard rails from watches of their own (the cache does not hold
// them). Judged once a run of watch events has passed; each change is announced once.
import type * as vscode from 'vscode';
import { guardRailKeys, guardRailTitles, type GuardRailKey } from '../../core/clusterEdit';
import type { ClusterView } from '../../core/clusterView';
import { fingerprintChange, guardRailFingerprint, guardRailFingerprints, liveFingerprint, viewFingerprint, type ClusterFingerprint } from '../../core/editForm';
import type { LiveClusterRead } from '../../kube/clusterEditor';
import { watchGuardRails } from '../../kube/guardRailWatch';
import type { Session, SessionState } from '../session';

export interface WatchedCluster {
  contextName: string;
  namespace: string;
  uid: string | undefined;
}

export class ServerChanges implements vscode.Disposable {
  private fingerprint: ClusterFingerprint | undefined;
  /** Each guard rail as the form last read it, and as the watches have it now. */
  private railsLoaded: Record<GuardRailKey, string> | undefined;
  private readonly railsNow = new Map<GuardRailKey, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private subscriptions: { dispose(): void }[] = [];
  private readonly sessionChanges: { dispose(): void };

  /**
   * `quiet` is true while the form itself writes (its reload after sets the new baseline);
   * `announce` gets "labels, ResourceQuota cluster-quota", or undefined when the cluster is gone.
   */
  constructor(session: Session, private readonly target: WatchedCluster, private readonly quiet: () => boolean, private readonly announce: (what: string | undefined) => void) {
    this.attach(session.state);
    this.sessionChanges = session.onDidChange((state) => this.attach(state));
  }

  /** The baseline: what the form was just loaded with. */
  loaded(live: LiveClusterRead): void {
    this.fingerprint = liveFingerprint(live);
    this.railsLoaded = guardRailFingerprints(live);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.forEach((s) => s.dispose());
    this.sessionChanges.dispose();
  }

  /** Follows the session: a reload of the same context brings a new cache and new watches. */
  private attach(state: SessionState): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.subscriptions = [];
    this.railsNow.clear();
    if (state.kind !== 'connected' || state.contextName !== this.target.contextName) return;
    const settle = () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.compare(state.cache.cluster(this.target.namespace)), 300);
    };
    this.subscriptions = [
      state.cache.onDidChange((change) => {
        if (change.namespaces.has(this.target.namespace)) settle();
      }),
      watchGuardRails(state.client.transport, this.target.namespace, (key, object) => {
        this.railsNow.set(key, guardRailFingerprint(object));
        settle();
      }),
    ];
  }

  private compare(view: ClusterView | undefined): void {
    const loaded = this.railsLoaded;
    if (this.quiet() || !this.fingerprint || !loaded) return;
    if (!view || view.uid !== this.target.uid || view.terminating) return this.announce(undefined);
    const rails = guardRailKeys.filter((key) => this.railsNow.has(key) && this.railsNow.get(key) !== loaded[key]);
    const what = [fingerprintChange(this.fingerprint, viewFingerprint(view)), ...rails.map((key) => guardRailTitles[key])].filter(Boolean).join(', ');
    if (!what) return;
    this.fingerprint = viewFingerprint(view);
    for (const key of rails) loaded[key] = this.railsNow.get(key) ?? loaded[key];
    this.announce(what);
  }
}
