// A port forward that lives as long as the user wants it: a local listener on 127.0.0.1, every
// accepted connection carried over its own WebSocket (portTunnel.ts), and a watch on the one pod so
// the forward follows it. When the instance restarts or is recreated under the same name (new uid)
// new connections wait and then go to the new pod, and the forward says it resumed; when the pod is
// gone for good (its cluster deleted or scaled below it) the forward stops and says why. A connection
// that cannot reach the API is retried with back-off while it waits. stop() leaves nothing listening.

import { setMaxListeners } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type WebSocket from 'ws';
import type { KubeObject } from '../../core/kubeTypes';
import { ApiError } from '../apiError';
import type { ApiTransport } from '../apiTransport';
import { ListWatch } from '../listWatch';
import { joinTunnel, openTunnelSocket } from './portTunnel';

export interface ForwardTarget {
  namespace: string;
  pod: string;
  remotePort: number;
  /** 0 asks the system for a free port. */
  localPort: number;
}

export type ForwardState = { kind: 'active' } | { kind: 'waiting'; reason: string } | { kind: 'stopped'; reason: string };

export interface ForwardEvents {
  onState?(state: ForwardState): void;
  /** Something the user should hear about: resumed, the instance restarted, a connection failed. */
  onNotice?(text: string): void;
  /** The number of local connections changed. */
  onConnections?(open: number): void;
}

export interface ForwardOptions {
  /** Asked when the pod is deleted: a reason when it will not come back (see instanceFate.ts). */
  goneForGood?: () => Promise<string | undefined>;
  /** How long to wait for a deleted instance to come back before stopping (default 10 min). */
  comeBackWithinMs?: number;
  /** How long one connection waits for the instance or the API before it is closed (default 60 s). */
  connectionWaitMs?: number;
}

const socketBufferBytes = 1024 * 1024;

/**
 * The pod watch starts this long after the listener: its list and TLS handshake would otherwise
 * compete with the first connection's answer (5 ms of 18 here). A pod that goes away meanwhile
 * ends its tunnels by itself, and the watch's first list then sees where it stands.
 */
const watchDelayMs = 1_000;

/** Connections held while the instance is away; more are refused at once. */
const maxWaitingConnections = 256;

export class PortForward {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly tunnels = new Set<WebSocket>();
  private readonly watch: ListWatch;
  private readonly abort = new AbortController();
  private current: ForwardState = { kind: 'waiting', reason: 'starting' };
  /** The uid of the pod forwarded to while it is ready; undefined while it is away or not ready. */
  private podUid: string | undefined;
  /** The uid of the last pod seen at all, to tell a recreate from a restart. */
  private seenUid: string | undefined;
  private restarts: number | undefined;
  private wasAway = false;
  private readyWaiters: (() => void)[] = [];
  private giveUp: NodeJS.Timeout | undefined;
  private boundPort = 0;
  private closing: Promise<void> | undefined;
  private notReadyTold = false;

  private constructor(private readonly transport: ApiTransport, readonly target: ForwardTarget, private readonly events: ForwardEvents, private readonly options: ForwardOptions) {
    setMaxListeners(0, this.abort.signal); // one listener per connection opening or waiting
    this.watch = new ListWatch(transport, { path: `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods`, fieldSelector: `metadata.name=${target.pod}`, stopOn: (error) => error.isForbidden }, {
      onSync: (objects) => this.podSeen(objects[0]),
      onEvent: (type, object) => this.podSeen(type === 'DELETED' ? undefined : object),
      // The forward works without the watch (the user may not list pods); it only follows the pod less well.
      onError: (error) => {
        if (!error.isForbidden) return;
        this.events.onNotice?.(`not following ${target.pod} through restarts: ${error.message}`);
        if (this.current.kind === 'waiting' && !this.wasAway) this.setState({ kind: 'active' });
      },
    });
  }

  /** Listens on the local port and starts following the pod; rejects with a clear error when the port is taken. */
  static async start(transport: ApiTransport, target: ForwardTarget, events: ForwardEvents = {}, options: ForwardOptions = {}): Promise<PortForward> {
    const forward = new PortForward(transport, target, events, options);
    await forward.listen();
    setTimeout(() => forward.startWatch(), watchDelayMs).unref();
    return forward;
  }

  get localPort(): number {
    return this.boundPort;
  }

  get state(): ForwardState {
    return this.current;
  }

  /** Local connections open now. */
  get connections(): number {
    return this.sockets.size;
  }

  stop(reason = 'stopped'): void {
    if (this.current.kind === 'stopped') return;
    this.abort.abort();
    this.watch.dispose();
    clearTimeout(this.giveUp);
    const server = this.server;
    this.closing = server?.listening ? new Promise((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of this.sockets) socket.resetAndDestroy();
    for (const tunnel of this.tunnels) tunnel.terminate();
    this.readyWaiters.splice(0).forEach((wake) => wake());
    this.setState({ kind: 'stopped', reason });
  }

  /** Resolves once the local listener has closed (after stop). */
  closed(): Promise<void> {
    return this.closing ?? new Promise((resolve) => this.server?.once('close', () => resolve()));
  }

  private listen(): Promise<void> {
    // Accepted sockets buffer up to 1 MiB before pushing back on the WebSocket (the default 16 KiB
    // pauses it every few frames of a download).
    // Half-open allowed: a client that ends its side after its request still gets the answer.
    const server = createServer({ highWaterMark: socketBufferBytes, allowHalfOpen: true }, (socket) => void this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(new Error(localPortProblem(this.target.localPort, error))));
      server.listen({ port: this.target.localPort, host: '127.0.0.1', exclusive: true }, () => {
        this.boundPort = (server.address() as { port: number }).port;
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        resolve();
      });
    });
  }

  private async accept(socket: Socket): Promise<void> {
    if (this.current.kind === 'stopped') return void socket.resetAndDestroy();
    this.sockets.add(socket);
    socket.pause();
    socket.on('error', () => undefined);
    socket.once('close', () => this.sockets.delete(socket));
    const deadline = Date.now() + (this.options.connectionWaitMs ?? 60_000);
    let backoffMs = 250;
    while (!socket.destroyed && !this.isStopped()) {
      // Only a pod known to be away is waited for: the first connections go at once, not after the watch's first list.
      if (this.wasAway && this.podUid === undefined) {
        if (this.readyWaiters.length >= maxWaitingConnections || !(await this.waitUntilReady(deadline))) break;
        continue;
      }
      try {
        const tunnel = await openTunnelSocket(this.transport, { namespace: this.target.namespace, pod: this.target.pod, port: this.target.remotePort }, this.abort.signal);
        if (socket.destroyed || this.isStopped()) return void tunnel.terminate(); // the client left, or the forward stopped, meanwhile
        this.tunnels.add(tunnel);
        if (this.current.kind === 'waiting' && !this.wasAway) this.setState({ kind: 'active' });
        this.events.onConnections?.(this.sockets.size);
        socket.resume();
        const remoteError = await joinTunnel(socket, tunnel);
        this.tunnels.delete(tunnel);
        this.events.onConnections?.(Math.max(0, this.sockets.size - 1));
        if (remoteError) this.events.onNotice?.(`${this.target.pod}:${this.target.remotePort}: ${remoteError.trim()}`);
        return;
      } catch (error) {
        const failure = error instanceof ApiError ? error : new ApiError(0, 'Error', String(error));
        if (failure.isForbidden || failure.status === 401) {
          socket.resetAndDestroy();
          this.stop(`${failure.message}`);
          return;
        }
        if (Date.now() + backoffMs > deadline || this.abort.signal.aborted) break;
        if (failure.isUnreachable) this.setState({ kind: 'waiting', reason: `cannot reach the API (${failure.message}); retrying` });
        await delay(backoffMs, undefined, { signal: this.abort.signal }).catch(() => undefined);
        backoffMs = Math.min(4_000, backoffMs * 2);
      }
    }
    socket.resetAndDestroy();
  }

  private startWatch(): void {
    if (!this.isStopped()) this.watch.start();
  }

  private isStopped(): boolean {
    return this.current.kind === 'stopped';
  }

  private waitUntilReady(deadline: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== wake);
        resolve(false);
      }, Math.max(0, deadline - Date.now()));
      const wake = () => {
        clearTimeout(timer);
        resolve(this.current.kind !== 'stopped');
      };
      this.readyWaiters.push(wake);
    });
  }

  private podSeen(pod: KubeObject | undefined): void {
    if (this.current.kind === 'stopped') return;
    if (!pod || pod.metadata.deletionTimestamp) return this.podAway(pod ? 'is terminating' : 'was deleted');
    const running = isRunning(pod);
    const uid = pod.metadata.uid;
    const restarts = restartCount(pod);
    if (this.seenUid !== undefined && uid !== this.seenUid) this.events.onNotice?.(`${this.target.pod} was recreated (new uid)`);
    else if (this.restarts !== undefined && restarts > this.restarts) this.events.onNotice?.(`${this.target.pod} restarted`);
    this.seenUid = uid;
    this.restarts = restarts;
    if (!running) {
      this.podUid = undefined;
      this.wasAway = true;
      this.setState({ kind: 'waiting', reason: `waiting for ${this.target.pod} to run` });
      return;
    }
    // Running but not Ready (a failing readiness probe, a sidecar): forwarded anyway, as kubectl does.
    if (!isReady(pod) && !this.notReadyTold) this.events.onNotice?.(`${this.target.pod} runs but is not ready; forwarding anyway`);
    this.notReadyTold = !isReady(pod);
    this.podUid = uid;
    clearTimeout(this.giveUp);
    this.giveUp = undefined;
    if (this.wasAway && this.current.kind !== 'active') this.events.onNotice?.(`resumed: forwarding to ${this.target.pod} again`);
    this.wasAway = false;
    this.setState({ kind: 'active' });
    this.readyWaiters.splice(0).forEach((wake) => wake());
  }

  private podAway(how: string): void {
    const wasThere = this.podUid !== undefined;
    this.podUid = undefined;
    this.wasAway = true;
    // Connections to the old pod end with it; new ones wait for its return.
    for (const tunnel of this.tunnels) tunnel.terminate();
    this.setState({ kind: 'waiting', reason: `${this.target.pod} ${how}; waiting for it to come back` });
    if (!wasThere && this.giveUp) return;
    void this.options.goneForGood?.().then((reason) => {
      if (reason && this.podUid === undefined) this.stop(reason);
    });
    clearTimeout(this.giveUp);
    const withinMs = this.options.comeBackWithinMs ?? 600_000;
    this.giveUp = setTimeout(() => this.stop(`${this.target.pod} did not come back within ${Math.round(withinMs / 60_000)} min`), withinMs);
    this.giveUp.unref();
  }

  private setState(state: ForwardState): void {
    const same = state.kind === this.current.kind && (state.kind === 'active' || (state as { reason: string }).reason === (this.current as { reason?: string }).reason);
    this.current = state;
    if (!same) this.events.onState?.(state);
  }
}

/**
 * Running with a container that runs: a restarting container (CrashLoopBackOff, waiting) keeps the
 * pod's phase Running, but nothing listens until it runs again, so connections wait for it.
 */
function isRunning(pod: KubeObject): boolean {
  const status = (pod as { status?: { phase?: string; containerStatuses?: { state?: { running?: unknown } }[] } }).status;
  const containers = status?.containerStatuses ?? [];
  return status?.phase === 'Running' && (containers.length === 0 || containers.some((c) => c.state?.running !== undefined));
}

function isReady(pod: KubeObject): boolean {
  const status = (pod as { status?: { phase?: string; conditions?: { type: string; status: string }[] } }).status;
  return status?.phase === 'Running' && (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

function restartCount(pod: KubeObject): number {
  const statuses = (pod as { status?: { containerStatuses?: { restartCount?: number }[] } }).status?.containerStatuses ?? [];
  return statuses.reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

function localPortProblem(port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'EADDRINUSE') return `Local port ${port} is already in use by another program: choose another, or leave it empty for a free one.`;
  if (error.code === 'EACCES') return `Local port ${port} needs administrator rights on this machine: choose one above 1023.`;
  return `Cannot listen on local port ${port}: ${error.message}`;
}
