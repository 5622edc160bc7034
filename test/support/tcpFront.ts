// The connection-level half of the fault proxy: a TCP listener in front of the proxy's TLS port
// that pipes each connection through, and on demand stalls new ones before their TLS handshake,
// cuts every open one, or freezes them (bytes held both ways, as a black-holed network does).
import { createConnection, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream?: Socket;
}

export type ConnectionMode = 'pass' | 'stall' | 'refuse';

export class TcpFront {
  private readonly server: Server;
  private readonly pairs = new Set<Pair>();
  private frozen = false;
  mode: ConnectionMode = 'pass';
  /** Connections accepted so far. */
  accepted = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.accept(client));
  }

  async listen(): Promise<number> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the TCP front has no port');
    return address.port;
  }

  /** Destroys every open connection, as a network that drops them. */
  cutAll(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream?.destroy();
    }
    this.pairs.clear();
  }

  /** Holds every byte in both directions (open and new connections) until thaw(): a black hole. */
  freeze(): void {
    this.frozen = true;
    for (const pair of this.pairs) this.hold(pair);
  }

  /** Holds the connections open now, and lets new ones through: a network change that strands old connections. */
  freezeOpen(): void {
    for (const pair of this.pairs) this.hold(pair);
  }

  thaw(): void {
    this.frozen = false;
    for (const pair of this.pairs) {
      if (!pair.upstream) continue;
      pair.client.pipe(pair.upstream);
      pair.upstream.pipe(pair.client);
    }
  }

  get open(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private accept(client: Socket): void {
    this.accepted += 1;
    if (this.mode === 'refuse') {
      client.destroy();
      return;
    }
    const pair: Pair = { client };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      pair.upstream?.destroy();
    };
    client.on('error', forget);
    client.on('close', forget);
    // A stalled connection is accepted and then hears nothing: the TLS handshake never completes.
    if (this.mode === 'stall') return;
    const upstream = createConnection({ host: '127.0.0.1', port: this.targetPort });
    pair.upstream = upstream;
    upstream.on('error', forget);
    upstream.on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
    if (this.frozen) this.hold(pair);
  }

  private hold(pair: Pair): void {
    // Unpiped and paused, a socket keeps what arrives in its buffers: nothing is lost, nothing passes.
    pair.client.unpipe();
    pair.upstream?.unpipe();
    pair.client.pause();
    pair.upstream?.pause();
  }
}
