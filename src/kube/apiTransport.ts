// HTTP access to one Kubernetes API server for one kubeconfig context. Credentials come from
// credentials.ts (the kubeconfig through client-node; exec plugins run once and cached). Requests,
// watches and log follows share one HTTP/2 connection, as kubectl's do, so a burst of writes pays
// one TLS handshake and a dead connection is found by its PING health check; a keep-alive
// HTTP/1.1 pool serves everything when the server or a proxy-url does not speak HTTP/2. A 401
// is answered once more with fresh credentials (an expired token, a rotated certificate).

import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import { ApiError, apiErrorFromNetwork, apiErrorFromResponse } from './apiError';
import { Credentials, type AuthOptions } from './credentials';
import { defaultHealth, Http2Connection, type HealthOptions, type Http2Answer } from './http2Connection';
import { openWebSocket, type WebSocketTarget } from './streaming/webSocketOpen';
import { throttleDelayMs } from './throttle';

export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Query;
  body?: unknown;
  contentType?: string;
  /** The Accept header; JSON unless set. */
  accept?: string;
  signal?: AbortSignal;
  /** For requests that must answer quickly; streams have none (a watch has its bookmark watchdog). */
  timeoutMs?: number;
  /** A 403 here is an expected answer (the caller does without), not news that permissions changed: onForbidden is not told. */
  refusalExpected?: boolean;
}

/**
 * HTTP/1.1 connections for one context: enough for the open streams plus the write bound, but
 * capped, since on an HTTP/1.1-only server each extra connection costs a TLS handshake.
 */
export function http1PoolSize(writeConcurrency: number): number {
  return Math.min(64, Math.max(8, writeConcurrency * 2));
}

export class ApiTransport {
  readonly server: string;
  private agent: { agent: http.Agent; tlsKey: string } | undefined;
  private credentials: Credentials;
  private readonly http2: Http2Connection | undefined;

  /** Told the path of every request the API refused with 403: what the user was thought to be allowed is out of date. */
  onForbidden: ((path: string) => void) | undefined;

  constructor(kc: KubeConfig, private readonly maxSockets = 32, health: HealthOptions = defaultHealth) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`Context "${kc.getCurrentContext()}" names no cluster.`);
    this.server = cluster.server.replace(/\/+$/, '');
    this.credentials = new Credentials(kc);
    const viaProxy = Boolean(cluster.proxyUrl);
    this.http2 = this.server.startsWith('https:') && !viaProxy ? new Http2Connection(new URL(this.server), health) : undefined;
  }

  /**
   * Takes the credentials of a kubeconfig read again for the same cluster (a rotated token or
   * certificate): streams already open go on, every later request (and reconnect) uses the new ones;
   * connections made with other TLS material are retired as they would be after a rotation.
   */
  useCredentialsOf(kc: KubeConfig): void {
    this.credentials = new Credentials(kc);
  }

  /** How many times the kubeconfig's exec credential plugin ran (0 without one). */
  get credentialPluginRuns(): number {
    return this.credentials.pluginRuns;
  }

  /** The protocol requests went over last: 'h2' once the server agreed to HTTP/2, else 'http/1.1'. */
  get protocol(): 'h2' | 'http/1.1' {
    return this.http2?.speaksHttp2 ? 'h2' : 'http/1.1';
  }

  /** Sends one request and parses the JSON answer; throws ApiError for any non-2xx status. */
  async request<T>(req: ApiRequest): Promise<T> {
    let answer = await this.exchangeAuthenticated(req);
    for (let attempt = 0; ; attempt++) {
      const wait = throttleDelayMs(answer.status, answer.retryAfter, attempt);
      if (wait === undefined) break;
      await pause(wait, req.signal);
      answer = await this.exchangeAuthenticated(req);
    }
    const { status, text } = answer;
    if (status === 403 && !req.refusalExpected) this.onForbidden?.(req.path);
    if (status < 200 || status >= 300) throw apiErrorFromResponse(status, text, `${req.method} ${req.path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a streaming GET and calls onChunk with each piece of text as it arrives; resolves when the
   * server ends the stream, rejects on errors. Used for watches and log follows; onOpen runs once
   * the server has accepted the request, before any data.
   */
  async stream(req: ApiRequest, onChunk: (text: string) => void, onOpen?: () => void): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.openStream(req, onChunk, onOpen);
      if (answer.status === 401 && attempt === 0) {
        this.credentials.invalidate();
        continue;
      }
      if (answer.status === 403 && !req.refusalExpected) this.onForbidden?.(req.path);
      if (answer.status >= 300) throw apiErrorFromResponse(answer.status, answer.text, `${req.method} ${req.path}`);
      return;
    }
  }

  /**
   * A WebSocket to a subresource (exec, port forward, a console) with this context's credentials;
   * a 401 is tried once more with credentials read again. Each socket is its own HTTP/1.1 connection.
   */
  async openWebSocket(target: Omit<WebSocketTarget, 'server'>): Promise<WebSocket> {
    for (let attempt = 0; ; attempt++) {
      const auth = await this.authOptions({ method: 'GET', path: target.path });
      try {
        return await openWebSocket({ ...target, server: this.server }, auth);
      } catch (error) {
        if (attempt > 0 || (error as ApiError).status !== 401) throw error;
        this.credentials.invalidate();
      }
    }
  }

  dispose(): void {
    this.http2?.close();
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  /** One exchange; a 401 is tried once more with credentials read (or the exec plugin run) again. */
  private async exchangeAuthenticated(req: ApiRequest): Promise<Http2Answer> {
    const answer = await this.exchange(req);
    if (answer.status !== 401) return answer;
    this.credentials.invalidate();
    return this.exchange(req);
  }

  /** One request and its answer, over HTTP/2 when the server speaks it. */
  private async exchange(req: ApiRequest): Promise<Http2Answer> {
    const auth = await this.authOptions(req);
    const prepared = this.prepare(req, auth);
    if (this.http2) {
      try {
        const answer = await this.http2.request({ method: req.method, path: prepared.url.pathname + prepared.url.search, headers: prepared.headers, payload: prepared.payload, signal: req.signal, timeoutMs: req.timeoutMs }, auth.tls, auth.tlsKey);
        if (answer) return answer;
      } catch (error) {
        throw apiErrorFromNetwork(error, this.server);
      }
    }
    const response = await this.open(req, auth, prepared);
    const text = await readAll(response);
    const retryAfter = response.headers['retry-after'];
    return { status: response.statusCode ?? 0, text, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
  }

  private async openStream(req: ApiRequest, onChunk: (text: string) => void, onOpen?: () => void): Promise<Http2Answer> {
    const auth = await this.authOptions(req);
    const prepared = this.prepare(req, auth);
    if (this.http2) {
      try {
        const answer = await this.http2.stream({ method: req.method, path: prepared.url.pathname + prepared.url.search, headers: prepared.headers, signal: req.signal }, auth.tls, auth.tlsKey, onChunk, onOpen);
        if (answer) return answer;
      } catch (error) {
        throw apiErrorFromNetwork(error, this.server);
      }
    }
    const response = await this.open(req, auth, prepared);
    if ((response.statusCode ?? 0) >= 300) return { status: response.statusCode ?? 0, text: await readAll(response) };
    onOpen?.();
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: string) => onChunk(chunk));
      response.on('end', () => resolve());
      response.on('error', (error) => (req.signal?.aborted ? resolve() : reject(apiErrorFromNetwork(error, this.server))));
      response.on('close', () => resolve());
    });
    return { status: response.statusCode ?? 0, text: '' };
  }

  private prepare(req: ApiRequest, auth: AuthOptions): { url: URL; payload: string | undefined; headers: Record<string, string> } {
    const url = new URL(this.server + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const payload = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = { ...auth.headers, accept: req.accept ?? 'application/json' };
    if (payload !== undefined) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return { url, payload, headers };
  }

  private open(req: ApiRequest, auth: AuthOptions, prepared: ReturnType<ApiTransport['prepare']>): Promise<http.IncomingMessage> {
    const { url, payload, headers } = prepared;
    const transport = url.protocol === 'http:' ? http : https;
    return new Promise((resolve, reject) => {
      const request = transport.request(url, { method: req.method, headers, agent: this.agentFor(auth), signal: req.signal }, resolve);
      if (req.timeoutMs) request.setTimeout(req.timeoutMs, () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      request.on('error', (error) => reject(apiErrorFromNetwork(error, this.server)));
      if (payload !== undefined) request.write(payload);
      request.end();
    });
  }

  private agentFor(auth: AuthOptions): http.Agent {
    if (auth.proxyAgent) return auth.proxyAgent;
    if (this.agent?.tlsKey !== auth.tlsKey) {
      // New TLS material (a rotated certificate): new connections. The old agent's sockets close as
      // their requests end (keepAlive off means a freed socket is destroyed, not pooled).
      if (this.agent) (this.agent.agent as http.Agent & { keepAlive: boolean }).keepAlive = false;
      const agent = this.server.startsWith('http:')
        ? new http.Agent({ keepAlive: true, maxSockets: this.maxSockets })
        : new https.Agent({ ...auth.tls, keepAlive: true, maxSockets: this.maxSockets });
      this.agent = { agent, tlsKey: auth.tlsKey };
    }
    return this.agent.agent;
  }

  /** Credentials for one request; failing to get them (a broken exec plugin) is this request's error. */
  private async authOptions(req: ApiRequest): Promise<AuthOptions> {
    try {
      return await this.credentials.current();
    } catch (error) {
      throw new ApiError(0, 'Unauthorized', `${req.method} ${req.path}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Waits out a throttled answer; a cancel while waiting is reported as one. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    throw apiErrorFromNetwork(error, '');
  }
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
