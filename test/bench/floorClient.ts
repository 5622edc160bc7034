// The raw-request floor: a minimal HTTPS client with no library between us and the API server.
// It speaks HTTP/2 over one TLS connection, as the API server and kubectl do, so "all at once"
// costs one handshake rather than one per request. The bench also uses it for setup and cleanup.
import * as http2 from 'node:http2';
import { KubeConfig } from '@kubernetes/client-node';
import type * as https from 'node:https';

export interface Credentials {
  server: string;
  tls: { ca?: https.AgentOptions['ca']; cert?: https.AgentOptions['cert']; key?: https.AgentOptions['key'] };
  headers: Record<string, string>;
}

/** TLS material and headers of the kubeconfig's current context (read once, outside any timing). */
export async function credentialsOf(kubeconfigPath: string): Promise<Credentials> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts.headers ?? {})) if (value !== undefined) headers[key.toLowerCase()] = String(value);
  const server = kc.getCurrentCluster()?.server.replace(/\/+$/, '');
  if (!server) throw new Error(`${kubeconfigPath} names no server`);
  return { server, tls: { ca: opts.ca, cert: opts.cert, key: opts.key }, headers };
}

export class FloorError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status} ${body.slice(0, 300)}`);
    this.name = 'FloorError';
  }
}

export class FloorClient {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly creds: Credentials) {}

  /** One request; resolves with the status and body text, whatever the status. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const stream = this.connect().request({
        ...this.creds.headers,
        ':method': method,
        ':path': path,
        accept: 'application/json',
        ...(payload === undefined ? {} : { 'content-type': contentType }),
      }, { endStream: payload === undefined });
      let status = 0;
      let text = '';
      stream.setEncoding('utf8');
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', (chunk: string) => (text += chunk));
      stream.on('end', () => resolve({ status, text }));
      stream.on('error', reject);
      if (payload !== undefined) stream.end(payload);
    });
  }

  /** A request that must succeed; its body is returned unparsed (the floor does not parse what it ignores). */
  async ok(method: string, path: string, body?: unknown, contentType?: string): Promise<string> {
    const { status, text } = await this.request(method, path, body, contentType);
    if (status < 200 || status >= 300) throw new FloorError(status, text, `${method} ${path}`);
    return text;
  }

  /** A request that must succeed, parsed as JSON. */
  async json<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    return JSON.parse(await this.ok(method, path, body, contentType)) as T;
  }

  /** A streaming GET (watch, log follow): calls onChunk per piece until the signal aborts or the server ends. */
  stream(path: string, onChunk: (text: string) => void, signal: AbortSignal): Promise<number> {
    return new Promise((resolve, reject) => {
      const stream = this.connect().request({ ...this.creds.headers, ':method': 'GET', ':path': path, accept: 'application/json' });
      let status = 0;
      stream.setEncoding('utf8');
      stream.on('response', (headers) => (status = Number(headers[':status'])));
      stream.on('data', onChunk);
      stream.on('close', () => resolve(status));
      stream.on('error', (error) => (signal.aborted ? resolve(status) : reject(error)));
      signal.addEventListener('abort', () => stream.close(http2.constants.NGHTTP2_CANCEL), { once: true });
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private connect(): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    // Large flow-control windows, as Go's client uses: the default 64 KiB would throttle big lists and log floods.
    const session = http2.connect(this.creds.server, { ...this.creds.tls, settings: { initialWindowSize: 2 ** 24 } });
    session.on('connect', () => session.setLocalWindowSize(2 ** 26));
    // A failed connection fails its streams; the session error itself needs no handler beyond that.
    session.on('error', () => undefined);
    session.on('close', () => {
      if (this.session === session) this.session = undefined;
    });
    this.session = session;
    return session;
  }
}
