// The main thread's handle on P9's local client thread (localClientWorker.ts): one thread for all of
// P9's fetches, started on first use and ended by closeLocalClient() when the measure is done.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ClientAnswer, ClientAsk } from './localClientWorker';

class LocalClient {
  private readonly worker = new Worker(join(__dirname, 'localClientWorker.js'));
  private readonly pending = new Map<number, { resolve(bytes: number): void; reject(error: Error): void }>();
  private next = 0;

  constructor() {
    this.worker.on('message', (answer: ClientAnswer) => {
      const waiter = this.pending.get(answer.id);
      this.pending.delete(answer.id);
      if ('error' in answer) waiter?.reject(new Error(`the local client: ${answer.error}`));
      else waiter?.resolve(answer.bytes);
    });
    this.worker.on('error', (error) => this.pending.forEach((w) => w.reject(error)));
  }

  /** Fetches `path` from 127.0.0.1:port over a new connection; resolves with the body's byte count. */
  get(port: number, path: string): Promise<number> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, port, path } satisfies ClientAsk);
    });
  }

  async close(): Promise<void> {
    this.pending.forEach((w) => w.reject(new Error('the local client was closed')));
    this.pending.clear();
    await this.worker.terminate();
  }
}

let shared: LocalClient | undefined;

export function localClient(): LocalClient {
  shared ??= new LocalClient();
  return shared;
}

/** Ends the client's thread, if one was started. */
export async function closeLocalClient(): Promise<void> {
  const client = shared;
  shared = undefined;
  await client?.close();
}
