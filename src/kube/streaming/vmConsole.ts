// The serial console of a KubeVirt VM (the `virtualmachineinstances/console` subresource of
// subresources.kubevirt.io/v1) over WebSocket, plain.kubevirt.io: raw bytes each way. Only where
// KubeVirt serves it; consoleServed() asks discovery first so the user gets a clear sentence instead.

import type WebSocket from 'ws';
import type { ApiTransport } from '../apiTransport';
import type { KubeClient } from '../kubeClient';
import type { ExecHandlers } from './execSession';
import { keepAlive } from './keepalive';

export const consoleResource = { group: 'subresources.kubevirt.io', version: 'v1', plural: 'virtualmachineinstances/console', namespaced: true } as const;

export function consoleServed(client: KubeClient): Promise<boolean> {
  return client.serves(consoleResource);
}

export class VmConsole {
  private ended = false;
  private readonly stopKeepalive: () => void;

  private constructor(private readonly socket: WebSocket, handlers: ExecHandlers, keepaliveMs?: number) {
    const stop = (this.stopKeepalive = keepAlive(socket, (silentMs) => {
      end({ kind: 'lost', message: `no answer from the server for ${Math.round(silentMs / 1000)} s` });
      socket.terminate();
    }, { intervalMs: keepaliveMs }));
    const end = (why: Parameters<ExecHandlers['onEnd']>[0]) => {
      if (this.ended) return;
      this.ended = true;
      stop();
      handlers.onEnd(why);
    };
    socket.on('message', (data: Buffer) => handlers.onOutput(data, 'stdout'));
    socket.on('close', () => end({ kind: 'lost', message: 'the console connection closed' }));
    socket.on('error', (error: Error) => end({ kind: 'lost', message: error.message }));
  }

  static async open(transport: ApiTransport, namespace: string, vm: string, handlers: ExecHandlers, keepaliveMs?: number): Promise<VmConsole> {
    const socket = await transport.openWebSocket({
      path: `/apis/subresources.kubevirt.io/v1/namespaces/${encodeURIComponent(namespace)}/virtualmachineinstances/${encodeURIComponent(vm)}/console`,
      params: new URLSearchParams(),
      protocols: ['plain.kubevirt.io'],
    });
    return new VmConsole(socket, handlers, keepaliveMs);
  }

  write(data: string): void {
    if (!this.ended && this.socket.readyState === this.socket.OPEN) this.socket.send(Buffer.from(data, 'utf8'));
  }

  /** A serial console has no window size. */
  resize(): void {}

  close(): void {
    this.ended = true;
    this.stopKeepalive();
    this.socket.close(1000);
    setTimeout(() => this.socket.terminate(), 2_000).unref();
  }
}
