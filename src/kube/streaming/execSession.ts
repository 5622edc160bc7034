// One remote command in a pod through the pods/exec subresource: stdin, stdout and stderr as they
// flow, the terminal's size (sent at once and on every change), keepalive pings, and one end: the
// exit code, the runtime's failure (a missing executable said so), the connection lost, or closed
// by us. Runtimes do not all end an exec's process when its stream goes (kwok and some others leave
// it running), so closing a TTY session first types what a user would: Ctrl-C for the foreground
// program, then Ctrl-D for the shell.

import type WebSocket from 'ws';
import type { ApiTransport } from '../apiTransport';
import { execChannel, execOutcome, execProtocols, frame, resizeFrame, unframe, type ExecOutcome } from './channels';
import { keepAlive } from './keepalive';

export interface ExecTarget {
  namespace: string;
  pod: string;
  container?: string;
  command: string[];
  tty: boolean;
  /** The terminal's size at open; sent before any input. */
  size?: { columns: number; rows: number };
}

export type ExecEnd = ExecOutcome | { kind: 'lost'; message: string } | { kind: 'closed' };

export interface ExecHandlers {
  onOutput(data: Buffer, stream: 'stdout' | 'stderr'): void;
  onEnd(end: ExecEnd): void;
}

export interface ExecOptions {
  keepaliveMs?: number;
  signal?: AbortSignal;
}

/** Between the keys close() types, so the terminal takes each on its own. */
const closeStepMs = 150;

export class ExecSession {
  private ended = false;
  private readonly stopKeepalive: () => void;
  private size: { columns: number; rows: number } | undefined;

  private constructor(private readonly socket: WebSocket, private readonly tty: boolean, private readonly handlers: ExecHandlers, options: ExecOptions) {
    let status: ExecOutcome | undefined;
    let spoke = false;
    socket.on('message', (message: Buffer, isBinary: boolean) => {
      const parsed = isBinary ? unframe(message) : undefined;
      if (!parsed || parsed.data.length === 0) return; // servers open each channel with an empty message
      // Some runtimes set up the TTY after reading the first size: say it again once the process speaks.
      if (!spoke && this.size) this.resize(this.size.columns, this.size.rows);
      spoke = true;
      if (parsed.channel === execChannel.stdout) handlers.onOutput(parsed.data, 'stdout');
      else if (parsed.channel === execChannel.stderr) handlers.onOutput(parsed.data, 'stderr');
      else if (parsed.channel === execChannel.status) status = execOutcome(parsed.data.toString('utf8'));
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.end(status ?? { kind: 'lost', message: `the connection closed without the command's status${code && code !== 1000 ? ` (WebSocket ${code}${reason.length ? `: ${reason.toString('utf8').slice(0, 200)}` : ''})` : ''}` });
    });
    socket.on('error', (error: Error) => this.end({ kind: 'lost', message: error.message }));
    this.stopKeepalive = keepAlive(socket, (silentMs) => {
      this.end({ kind: 'lost', message: `no answer from the server for ${Math.round(silentMs / 1000)} s` });
      socket.terminate();
    }, { intervalMs: options.keepaliveMs });
  }

  /** Opens the session; rejects with the ApiError of a refused upgrade (403 names the verb). */
  static async open(transport: ApiTransport, target: ExecTarget, handlers: ExecHandlers, options: ExecOptions = {}): Promise<ExecSession> {
    const params = new URLSearchParams();
    for (const part of target.command) params.append('command', part);
    if (target.container) params.set('container', target.container);
    params.set('stdin', 'true');
    params.set('stdout', 'true');
    params.set('stderr', String(!target.tty));
    params.set('tty', String(target.tty));
    const socket = await transport.openWebSocket({
      path: `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/exec`,
      params,
      protocols: execProtocols,
      signal: options.signal,
    });
    const session = new ExecSession(socket, target.tty, handlers, options);
    if (target.tty && target.size) session.resize(target.size.columns, target.size.rows);
    return session;
  }

  write(data: string | Buffer): void {
    if (!this.ended && this.socket.readyState === this.socket.OPEN) this.socket.send(frame(execChannel.stdin, data));
  }

  resize(columns: number, rows: number): void {
    this.size = { columns, rows };
    if (!this.ended && this.socket.readyState === this.socket.OPEN) this.socket.send(resizeFrame(columns, rows));
  }

  /**
   * Ends the session and with it the remote process. With a TTY: Ctrl-C, then (once the terminal
   * has taken it: an interrupt flushes input typed with it) Ctrl-D, then stdin's end and the stream.
   */
  close(): void {
    if (this.ended) return;
    const open = this.socket.readyState === this.socket.OPEN;
    if (open && this.tty) this.socket.send(frame(execChannel.stdin, '\x03'));
    this.end({ kind: 'closed' });
    if (!open) return void this.socket.terminate();
    const send = (data: Buffer) => this.socket.readyState === this.socket.OPEN && this.socket.send(data);
    const finish = () => {
      if (this.socket.protocol === 'v5.channel.k8s.io') send(Buffer.from([execChannel.close, execChannel.stdin]));
      this.socket.close(1000);
      setTimeout(() => this.socket.terminate(), 2_000).unref();
    };
    if (!this.tty) return finish();
    setTimeout(() => {
      send(frame(execChannel.stdin, '\x04'));
      setTimeout(finish, closeStepMs).unref();
    }, closeStepMs).unref();
  }

  private end(end: ExecEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.stopKeepalive();
    this.handlers.onEnd(end);
  }
}
