// The connections of every context the tree shows, one ContextConnection each. update() takes a
// newly loaded kubeconfig and the names to show: a context whose definition (context, cluster,
// user) is unchanged keeps its connection, watches and cache; a changed one is connected again; one
// no longer shown is closed; one the kubeconfig cannot connect (a missing user, say) is kept as its
// problem, for the tree to show.

import type { KubeConfig } from '@kubernetes/client-node';
import { ContextConnection, type ConnectionOptions } from './contextConnection';
import { contextFingerprint, contextProblem } from './kubeconfigLoader';

export interface FleetEntry {
  name: string;
  /** Absent for a context with a problem. */
  connection?: ContextConnection;
  problem?: string;
}

export interface FleetUpdate {
  kept: string[];
  connected: string[];
  closed: string[];
}

export class FleetConnections {
  private entries: FleetEntry[] = [];
  private readonly fingerprints = new Map<string, string>();

  constructor(private readonly options: ConnectionOptions) {}

  /** Every shown context in the order asked, connected or with its problem. */
  all(): readonly FleetEntry[] {
    return this.entries;
  }

  get(name: string): ContextConnection | undefined {
    return this.entries.find((e) => e.name === name)?.connection;
  }

  update(kc: KubeConfig, names: readonly string[]): FleetUpdate {
    const result: FleetUpdate = { kept: [], connected: [], closed: [] };
    const previous = new Map(this.entries.map((e) => [e.name, e]));
    const next: FleetEntry[] = [];
    const started: ContextConnection[] = [];
    for (const name of new Set(names)) {
      const before = previous.get(name);
      previous.delete(name);
      const problem = contextProblem(kc, name);
      const fingerprint = contextFingerprint(kc, name);
      if (!problem && before?.connection && this.fingerprints.get(name) === fingerprint) {
        next.push(before);
        result.kept.push(name);
        continue;
      }
      if (before?.connection) {
        before.connection.dispose();
        result.closed.push(name);
      }
      this.fingerprints.set(name, fingerprint);
      if (problem) {
        next.push({ name, problem });
        continue;
      }
      let connection: ContextConnection;
      try {
        connection = new ContextConnection(name, kc, this.options);
      } catch (error) {
        // A server address that is no URL, say: this context is shown with the reason, the others connect.
        next.push({ name, problem: `Context ${name} cannot be connected: ${error instanceof Error ? error.message : String(error)}` });
        continue;
      }
      next.push({ name, connection });
      started.push(connection);
      result.connected.push(name);
    }
    for (const [name, gone] of previous) {
      gone.connection?.dispose();
      this.fingerprints.delete(name);
      if (gone.connection) result.closed.push(name);
    }
    this.entries = next;
    // Each starts on its own: one slow to answer delays no other.
    for (const connection of started) void connection.start().catch((error: unknown) => this.options.onLog(`starting the watches of ${connection.contextName} failed: ${error instanceof Error ? error.message : String(error)}`));
    return result;
  }

  dispose(): void {
    for (const entry of this.entries) entry.connection?.dispose();
    this.entries = [];
    this.fingerprints.clear();
  }
}
