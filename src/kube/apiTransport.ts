// HTTP access to one Kubernetes API server for one kubeconfig context. Credentials come from
// @kubernetes/client-node (certificates, tokens, exec plugins, proxy-url). Requests share one
// HTTP/2 connection, as kubectl's do, so a burst of writes pays one TLS handshake; long-lived
// streams (watches, log follows) each keep an HTTP/1.1 connection from a keep-alive pool, which
// also serves every request when the server or a proxy-url does not speak HTTP/2.

import * as http from 'node:http';
import * as https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { apiErrorFromNetwork, apiErrorFromResponse } from './apiError';
import { Http2Connection, type Http2Answer } from './http2Connection';
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
  /** For requests that must answer quickly; streams have none. */
  timeoutMs?: number;
}

interface AuthOptions {
  headers: Record<string, string>;
  tls: https.AgentOptions;
  proxyAgent?: http.Agent;
}

const authCacheMs = 10_000;

/**
 * HTTP/1.1 connections for one context: enough for the open streams plus the write bound, but
 * capped, since on an HTTP/1.1-only server each extra connection costs a TLS handshake.
 */
export function http1PoolSize(writeConcurrency: number): number {
  return Math.min(64, Math.max(8, writeConcurrency * 2));
}

export class ApiTransport {
  readonly server: string;
  private agent: http.Agent | undefined;
  private auth: { options: AuthOptions; at: number } | undefined;
  private readonly http2: Http2Connection | undefined;

  constructor(private readonly kc: KubeConfig, private readonly maxSockets = 32) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`Context "${kc.getCurrentContext()}" names no cluster.`);
    this.server = cluster.server.replace(/\/+$/, '');
    const viaProxy = Boolean(cluster.proxyUrl);
    this.http2 = this.server.startsWith('https:') && !viaProxy ? new Http2Connection(new URL(this.server)) : undefined;
  }

  /** The protocol requests went over last: 'h2' once the server agreed to HTTP/2, else 'http/1.1'. */
  get protocol(): 'h2' | 'http/1.1' {
    return this.http2?.speaksHttp2 ? 'h2' : 'http/1.1';
  }

  /** Sends one request and parses the JSON answer; throws ApiError for any non-2xx status. */
  async request<T>(req: ApiRequest): Promise<T> {
    let answer = await this.exchange(req);
    for (let attempt = 0; ; attempt++) {
      const wait = throttleDelayMs(answer.status, answer.retryAfter, attempt);
      if (wait === undefined) break;
      await pause(wait, req.signal);
      answer = await this.exchange(req);
    }
    const { status, text } = answer;
    if (status < 200 || status >= 300) throw apiErrorFromResponse(status, text, `${req.method} ${req.path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /**
   * Opens a streaming GET and calls onChunk with each piece of text as it arrives; resolves when the
   * server ends the stream, rejects on errors. Used for watches and log follows; onOpen runs once
   * the server has accepted the request, before any data.
   */
  async stream(req: ApiRequest, onChunk: (text: string) => void, onOpen?: () => void): Promise<void> {
    const response = await this.open(req);
    if ((response.statusCode ?? 0) >= 300) {
      const text = await readAll(response);
      throw apiErrorFromResponse(response.statusCode ?? 0, text, `${req.method} ${req.path}`);
    }
    onOpen?.();
    response.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      response.on('data', (chunk: string) => onChunk(chunk));
      response.on('end', () => resolve());
      response.on('error', (error) => (req.signal?.aborted ? resolve() : reject(apiErrorFromNetwork(error, this.server))));
      response.on('close', () => resolve());
    });
  }

  dispose(): void {
    this.http2?.close();
    this.agent?.destroy();
    this.agent = undefined;
  }

  /** One request and its answer, over HTTP/2 when the server speaks it. */
  private async exchange(req: ApiRequest): Promise<Http2Answer> {
    return (await this.sendHttp2(req)) ?? (await this.send(req));
  }

  private async sendHttp2(req: ApiRequest): Promise<Http2Answer | undefined> {
    if (!this.http2) return undefined;
    const auth = await this.authOptions();
    const { url, payload, headers } = this.prepare(req, auth);
    try {
      return await this.http2.request({ method: req.method, path: url.pathname + url.search, headers: lowerCaseKeys(headers), payload, signal: req.signal, timeoutMs: req.timeoutMs }, auth.tls);
    } catch (error) {
      throw apiErrorFromNetwork(error, this.server);
    }
  }

  private async send(req: ApiRequest): Promise<Http2Answer> {
    const response = await this.open(req);
    const text = await readAll(response);
    const retryAfter = response.headers['retry-after'];
    return { status: response.statusCode ?? 0, text, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined };
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

  private async open(req: ApiRequest): Promise<http.IncomingMessage> {
    const auth = await this.authOptions();
    const { url, payload, headers } = this.prepare(req, auth);
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
    this.agent ??= this.server.startsWith('http:')
      ? new http.Agent({ keepAlive: true, maxSockets: this.maxSockets })
      : new https.Agent({ ...auth.tls, keepAlive: true, maxSockets: this.maxSockets });
    return this.agent;
  }

  /** Headers and TLS material from the kubeconfig; refreshed now and then so exec tokens rotate. */
  private async authOptions(): Promise<AuthOptions> {
    if (this.auth && Date.now() - this.auth.at < authCacheMs) return this.auth.options;
    const opts: https.RequestOptions = { headers: {} };
    await this.kc.applyToHTTPSOptions(opts);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(opts.headers ?? {})) if (value !== undefined) headers[key] = String(value);
    if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const tls: https.AgentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, servername: opts.servername };
    if (opts.rejectUnauthorized !== undefined) tls.rejectUnauthorized = opts.rejectUnauthorized;
    const usesProxy = Boolean(this.kc.getCurrentCluster()?.proxyUrl);
    const options: AuthOptions = { headers, tls, proxyAgent: usesProxy ? (this.auth?.options.proxyAgent ?? (opts.agent as http.Agent)) : undefined };
    this.auth = { options, at: Date.now() };
    return options;
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

/** HTTP/2 header names are lower case; kubeconfig plugins may hand us "Authorization". */
function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

function readAll(response: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
  });
}
