// Keeps an idle WebSocket alive and finds a dead one: a WebSocket ping every interval (proxies and
// load balancers drop connections idle for minutes; client-node sends none), and a connection that
// has heard nothing (no pong, no message) for two intervals is ended as lost.

import type WebSocket from 'ws';

export interface KeepaliveOptions {
  /** Default 20 s: under the idle timeouts of common proxies (60 s and more). */
  intervalMs?: number;
}

export const defaultKeepaliveMs = 20_000;

/** Starts pinging; calls onDead once if the peer goes silent. Returns the stop function. */
export function keepAlive(socket: WebSocket, onDead: (silentMs: number) => void, options: KeepaliveOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? defaultKeepaliveMs;
  let heardAt = Date.now();
  const heard = () => {
    heardAt = Date.now();
  };
  socket.on('pong', heard);
  socket.on('message', heard);
  const timer = setInterval(() => {
    const silent = Date.now() - heardAt;
    if (silent >= 2 * intervalMs) {
      stop();
      onDead(silent);
      return;
    }
    if (socket.readyState === socket.OPEN) socket.ping();
  }, intervalMs);
  timer.unref?.();
  const stop = () => {
    clearInterval(timer);
    socket.off('pong', heard);
    socket.off('message', heard);
  };
  return stop;
}
