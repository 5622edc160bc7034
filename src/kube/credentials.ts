// The credentials of one kubeconfig context, as each request needs them: TLS material (CA, client
// certificate and key) and headers (bearer token, basic auth). client-node reads the kubeconfig;
// an exec plugin is run here instead (execCredential.ts): once however many requests ask at the
// same moment, its answer kept until its expirationTimestamp, or without one until the server
// refuses it (invalidate() after a 401). Files the kubeconfig names are read again every 10 s, so
// rotated certificates and token files are picked up; tlsKey changes when the TLS material does.

import { createHash } from 'node:crypto';
import type * as http from 'node:http';
import type * as https from 'node:https';
import type { KubeConfig, User } from '@kubernetes/client-node';
import { clientLibrary } from './clientLibrary';
import { runExecPlugin, type ExecConfig, type ExecCredential } from './execCredential';

export interface AuthOptions {
  headers: Record<string, string>;
  tls: https.AgentOptions;
  proxyAgent?: http.Agent;
  /** Changes whenever the TLS material does: connections made with other material are retired. */
  tlsKey: string;
}

/** How long the kubeconfig's own files are trusted before they are read again. */
const fileRefreshMs = 10_000;
/** An exec credential is renewed this long before it expires. */
const expirySkewMs = 30_000;

export class Credentials {
  private fromFiles: { at: number; value: Promise<AuthOptions> } | undefined;
  private fromExec: { value: Promise<ExecCredential> } | undefined;
  private execRuns = 0;

  constructor(private readonly kc: KubeConfig, private readonly runPlugin: (exec: ExecConfig) => Promise<ExecCredential> = runExecPlugin) {}

  /** How many times the exec plugin has been run (for tests and the log). */
  get pluginRuns(): number {
    return this.execRuns;
  }

  async current(): Promise<AuthOptions> {
    const [base, exec] = await Promise.all([this.baseOptions(), this.execCredential()]);
    if (!exec) return base;
    const tls = { ...base.tls };
    if (exec.clientCertificateData) tls.cert = exec.clientCertificateData;
    if (exec.clientKeyData) tls.key = exec.clientKeyData;
    const headers = { ...base.headers };
    if (exec.token) headers.authorization = `Bearer ${exec.token}`;
    return { ...base, headers, tls, tlsKey: tlsKeyOf(tls) };
  }

  /** After a 401: everything is read (and the plugin run) again on the next request. */
  invalidate(): void {
    this.fromFiles = undefined;
    this.fromExec = undefined;
  }

  private baseOptions(): Promise<AuthOptions> {
    if (this.fromFiles && Date.now() - this.fromFiles.at < fileRefreshMs) return this.fromFiles.value;
    const previous = this.fromFiles;
    const value = readBaseOptions(withoutExec(this.kc), previous && previous.value);
    this.fromFiles = { at: Date.now(), value };
    // A failed read is not kept: the next request tries again.
    value.catch(() => {
      if (this.fromFiles?.value === value) this.fromFiles = undefined;
    });
    return value;
  }

  private execCredential(): Promise<ExecCredential | undefined> {
    const exec = execOf(this.kc.getCurrentUser());
    if (!exec) return Promise.resolve(undefined);
    const cached = this.fromExec;
    if (cached) {
      return cached.value.then((credential) => {
        if (credential.expiresAt === undefined || credential.expiresAt - expirySkewMs > Date.now()) return credential;
        if (this.fromExec === cached) this.fromExec = undefined;
        return this.execCredential() as Promise<ExecCredential>;
      });
    }
    this.execRuns += 1;
    const value = this.runPlugin(exec);
    const entry = { value };
    this.fromExec = entry;
    value.catch(() => {
      if (this.fromExec === entry) this.fromExec = undefined;
    });
    return value;
  }
}

function execOf(user: User | null | undefined): ExecConfig | undefined {
  const exec = (user as { exec?: ExecConfig } | null | undefined)?.exec;
  return exec && typeof exec.command === 'string' ? exec : undefined;
}

/** A copy of the kubeconfig whose user has no exec entry: client-node then reads only its files and fields. */
function withoutExec(kc: KubeConfig): KubeConfig {
  const user = kc.getCurrentUser();
  if (!execOf(user)) return kc;
  const copy = new (clientLibrary().KubeConfig)();
  copy.loadFromOptions({
    clusters: kc.getClusters(),
    users: kc.getUsers().map((u) => (u.name === user?.name ? { ...u, exec: undefined } : u)),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return copy;
}

async function readBaseOptions(kc: KubeConfig, previous: Promise<AuthOptions> | undefined): Promise<AuthOptions> {
  const opts: https.RequestOptions = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts.headers ?? {})) if (value !== undefined) headers[key.toLowerCase()] = String(value);
  if (opts.auth) headers.authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  const tls: https.AgentOptions = { ca: opts.ca, cert: opts.cert, key: opts.key, pfx: opts.pfx, passphrase: opts.passphrase, servername: opts.servername };
  if (opts.rejectUnauthorized !== undefined) tls.rejectUnauthorized = opts.rejectUnauthorized;
  const tlsKey = tlsKeyOf(tls);
  const usesProxy = Boolean(kc.getCurrentCluster()?.proxyUrl);
  // The proxy agent client-node makes is kept across refreshes while the TLS material is the same:
  // a new one would open new connections.
  const before = await previous?.catch(() => undefined);
  const proxyAgent = usesProxy ? (before?.tlsKey === tlsKey ? before.proxyAgent : undefined) ?? (opts.agent as http.Agent) : undefined;
  return { headers, tls, proxyAgent, tlsKey };
}

function tlsKeyOf(tls: https.AgentOptions): string {
  const hash = createHash('sha256');
  for (const part of [tls.ca, tls.cert, tls.key, tls.pfx, tls.servername, String(tls.rejectUnauthorized)]) {
    for (const piece of [part].flat()) hash.update(piece === undefined ? '\0' : typeof piece === 'string' || Buffer.isBuffer(piece) ? piece : JSON.stringify(piece)).update('\x01');
  }
  return hash.digest('hex').slice(0, 16);
}
