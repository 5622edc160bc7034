// A fault proxy of our own between the extension's code and the real apiserver of the local plane.
// It terminates TLS with the apiserver's own certificate (the kubeconfig's CA trusts it), checks
// the client certificate, and forwards every request over HTTP/2 as the plane's admin impersonating
// the client's user and groups, so RBAC answers as it would directly. Every request is recorded
// (method, path, user, the certificate presented, status), and faults can be set per request
// (a status, a delay, a hang, a reset, an answer lost after the server acted, GOAWAY) or per
// connection through its TCP front (stalled handshakes, cuts, a frozen network).
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as http2 from 'node:http2';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { TcpFront } from './tcpFront';

export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  user: string;
  groups: string[];
  /** SHA-256 fingerprint of the client certificate the connection presented. */
  certificate: string;
  protocol: 'h2' | 'http/1.1';
  /** Sequence number of the TLS connection it came on. */
  connection: number;
  at: number;
  status?: number;
  /** The fault applied to it, if any. */
  fault?: Fault['kind'];
}

export type Fault =
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'reset' }
  | { kind: 'forwardThenReset' }
  | { kind: 'goaway' }
  /** Runs `run` (an apiserver restart, say), then forwards the request. */
  | { kind: 'before'; run: () => Promise<unknown> };

interface Rule {
  match: (request: SeenRequest) => boolean;
  fault: Fault;
  remaining: number;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'host', 'http2-settings', 'proxy-connection', 'te', 'authorization']);

export class FaultProxy {
  readonly requests: SeenRequest[] = [];
  private readonly rules: Rule[] = [];
  private upstreamSession: http2.ClientHttp2Session | undefined;
  private connections = 0;
  private readonly hanging = new Set<http2.Http2ServerResponse>();

  private constructor(
    private readonly server: http2.Http2SecureServer,
    readonly front: TcpFront,
    readonly port: number,
    private readonly upstream: string,
    private readonly pki: { ca: Buffer; adminCert: Buffer; adminKey: Buffer; dir: string },
  ) {}

  /** Starts the proxy in front of `upstream` (https://127.0.0.1:PORT), with the plane's pki folder. */
  static async start(upstream: string, pkiDir: string): Promise<FaultProxy> {
    const read = (name: string) => readFileSync(join(pkiDir, name));
    const pki = { ca: read('ca.crt'), adminCert: read('admin.crt'), adminKey: read('admin.key'), dir: pkiDir };
    const server = http2.createSecureServer({ allowHTTP1: true, cert: read('apiserver.crt'), key: read('apiserver.key'), ca: pki.ca, requestCert: true, rejectUnauthorized: true });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the proxy has no port');
    const front = new TcpFront(address.port);
    const port = await front.listen();
    const proxy = new FaultProxy(server, front, port, upstream, pki);
    server.on('secureConnection', (socket: TLSSocket & { cmpConnection?: number }) => {
      socket.cmpConnection = ++proxy.connections;
    });
    server.on('request', (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void proxy.handle(req, res));
    return proxy;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig that reaches the plane through this proxy, as the plane's admin or tenant user. */
  writeKubeconfig(file: string, user: 'admin' | 'tenant', namespace?: string): string {
    const b64 = (name: string) => readFileSync(join(this.pki.dir, name)).toString('base64');
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: proxied\n  cluster:\n    server: ${this.url}\n    certificate-authority-data: ${b64('ca.crt')}`,
      'users:',
      `- name: ${user}\n  user:\n    client-certificate-data: ${b64(`${user}.crt`)}\n    client-key-data: ${b64(`${user}.key`)}`,
      'contexts:',
      `- name: proxied-${user}\n  context:\n    cluster: proxied\n    user: ${user}${namespace ? `\n    namespace: ${namespace}` : ''}`,
      `current-context: proxied-${user}`,
      '',
    ].join('\n');
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  }

  /** Applies `fault` to the next `times` requests that match; returns a function that removes it. */
  inject(match: (request: SeenRequest) => boolean, fault: Fault, times = Infinity): () => void {
    const rule: Rule = { match, fault, remaining: times };
    this.rules.push(rule);
    return () => {
      const index = this.rules.indexOf(rule);
      if (index >= 0) this.rules.splice(index, 1);
    };
  }

  clearFaults(): void {
    this.rules.length = 0;
    for (const res of this.hanging) res.stream?.close(http2.constants.NGHTTP2_CANCEL);
    this.hanging.clear();
  }

  /**
   * Requests that change something (dry runs included), optionally since an index into requests.
   * Access reviews (what the user may do) are POSTs that store nothing: not writes.
   */
  writes(since = 0): SeenRequest[] {
    return this.requests.slice(since).filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.method !== 'OPTIONS' && !isAccessReview(r));
  }

  /** The most requests that arrived within any one second, from `since` (ms since the epoch). */
  maxPerSecond(since = 0): number {
    const times = this.requests.filter((r) => r.at >= since).map((r) => r.at);
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while ((times[i] as number) - (times[j] as number) >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    return most;
  }

  async close(): Promise<void> {
    this.clearFaults();
    await this.front.close();
    this.upstreamSession?.destroy();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  private async handle(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse): Promise<void> {
    const socket = req.socket as TLSSocket & { cmpConnection?: number };
    const peer = socket.getPeerCertificate(true);
    const subject = peer.subject ?? {};
    const url = new URL(req.url, this.url);
    const seen: SeenRequest = {
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      user: String(subject.CN ?? ''),
      groups: ([] as string[]).concat(subject.O ?? []),
      certificate: peer.raw ? new X509Certificate(peer.raw).fingerprint256 : '',
      protocol: req.httpVersion === '2.0' ? 'h2' : 'http/1.1',
      connection: socket.cmpConnection ?? 0,
      at: Date.now(),
    };
    this.requests.push(seen);
    const rule = this.rules.find((r) => r.remaining > 0 && r.match(seen));
    if (rule) {
      rule.remaining -= 1;
      seen.fault = rule.fault.kind;
    }
    const fault = rule?.fault;
    switch (fault?.kind) {
      case 'status':
        seen.status = fault.status;
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: fault.status, reason: 'Injected', message: `injected ${fault.status}` }));
        return;
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'reset':
        this.resetConnection(req);
        return;
      case 'goaway':
        if (req.stream?.session) {
          // As a server going away does: GOAWAY naming the last stream it processed (the one before
          // this), then the connection is dropped a little later without answering this stream.
          const session = req.stream.session;
          session.goaway(http2.constants.NGHTTP2_NO_ERROR, Math.max(0, (req.stream.id ?? 1) - 2));
          setTimeout(() => session.destroy(), 2000).unref();
        } else {
          this.resetConnection(req);
        }
        return;
      case 'delay':
        await new Promise((done) => setTimeout(done, fault.ms));
        break;
      case 'before':
        await fault.run().catch(() => undefined);
        break;
      default:
        break;
    }
    await this.forward(req, res, seen, fault?.kind === 'forwardThenReset');
  }

  private resetConnection(req: http2.Http2ServerRequest): void {
    if (req.stream?.session) req.stream.session.destroy();
    else req.socket.destroy();
  }

  private session(): http2.ClientHttp2Session {
    if (this.upstreamSession && !this.upstreamSession.closed && !this.upstreamSession.destroyed) return this.upstreamSession;
    const session = http2.connect(this.upstream, { ca: this.pki.ca, cert: this.pki.adminCert, key: this.pki.adminKey });
    session.on('error', () => undefined);
    session.on('close', () => {
      if (this.upstreamSession === session) this.upstreamSession = undefined;
    });
    this.upstreamSession = session;
    return session;
  }

  private forward(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, seen: SeenRequest, loseAnswer: boolean): Promise<void> {
    const headers: http2.OutgoingHttpHeaders = { ':method': req.method, ':path': req.url };
    for (const [name, value] of Object.entries(req.headers)) {
      if (name.startsWith(':') || hopByHop.has(name) || value === undefined) continue;
      headers[name] = value;
    }
    headers['impersonate-user'] = seen.user;
    if (seen.groups.length) headers['impersonate-group'] = seen.groups;
    return new Promise((done) => {
      let upstream: http2.ClientHttp2Stream;
      try {
        // Node ends a DELETE's stream at once unless told otherwise: its body (preconditions) would be lost.
        upstream = this.session().request(headers, { endStream: false });
      } catch {
        res.writeHead(502);
        res.end();
        done();
        return;
      }
      const stop = () => upstream.close(http2.constants.NGHTTP2_CANCEL);
      res.on('close', stop);
      upstream.on('response', (answer) => {
        const status = Number(answer[':status']);
        seen.status = status;
        if (loseAnswer) {
          // The server acted; the client never hears of it.
          upstream.resume();
          upstream.on('end', () => {
            this.resetConnection(req);
            done();
          });
          return;
        }
        const out: http2.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer)) if (!name.startsWith(':') && !hopByHop.has(name) && value !== undefined) out[name] = value;
        res.writeHead(status, out);
        upstream.pipe(res as unknown as NodeJS.WritableStream);
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      upstream.on('close', () => done());
      req.pipe(upstream);
    });
  }
}

/** A SelfSubjectAccessReview or SelfSubjectRulesReview: the API answers what the user may do and keeps nothing. */
export function isAccessReview(request: { method: string; path: string }): boolean {
  return request.method === 'POST' && /^\/apis\/authorization\.k8s\.io\/v1\/selfsubject(access|rules)reviews$/.test(request.path);
}
