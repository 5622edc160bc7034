// One multiplexed HTTP/2 connection to an API server, as client-go and kubectl use: each request,
// watch and log follow is a stream on it, so a burst of writes pays one TLS handshake. The protocol
// is agreed in the TLS handshake (ALPN); a server, or a proxy in front of it, that does not offer
// h2 is remembered, and the caller falls back to HTTP/1.1. Like client-go's transport it never
// waits forever: the handshake has a time limit and every wait honours the caller's signal and
// timeout; a connection that has read nothing for a while is sent a PING, and one that does not
// answer is dropped (its streams fail, their owners reconnect). New credentials (a rotated client
// certificate) get a new connection; the old one closes once its streams end.

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

export interface HealthOptions {
  /** Close the connection after this long with no stream open. */
  idleMs: number;
  /** Limit of the TLS handshake (and of waiting for it). */
  connectTimeoutMs: number;
  /** A PING goes out after this long without reading anything (client-go: ReadIdleTimeout 30 s). */
  readIdleMs: number;
  /** A PING unanswered for this long means the connection is dead (client-go: PingTimeout 15 s). */
  pingTimeoutMs: number;
}

export const defaultHealth: HealthOptions = { idleMs: 60_000, connectTimeoutMs: 10_000, readIdleMs: 30_000, pingTimeoutMs: 15_000 };

/** Errors that mean the server never processed the request, so sending it again is safe. */
const unprocessedCodes = new Set(['ERR_HTTP2_GOAWAY_SESSION', 'ERR_HTTP2_INVALID_SESSION', 'REFUSED_STREAM', 'ERR_HTTP2_STREAM_CANCEL_BEFORE_START']);

const codedError = (message: string, code: string) => Object.assign(new Error(message), { code });

/** How long a request waits on a handshake before it starts (or joins) a newer one beside it. */
const patienceMs = 1000;

const slowHandshake: unique symbol = Symbol('slow handshake');

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms).unref());

interface Live {
  session: http2.ClientHttp2Session;
  tlsKey: string;
  streams: number;
  open: Set<http2.ClientHttp2Stream>;
  lastRead: number;
  timer: ReturnType<typeof setInterval>;
  idleSince: number;
}

export class Http2Connection {
  private live: Live | undefined;
  private connecting: { tlsKey: string; startedAt: number; promise: Promise<Live | undefined> } | undefined;
  private http1Only = false;
  private closed = false;

  constructor(private readonly origin: URL, private readonly health: HealthOptions = defaultHealth) {}

  /** Whether the server agreed to HTTP/2; false until the first connection, and for HTTP/1.1-only servers. */
  get speaksHttp2(): boolean {
    return this.live !== undefined;
  }

  /** True once the server is known to speak only HTTP/1.1. */
  get onlyHttp1(): boolean {
    return this.http1Only;
  }

  /** Sends one request; undefined when the server speaks only HTTP/1.1 (the caller then uses that). */
  async request(call: Http2Call, tlsOptions: tls.ConnectionOptions, tlsKey: string): Promise<Http2Answer | undefined> {
    const deadline = call.timeoutMs ? Date.now() + call.timeoutMs : undefined;
    for (let attempt = 0; ; attempt++) {
      const live = await this.connection(tlsOptions, tlsKey, call.signal, deadline);
      if (!live) return undefined;
      try {
        return await this.send(live, call, deadline);
      } catch (error) {
        // A request caught by a closing connection (GOAWAY, idle close) was not processed: once more on a new one.
        if (attempt > 0 || !unprocessedCodes.has((error as { code?: string }).code ?? '') || call.signal?.aborted) throw error;
      }
    }
  }

  /**
   * Opens a streaming GET; onChunk gets the body's text as it arrives. Resolves with the status
   * and, for a status of 300 or more, the whole body; undefined for an HTTP/1.1-only server.
   */
  async stream(call: Http2Call, tlsOptions: tls.ConnectionOptions, tlsKey: string, onChunk: (text: string) => void, onOpen?: () => void): Promise<Http2Answer | undefined> {
    const live = await this.connection(tlsOptions, tlsKey, call.signal, call.timeoutMs ? Date.now() + call.timeoutMs : undefined);
    if (!live) return undefined;
    return new Promise((resolve, reject) => {
      const stream = this.open(live, call);
      let status = 0;
      let failed = '';
      stream.setEncoding('utf8');
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        if (status < 300) onOpen?.();
      });
      stream.on('data', (chunk: string) => {
        live.lastRead = Date.now();
        if (status >= 300) failed += chunk;
        else onChunk(chunk);
      });
      // A stream that ends without a status (the connection went away) is a lost connection, not an answer.
      stream.on('end', () => (status === 0 && !call.signal?.aborted ? reject(codedError('the server closed the stream before answering', 'ECONNRESET')) : resolve({ status, text: failed })));
      stream.on('error', (error) => (call.signal?.aborted ? resolve({ status, text: '' }) : reject(error)));
      stream.on('close', () => {
        if (call.signal?.aborted) resolve({ status, text: '' });
        else reject(codedError('the server closed the stream', 'ECONNRESET'));
      });
    });
  }

  close(): void {
    this.closed = true;
    if (this.live) this.retire(this.live, true);
    this.live = undefined;
  }

  private send(live: Live, call: Http2Call, deadline: number | undefined): Promise<Http2Answer> {
    return new Promise((resolve, reject) => {
      const stream = this.open(live, call);
      let status = 0;
      let retryAfter: string | undefined;
      const chunks: Buffer[] = [];
      stream.on('response', (headers) => {
        status = Number(headers[':status']);
        const header = headers['retry-after'];
        retryAfter = typeof header === 'string' ? header : undefined;
      });
      stream.on('data', (chunk: Buffer) => {
        live.lastRead = Date.now();
        chunks.push(chunk);
      });
      const refused = () => stream.rstCode === http2.constants.NGHTTP2_REFUSED_STREAM;
      // A stream that ends without a status (the connection went away) is a lost connection, not an answer.
      stream.on('end', () => (status === 0
        ? reject(codedError('the server closed the stream before answering', refused() ? 'REFUSED_STREAM' : 'ECONNRESET'))
        : resolve({ status, text: Buffer.concat(chunks).toString('utf8'), retryAfter })));
      stream.on('error', (error) => reject(refused() ? codedError('the server refused the stream', 'REFUSED_STREAM') : error));
      stream.on('close', () => {
        // After 'end' this is a no-op; otherwise the stream ended without a complete answer.
        reject(codedError('the server closed the stream before answering', refused() ? 'REFUSED_STREAM' : 'ECONNRESET'));
      });
      if (deadline !== undefined) {
        stream.setTimeout(Math.max(1, deadline - Date.now()), () => {
          reject(codedError('request timed out', 'ETIMEDOUT'));
          stream.close(http2.constants.NGHTTP2_CANCEL);
        });
      }
      if (call.payload !== undefined) stream.end(call.payload);
    });
  }

  private open(live: Live, call: Http2Call): http2.ClientHttp2Stream {
    const stream = live.session.request({ ...call.headers, ':method': call.method, ':path': call.path }, { endStream: call.payload === undefined, signal: call.signal });
    live.streams += 1;
    live.open.add(stream);
    live.session.ref();
    stream.once('close', () => {
      live.streams -= 1;
      live.open.delete(stream);
      if (live.streams === 0) {
        live.idleSince = Date.now();
        // An idle connection must not keep a script's process alive; one with streams open must.
        live.session.unref();
        if (live !== this.live) this.retire(live, false);
      }
    });
    return stream;
  }

  /** The connection for these credentials: the open one, one being made, or a new one. */
  private async connection(tlsOptions: tls.ConnectionOptions, tlsKey: string, signal: AbortSignal | undefined, deadline: number | undefined): Promise<Live | undefined> {
    const asked = Date.now();
    try {
      return await this.connectionOnce(tlsOptions, tlsKey, signal, deadline);
    } catch (error) {
      // A handshake that began before this request and then failed (it stalled while the network
      // was away, say) is not this request's answer: it gets one handshake of its own.
      const joined = (error as { joinedAt?: number }).joinedAt;
      if (joined === undefined || joined >= asked || signal?.aborted || (deadline !== undefined && Date.now() >= deadline)) throw error;
      return this.connectionOnce(tlsOptions, tlsKey, signal, deadline);
    }
  }

  private async connectionOnce(tlsOptions: tls.ConnectionOptions, tlsKey: string, signal: AbortSignal | undefined, deadline: number | undefined): Promise<Live | undefined> {
    if (this.http1Only) return undefined;
    if (this.closed) throw codedError('the connection was closed', 'ERR_HTTP2_INVALID_SESSION');
    const live = this.live;
    if (live && !live.session.closed && !live.session.destroyed) {
      if (live.tlsKey === tlsKey) return live;
      // New TLS material (a rotated certificate): new requests go on a new connection.
      this.live = undefined;
      if (live.streams === 0) this.retire(live, false);
    }
    // A handshake under way for over a second may be stalled (the network was away when it began):
    // a newer request starts one of its own rather than wait out the old one's time limit.
    const stale = this.connecting !== undefined && Date.now() - this.connecting.startedAt > patienceMs;
    if (!this.connecting || this.connecting.tlsKey !== tlsKey || stale) {
      const promise = this.connect(tlsOptions, tlsKey).finally(() => {
        if (this.connecting?.promise === promise) this.connecting = undefined;
      });
      this.connecting = { tlsKey, startedAt: Date.now(), promise };
    }
    // Many requests may wait on one handshake; each stops waiting on its own cancel or deadline.
    const { startedAt, promise } = this.connecting;
    const first = await waitFor(Promise.race<Live | undefined | typeof slowHandshake>([promise, sleep(patienceMs).then(() => slowHandshake)]), signal, deadline).catch((error: unknown) => {
      throw Object.assign(error as Error, { joinedAt: startedAt });
    });
    if (typeof first !== 'symbol') return first;
    // Still no answer after a second: the handshake may be stalled. The newest one (started now by
    // whoever gets here first, then shared) races it; the first connection made is used.
    return waitFor(Promise.any([promise, this.connectionOnce(tlsOptions, tlsKey, signal, deadline)]), signal, deadline).catch((error: unknown) => {
      throw error instanceof AggregateError ? Object.assign(error.errors.at(-1) as Error, { joinedAt: startedAt }) : error;
    });
  }

  private connect(tlsOptions: tls.ConnectionOptions, tlsKey: string): Promise<Live | undefined> {
    const host = this.origin.hostname.replace(/^\[|\]$/g, '');
    const port = Number(this.origin.port || 443);
    // SNI carries host names only; an IP address there is refused by Node.
    const servername = tlsOptions.servername || (isIP(host) ? undefined : host);
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ ...tlsOptions, host, port, servername, ALPNProtocols: ['h2', 'http/1.1'] });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(codedError(`no TLS handshake with ${this.origin.host} within ${this.health.connectTimeoutMs / 1000} s`, 'ETIMEDOUT'));
      }, this.health.connectTimeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (socket.alpnProtocol !== 'h2') {
          this.http1Only = true;
          socket.destroy();
          resolve(undefined);
          return;
        }
        const live = this.start(socket, tlsKey);
        if (this.closed) {
          this.retire(live, true);
          reject(codedError('the connection was closed', 'ERR_HTTP2_INVALID_SESSION'));
          return;
        }
        resolve(live);
      });
    });
  }

  private start(socket: tls.TLSSocket, tlsKey: string): Live {
    // Large flow-control windows, as Go's client uses: the default 64 KiB throttles big lists.
    const session = http2.connect(this.origin, { createConnection: () => socket, settings: { initialWindowSize: 2 ** 24 } });
    session.on('connect', () => session.setLocalWindowSize(2 ** 26));
    const live: Live = { session, tlsKey, streams: 0, open: new Set(), lastRead: Date.now(), idleSince: Date.now(), timer: setInterval(() => this.check(live), Math.max(50, Math.min(5_000, this.health.readIdleMs / 2, this.health.idleMs / 2))) };
    live.timer.unref();
    // A failed connection fails its streams, which report to their owners; it only needs forgetting.
    const forget = () => {
      clearInterval(live.timer);
      if (this.live === live) this.live = undefined;
    };
    session.on('error', forget);
    session.on('goaway', (_code: number, lastStreamID: number) => {
      forget();
      // Streams the server says it never processed are refused, so their callers send them again.
      for (const stream of live.open) if (stream.id !== undefined && stream.id > lastStreamID) stream.close(http2.constants.NGHTTP2_REFUSED_STREAM);
    });
    session.on('close', forget);
    session.on('ping', () => (live.lastRead = Date.now()));
    session.unref();
    this.live = live;
    return live;
  }

  /** The health check: idle connections close; silent ones are PINGed, and dropped if the PING goes unanswered. */
  private check(live: Live): void {
    if (live.session.closed || live.session.destroyed) return;
    const now = Date.now();
    if (live.streams === 0 && now - live.idleSince >= this.health.idleMs) {
      this.retire(live, false);
      return;
    }
    if (now - live.lastRead < this.health.readIdleMs) return;
    const timeout = setTimeout(() => live.session.destroy(codedError(`the connection to ${this.origin.host} stopped answering (no PING reply within ${this.health.pingTimeoutMs / 1000} s)`, 'ECONNRESET')), this.health.pingTimeoutMs);
    timeout.unref();
    const sent = live.session.ping((error) => {
      clearTimeout(timeout);
      if (!error) live.lastRead = Date.now();
    });
    if (!sent) clearTimeout(timeout);
  }

  private retire(live: Live, now: boolean): void {
    clearInterval(live.timer);
    if (this.live === live) this.live = undefined;
    if (now) live.session.destroy();
    else live.session.close();
  }
}

/** The promise's value, or a rejection on cancel or past the deadline (the promise itself goes on for others). */
function waitFor<T>(promise: Promise<T>, signal: AbortSignal | undefined, deadline: number | undefined): Promise<T> {
  if (!signal && deadline === undefined) return promise;
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(Object.assign(new Error('Cancelled.'), { name: 'AbortError' }));
    };
    const timer = deadline === undefined ? undefined : setTimeout(() => {
      done();
      reject(codedError('request timed out while connecting', 'ETIMEDOUT'));
    }, Math.max(0, deadline - Date.now()));
    if (signal?.aborted) {
      onAbort();
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then((value) => {
      done();
      resolve(value);
    }, (error: unknown) => {
      done();
      reject(error);
    });
  });
}
