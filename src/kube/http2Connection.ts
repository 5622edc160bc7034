// One multiplexed HTTP/2 connection to an API server, as client-go and kubectl use: each request is
// a stream on it, so a burst of writes pays one TLS handshake and no per-connection queueing.
// The protocol is agreed in the TLS handshake (ALPN); a server, or a proxy in front of it, that does
// not offer h2 is remembered, and the caller falls back to HTTP/1.1.

import * as http2 from 'node:http2';
import { isIP } from 'node:net';
import * as tls from 'node:tls';

export interface Http2Answer {
  status: number;
  text: string;
  /** The Retry-After header of a throttled answer. */
  retryAfter?: string;
}

export interface Http2Call {
  method: string;
  /** Path with query string. */
  path: string;
  headers: Record<string, string>;
  payload?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Errors that mean the server never processed the request, so sending it again is safe. */
const unprocessedCodes = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'REFUSED_STREAM']);

export class Http2Connection {
  private session: http2.ClientHttp2Session | undefined;
  private connecting: Promise<http2.ClientHttp2Session | undefined> | undefined;
  private http1Only = false;
  private inFlight = 0;

  constructor(private readonly origin: URL, private readonly idleMs = 60_000) {}

  /** Whether the server agreed to HTTP/2; false until the first connection, and for HTTP/1.1-only servers. */
  get speaksHttp2(): boolean {
    return this.session !== undefined;
  }

  /** Sends one request; undefined when the server speaks only HTTP/1.1 (the caller then uses that). */
  async request(call: Http2Call, tlsOptions: tls.ConnectionOptions): Promise<Http2Answer | undefined> {
    if (this.http1Only) return undefined;
    const session = await this.sessionFor(tlsOptions);
    if (!session) return undefined;
    try {
      return await this.send(session, call);
    } catch (error) {
      // A request caught by a closing session (GOAWAY, idle close) was not processed: once more on a new one.
      if (!unprocessedCodes.has((error as { code?: string }).code ?? '') || call.signal?.aborted) throw error;
      const fresh = await this.sessionFor(tlsOptions);
      return fresh && this.send(fresh, call);
    }
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private send(session: http2.ClientHttp2Session, call: Http2Call): Promise<Http2Answer> {
    return new Promise((resolve, reject) => {
      const stream = session.request({ ...call.headers, ':method': call.method, ':path': call.path }, { endStream: call.payload === undefined, signal: call.signal });
      this.track(session, +1);
      let status = 0;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        const header = headers['retry-after'];
        retryAfter = typeof header === 'string' ? header : undefined;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve({ status, text: Buffer.concat(chunks).toString('utf8'), retryAfter }));
      const refused = () => stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
      stream.on('error', (error) => reject(refused() ? Object.assign(new Error('the server refused the stream'), { code: 'REFUSED_STREAM' }) : error));
      stream.on('close', () => {
        this.track(session, -1);
        // After 'end' this is a no-op; otherwise the stream ended without a complete answer.
        reject(Object.assign(new Error('the server closed the stream before answering'), { code: refused() ? 'REFUSED_STREAM' : 'ECONNRESET' }));
      });
      if (call.timeoutMs) {
        stream.setTimeout(call.timeoutMs, () => {
          reject(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' }));
          stream.close(http2.constants.NGHTTP2_CANCEL);
        });
      }
      if (call.payload !== undefined) stream.end(call.payload);
    });
  }

  /** An idle session must not keep a script's process alive; one with requests in flight must. */
  private track(session: http2.ClientHttp2Session, delta: number): void {
    this.inFlight += delta;
    if (this.inFlight > 0) session.ref();
    else session.unref();
  }

  private sessionFor(tlsOptions: tls.ConnectionOptions): Promise<http2.ClientHttp2Session | undefined> {
    if (this.session && !this.session.closed && !this.session.destroyed) return Promise.resolve(this.session);
    this.connecting ??= this.connect(tlsOptions).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private connect(tlsOptions: tls.ConnectionOptions): Promise<http2.ClientHttp2Session | undefined> {
    const host = this.origin.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.origin.port || 443);
    // SNI carries host names only; an IP address there is refused by Node.
    const servername = tlsOptions.servername || (isIP(host) ? undefined : host);
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ ...tlsOptions, host, port, servername, ALPNProtocols: ['h2', 'http/1.1'] });
      socket.once('error', reject);
      socket.once('secureConnect', () => {
        socket.removeListener('error', reject);
        if (socket.alpnProtocol !== 'h2') {
          this.http1Only = true;
          socket.destroy();
          resolve(undefined);
          return;
        }
        resolve(this.open(socket));
      });
    });
  }

  private open(socket: tls.TLSSocket): http2.ClientHttp2Session {
    // Large flow-control windows, as Go's client uses: the default 64 KiB throttles big lists.
    const session = http2.connect(this.origin, { createConnection: () => socket, settings: { initialWindowSize: 2 ** 24 } });
    session.on('connect', () => session.setLocalWindowSize(2 ** 26));
    // A failed session fails its streams, which report to their callers; the session only needs forgetting.
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('error', forget);
    session.on('goaway', forget);
    session.on('close', forget);
    session.setTimeout(this.idleMs, () => {
      forget();
      session.close();
    });
    session.unref();
    this.session = session;
    return session;
  }
}
