// The thread P9's local client runs in: it fetches through a forward's local port as a browser or
// curl would, on its own event loop, so the forward under test does not also pay for its client
// (in VS Code the client is another process). Asked {id, port, path}; answers {id, bytes} or
// {id, error}.
import { connect } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { AnswerCounter, getRequest } from './httpAnswer';

export interface ClientAsk {
  id: number;
  port: number;
  path: string;
}

export type ClientAnswer = { id: number; bytes: number } | { id: number; error: string };

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const counter = new AnswerCounter();
    const socket = connect(port, '127.0.0.1', () => socket.write(getRequest(path)));
    socket.on('data', (chunk: Buffer) => {
      if (!counter.add(chunk)) return;
      socket.destroy();
      resolve(counter.bytes);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(counter.bytes));
  });
}

parentPort?.on('message', (ask: ClientAsk) => {
  get(ask.port, ask.path).then(
    (bytes) => parentPort?.postMessage({ id: ask.id, bytes } satisfies ClientAnswer),
    (error: Error) => parentPort?.postMessage({ id: ask.id, error: error.message } satisfies ClientAnswer),
  );
});
