// An interactive shell in a pod: tries each configured shell in turn (bash, then sh by default)
// until one starts, so an image without bash still gets a terminal. A missing shell ends with the
// runtime naming it ("exec: \"bash\": executable file not found"), and the next is tried with the
// same size. Input waits until the shell first speaks (its prompt), so nothing typed early is lost
// to a shell that never started. When none exists, the end says which were tried.

import type { ApiTransport } from '../apiTransport';
import { ExecSession, type ExecEnd, type ExecHandlers, type ExecOptions } from './execSession';

/** A program that starts in silence gets the held input after this long. */
const holdInputMs = 2_000;
const missingShell = /executable file not found|no such file or directory/i;

export interface ShellTarget {
  namespace: string;
  pod: string;
  container?: string;
  size: { columns: number; rows: number };
}

export interface ShellHandlers extends ExecHandlers {
  /** The shell that started (called before its first output). */
  onShell?(command: string[]): void;
}

export class ShellSession {
  private current: ExecSession | undefined;
  private size: { columns: number; rows: number };
  private closed = false;
  /** Input typed before the shell first spoke; undefined once it has (or after holdInputMs). */
  private pending: string[] | undefined = [];
  private holdTimer: NodeJS.Timeout | undefined;

  private constructor(target: ShellTarget) {
    this.size = target.size;
  }

  /** Opens the first shell that exists; rejects like ExecSession.open when the API refuses. */
  static async open(transport: ApiTransport, target: ShellTarget, shells: readonly string[][], handlers: ShellHandlers, options: ExecOptions = {}): Promise<ShellSession> {
    const session = new ShellSession(target);
    await session.start(transport, target, shells, 0, handlers, options);
    return session;
  }

  write(data: string): void {
    if (this.pending) this.pending.push(data);
    else this.current?.write(data);
  }

  resize(columns: number, rows: number): void {
    this.size = { columns, rows };
    this.current?.resize(columns, rows);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.holdTimer);
    this.current?.close();
  }

  /** Sends what was typed before the shell spoke (at its first words, or after holdInputMs of silence). */
  private release(): void {
    clearTimeout(this.holdTimer);
    const typed = this.pending ?? [];
    this.pending = undefined;
    for (const piece of typed) this.current?.write(piece);
  }

  private async start(transport: ApiTransport, target: ShellTarget, shells: readonly string[][], index: number, handlers: ShellHandlers, options: ExecOptions): Promise<void> {
    const command = shells[index];
    if (!command) throw new Error('no shell to try');
    let spoke = false;
    let firstWords = '';
    const relay: ExecHandlers = {
      onOutput: (data, stream) => {
        handlers.onOutput(data, stream);
        if (spoke) return;
        firstWords += data.toString('utf8').slice(0, 2000);
        if (missingShell.test(firstWords)) return; // the runtime saying the shell is missing (containerd/runc, with a TTY)
        spoke = true;
        handlers.onShell?.(command);
        this.release();
      },
      onEnd: (end: ExecEnd) => {
        // kwok says so in the final status; containerd/runc print it and end with 126 or 127.
        const missing = !spoke && ((end.kind === 'failed' && end.notFound && end.message.includes(`"${command[0]}"`)) || (end.kind === 'exited' && (end.code === 126 || end.code === 127) && missingShell.test(firstWords)));
        if (!missing || this.closed) return handlers.onEnd(end);
        if (index + 1 < shells.length) {
          this.start(transport, { ...target, size: this.size }, shells, index + 1, handlers, options).catch((error: unknown) => handlers.onEnd({ kind: 'lost', message: error instanceof Error ? error.message : String(error) }));
          return;
        }
        const tried = shells.map((shell) => shell.join(' ')).join(', ');
        handlers.onEnd({ kind: 'failed', notFound: true, message: `No shell found in ${target.pod}: tried ${tried} (${end.kind === 'failed' ? end.message : firstWords.trim().slice(0, 300)})` });
      },
    };
    const session = await ExecSession.open(transport, { namespace: target.namespace, pod: target.pod, container: target.container, command, tty: true, size: this.size }, relay, options);
    if (this.closed) return session.close(); // closed while this shell was opening
    this.current = session;
    // A program that says nothing until it gets input (cat, a quiet REPL) gets what was typed anyway.
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.release(), holdInputMs);
    this.holdTimer.unref();
  }
}
