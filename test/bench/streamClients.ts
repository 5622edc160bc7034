// The three ways P8 and P9 reach an instance: ours (ExecSession, PortForward and a local TCP hop, as
// the terminal and the Port Forwards view use them), kubectl (`kubectl exec -i`, `kubectl
// port-forward`, one process each, as a user runs them) and the floor (a bare `ws` WebSocket with
// the same protocol and credentials, nothing between it and the apiserver; for a forward, behind a
// bare local listener, since every forward has one). The wire alone is measured for reference.
// Fetches through a local port run on their own thread (localClient.ts), as a browser would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import WebSocket from 'ws';
import { ApiTransport } from '../../src/kube/apiTransport';
import { execProtocols, frame, portForwardProtocols, unframe } from '../../src/kube/streaming/channels';
import { ExecSession } from '../../src/kube/streaming/execSession';
import { PortForward } from '../../src/kube/streaming/portForward';
import type { BenchContext } from './benchTypes';
import { AnswerCounter, getRequest } from './httpAnswer';
import { localClient } from './localClient';

/** Text that arrives, with a wait for a pattern in it. */
export class Received {
  private text = '';
  private waiters: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];

  add = (data: Buffer | string): void => {
    this.text += data.toString();
    if (this.text.length > 1_000_000) this.text = this.text.slice(-100_000);
    this.waiters = this.waiters.filter((w) => {
      const match = w.pattern.exec(this.text);
      if (match) w.resolve(match);
      return !match;
    });
  };

  until(marker: string | RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const pattern = typeof marker === 'string' ? new RegExp(marker.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : marker;
    const now = pattern.exec(this.text);
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms; last: ${JSON.stringify(this.text.slice(-200))}`)), timeoutMs);
      this.waiters.push({ pattern, resolve: (match) => (clearTimeout(timer), resolve(match)) });
    });
  }
}

export interface EchoSession {
  received: Received;
  write(text: string): void;
  close(): void;
}

export type ExecTool = (ctx: BenchContext, namespace: string, pod: string, command: string[]) => Promise<EchoSession>;

export const oursExec: ExecTool = async (ctx, namespace, pod, command) => {
  const transport = new ApiTransport(ctx.kubeConfig());
  const received = new Received();
  const session = await ExecSession.open(transport, { namespace, pod, command, tty: false }, { onOutput: received.add, onEnd: () => undefined });
  return { received, write: (text) => session.write(text), close: () => (session.close(), transport.dispose()) };
};

export const kubectlExec: ExecTool = async (ctx, namespace, pod, command) => {
  const child = spawn(ctx.plane.kubectl, ['--kubeconfig', ctx.plane.kubeconfig, 'exec', '-i', '-n', namespace, pod, '--', ...command], { stdio: ['pipe', 'pipe', 'inherit'] });
  const received = new Received();
  child.stdout.on('data', received.add);
  return { received, write: (text) => child.stdin.write(text), close: () => child.kill() };
};

function rawSocket(ctx: BenchContext, path: string, params: URLSearchParams, protocols: string[]): Promise<WebSocket> {
  const url = `${ctx.credentials.server.replace(/^http/, 'ws')}${path}?${params.toString()}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers: ctx.credentials.headers, ...ctx.credentials.tls, perMessageDeflate: false });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

export const floorExec: ExecTool = async (ctx, namespace, pod, command) => {
  const params = new URLSearchParams({ stdin: 'true', stdout: 'true', stderr: 'true' });
  for (const part of command) params.append('command', part);
  const socket = await rawSocket(ctx, `/api/v1/namespaces/${namespace}/pods/${pod}/exec`, params, execProtocols);
  const received = new Received();
  socket.on('message', (data: Buffer) => {
    if (data[0] === 1) received.add(data.subarray(1));
  });
  return { received, write: (text) => socket.send(frame(0, text)), close: () => socket.terminate() };
};

/** A way to reach the instance's port: the address of a local listener, or a raw stream. */
export interface ForwardHandle {
  /** Fetches `path` over a new connection; resolves with the bytes of the body received. */
  get(path: string): Promise<number>;
  close(): void;
}

export type ForwardTool = (ctx: BenchContext, namespace: string, pod: string, port: number) => Promise<ForwardHandle>;

export const oursForward: ForwardTool = async (ctx, namespace, pod, port) => {
  const transport = new ApiTransport(ctx.kubeConfig());
  const forward = await PortForward.start(transport, { namespace, pod, remotePort: port, localPort: 0 });
  return { get: (path) => localClient().get(forward.localPort, path), close: () => (forward.stop(), transport.dispose()) };
};

export const kubectlForward: ForwardTool = async (ctx, namespace, pod, port) => {
  const child: ChildProcess = spawn(ctx.plane.kubectl, ['--kubeconfig', ctx.plane.kubeconfig, 'port-forward', '-n', namespace, `pod/${pod}`, `:${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const received = new Received();
  child.stdout?.on('data', received.add);
  const local = Number((await received.until(/Forwarding from 127\.0\.0\.1:(\d+)/))[1]);
  return { get: (path) => localClient().get(local, path), close: () => child.kill() };
};

/**
 * Pipes one pods/portforward WebSocket's data channel into `sink` and the sink's bytes back; no
 * flow control, no checks: the least a port forward does.
 */
function rawTunnel(socket: WebSocket, sink: { write(data: Buffer): void }): void {
  let opened = false;
  socket.on('message', (message: Buffer) => {
    const parsed = unframe(message);
    if (!parsed || parsed.channel !== 0) return;
    // The first message on a channel is its port, as two bytes.
    const data = opened ? parsed.data : parsed.data.subarray(2);
    opened = true;
    if (data.length) sink.write(data);
  });
}

function forwardPath(namespace: string, pod: string): string {
  return `/api/v1/namespaces/${namespace}/pods/${pod}/portforward`;
}

/**
 * The floor of a port forward: a bare local listener whose every connection gets a bare
 * WebSocket, relayed both ways with nothing else (a forward cannot do less and still be one).
 */
export const floorForward: ForwardTool = async (ctx, namespace, pod, port) => {
  const server = createServer((local) => {
    local.pause();
    local.on('error', () => undefined);
    rawSocket(ctx, forwardPath(namespace, pod), new URLSearchParams({ ports: String(port) }), portForwardProtocols).then((socket) => {
      rawTunnel(socket, local);
      local.on('data', (chunk: Buffer) => socket.send(frame(0, chunk)));
      local.on('close', () => socket.terminate());
      socket.on('close', () => local.end());
      socket.on('error', () => local.destroy());
      local.resume();
    }, () => local.destroy());
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const local = (server.address() as { port: number }).port;
  return { get: (path) => localClient().get(local, path), close: () => server.close() };
};

/** The wire alone, for reference: the WebSocket read directly, with no local connection at all. */
export const wireForward: ForwardTool = async (ctx, namespace, pod, port) => ({
  get: async (path) => {
    const socket = await rawSocket(ctx, forwardPath(namespace, pod), new URLSearchParams({ ports: String(port) }), portForwardProtocols);
    return new Promise<number>((resolve, reject) => {
      const counter = new AnswerCounter();
      rawTunnel(socket, {
        write: (data) => {
          if (!counter.add(data)) return;
          socket.terminate();
          resolve(counter.bytes);
        },
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(counter.bytes));
      socket.send(frame(0, getRequest(path)));
    });
  },
  close: () => undefined,
});
