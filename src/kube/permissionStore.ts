// What the user may do, per cluster namespace, for one connection: asked when the tree first shows
// a cluster (readPermissions: one rules review), at most a few namespaces at a time, kept for five
// minutes, asked again on demand (Show My Permissions, or after a Forbidden). Until an answer comes,
// or when asking fails, nothing is known and every action stays offered (the action itself then
// checks and explains). A new connection (context switch, kubeconfig change) starts a new store.

import { describeError } from './apiError';
import type { ApiTransport } from './apiTransport';
import type { ActionPermission } from '../core/permissions';
import { readPermissions } from './permissionReader';

const freshForMs = 5 * 60_000;
const maxAsking = 4;

interface Entry {
  permissions?: ActionPermission[];
  at: number;
}

/** A Forbidden this soon after an answer does not ask again: the answer already knew of it (or a watch keeps being refused). */
const forgetAfterMs = 5_000;

export class PermissionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private asking = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly transport: ApiTransport,
    private readonly onAnswer: (namespace: string) => void,
    private readonly onLog: (message: string) => void = () => undefined,
    private readonly forgetAfter = forgetAfterMs,
    /** The instance type of the cluster in a namespace (its instances are asked as Pods or VirtualMachines). */
    private readonly typeOf: (namespace: string) => 'container' | 'vm' = () => 'container',
  ) {}

  /** The known answer, asking in the background when there is none or it is old; undefined while unknown. */
  get(namespace: string): ActionPermission[] | undefined {
    const entry = this.entries.get(namespace);
    if (!entry || Date.now() - entry.at > freshForMs) this.want(namespace);
    return entry?.permissions;
  }

  /** Asks now and waits for the answer (it is kept, and the tree told). */
  async refresh(namespace: string, signal?: AbortSignal): Promise<ActionPermission[]> {
    const permissions = await readPermissions(this.transport, namespace, signal, this.typeOf(namespace));
    this.entries.set(namespace, { permissions, at: Date.now() });
    this.onAnswer(namespace);
    return permissions;
  }

  /** A namespace gone from the tree: its answer goes too (one made again under the name is asked afresh). */
  drop(namespace: string): void {
    this.entries.delete(namespace);
  }

  /** After a Forbidden: what was known is out of date (asked again at most every few seconds per namespace, whatever keeps being refused). */
  forget(namespace: string): void {
    const entry = this.entries.get(namespace);
    if (!entry || Date.now() - entry.at < this.forgetAfter) return;
    this.entries.delete(namespace);
    this.onAnswer(namespace);
  }

  /** Resolves once nothing is being asked or waiting to be (the tree's first answers are in). */
  idle(): Promise<void> {
    if (this.asking === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.abort.abort();
    this.queue.length = 0;
    this.idleWaiters.splice(0).forEach((wake) => wake());
  }

  private want(namespace: string): void {
    if (this.queued.has(namespace) || this.abort.signal.aborted) return;
    this.queued.add(namespace);
    this.queue.push(namespace);
    this.next();
  }

  private next(): void {
    while (this.asking < maxAsking && this.queue.length > 0) {
      const namespace = this.queue.shift() as string;
      this.asking++;
      readPermissions(this.transport, namespace, this.abort.signal, this.typeOf(namespace)).then(
        (permissions) => this.entries.set(namespace, { permissions, at: Date.now() }),
        (error: unknown) => {
          // Unknown for a while: the actions stay offered and check for themselves.
          this.entries.set(namespace, { at: Date.now() });
          if (!this.abort.signal.aborted) this.onLog(`could not ask what you may do in ${namespace}: ${describeError(error)}`);
        },
      ).finally(() => {
        this.asking--;
        this.queued.delete(namespace);
        if (this.abort.signal.aborted) return;
        this.onAnswer(namespace);
        this.next();
        if (this.asking === 0 && this.queue.length === 0) this.idleWaiters.splice(0).forEach((wake) => wake());
      });
    }
  }
}
