// Opens a WebSocket to an API subresource (pods/exec, pods/portforward, a KubeVirt console) with the
// context's credentials: the same CA, client certificate, token and proxy as every other request.
// A refused upgrade becomes the ApiError the server's Status names (403 says which verb). `ws` is
// loaded on first use, so activation does not parse it.

import type { IncomingMessage } from 'node:http';
import type WebSocket from 'ws';
import { ApiError, apiErrorFromNetwork, apiErrorFromResponse } from '../apiError';
import type { AuthOptions } from '../credentials';

export interface WebSocketTarget {
  server: string;
  path: string;
  params: URLSearchParams;
  /** Subprotocols in order of preference; the server picks one. */
  protocols: string[];
  signal?: AbortSignal;
  /** How long the handshake may take (default 30 s). */
  timeoutMs?: number;
}

function wsLibrary(): typeof WebSocket {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('ws') as typeof WebSocket;
}

/** Resolves with the open socket, or rejects with an ApiError (status 0 for network failures). */
export function openWebSocket(target: WebSocketTarget, auth: AuthOptions): Promise<WebSocket> {
  const url = new URL(target.server + target.path);
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:';
  url.search = target.params.toString();
  const what = `${target.path.split('/').slice(-1)[0] ?? 'stream'} ${target.path}`;
  const WebSocketClass = wsLibrary();
  return new Promise((resolve, reject) => {
    if (target.signal?.aborted) return reject(new ApiError(0, 'Cancelled', 'Cancelled.'));
    const socket = new WebSocketClass(url, target.protocols, {
      headers: auth.headers,
      ...auth.tls,
      agent: auth.proxyAgent,
      handshakeTimeout: target.timeoutMs ?? 30_000,
      perMessageDeflate: false,
      followRedirects: false,
    });
    const onAbort = () => socket.terminate();
    target.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (error?: ApiError) => {
      target.signal?.removeEventListener('abort', onAbort);
      socket.removeAllListeners('open').removeAllListeners('unexpected-response');
      if (error) reject(error);
      else resolve(socket);
    };
    socket.once('open', () => settle());
    socket.once('unexpected-response', (_request, response: IncomingMessage) => {
      readBody(response).then((text) => {
        settle(apiErrorFromResponse(response.statusCode ?? 0, text, what));
        socket.terminate();
      }, () => settle(apiErrorFromResponse(response.statusCode ?? 0, '', what)));
    });
    socket.once('error', (error) => {
      if (target.signal?.aborted) settle(new ApiError(0, 'Cancelled', 'Cancelled.'));
      else settle(apiErrorFromNetwork(error, target.server));
    });
  });
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
