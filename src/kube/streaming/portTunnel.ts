// One local TCP connection carried to a pod's port over its own pods/portforward WebSocket
// (v4.channel.k8s.io: channel 0 data, channel 1 errors, each opened by the server with the port as
// two bytes). Flow control both ways: a slow local reader pauses the WebSocket, a slow API pauses the
// local socket, so a large transfer holds bounded memory.

import type { Socket } from 'node:net';
import type WebSocket from 'ws';
import type { ApiTransport } from '../apiTransport';
import { frame, portForwardProtocols, unframe } from './channels';
import { keepAlive } from './keepalive';

export interface TunnelTarget {
  namespace: string;
  pod: string;
  port: number;
}

/** Bytes queued towards the API before the local socket is paused. */
const highWaterBytes = 1024 * 1024;

export function portForwardPath(target: TunnelTarget): string {
  return `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.pod)}/portforward`;
}

/** Opens the WebSocket for one connection; rejects with the API's refusal (a 403 names the verb). */
export function openTunnelSocket(transport: ApiTransport, target: TunnelTarget, signal?: AbortSignal): Promise<WebSocket> {
  return transport.openWebSocket({ path: portForwardPath(target), params: new URLSearchParams({ ports: String(target.port) }), protocols: portForwardProtocols, signal });
}

/**
 * Joins the local socket and the open WebSocket until either side ends; resolves with the remote
 * error text if the pod's side reported one (nothing listening on the port, say).
 */
export function joinTunnel(local: Socket, remote: WebSocket): Promise<string | undefined> {
  return new Promise((resolve) => {
    const seenPort = [false, false];
    let remoteError: string | undefined;
    let done = false;
    let waitingDrain = false;
    // Idle connections (a database session, an event stream) get pings like a terminal does, and a
    // stream that stops answering (sleep, a changed network, a proxy that dropped it) is cut.
    const stopKeepalive = keepAlive(remote, () => remote.terminate());
    // A cut stream (connection lost, the pod's side failed, the forward stopped) resets the local
    // connection: a plain end would look like a complete answer to a client that reads to the end.
    const finish = (cut: boolean) => {
      if (done) return;
      done = true;
      stopKeepalive();
      if (!local.destroyed) {
        if (cut || remoteError !== undefined) local.resetAndDestroy();
        else local.end();
      }
      if (remote.readyState === remote.OPEN || remote.readyState === remote.CONNECTING) remote.close(1000);
      resolve(remoteError);
    };
    if (local.destroyed) return finish(false);
    remote.on('message', (message: Buffer, isBinary: boolean) => {
      const parsed = isBinary ? unframe(message) : undefined;
      if (!parsed || parsed.channel > 1 || parsed.data.length === 0) return;
      let data = parsed.data;
      if (!seenPort[parsed.channel]) {
        seenPort[parsed.channel] = true; // each channel opens with its port, as two bytes
        data = data.subarray(2);
        if (data.length === 0) return;
      }
      if (parsed.channel === 1) {
        remoteError = ((remoteError ?? '') + data.toString('utf8')).slice(0, 2000);
        return;
      }
      if (!local.write(data) && !waitingDrain) {
        waitingDrain = true;
        remote.pause();
        local.once('drain', () => {
          waitingDrain = false;
          remote.resume();
        });
      }
    });
    local.on('data', (chunk: Buffer) => {
      remote.send(frame(0, chunk), () => {
        if (local.isPaused() && remote.bufferedAmount < highWaterBytes) local.resume();
      });
      if (remote.bufferedAmount >= highWaterBytes) local.pause();
    });
    // A local end (a client done sending) is not the end: the answer may still come.
    remote.on('close', (code: number) => finish(!cleanClose(code)));
    remote.on('error', () => finish(true));
    local.on('close', () => finish(false));
    local.on('error', () => finish(false));
  });
}

/** 1000 is a normal closure and 1005 a close frame without a code; 1006 and the rest mean the stream was cut. */
function cleanClose(code: number): boolean {
  return code === 1000 || code === 1005;
}
