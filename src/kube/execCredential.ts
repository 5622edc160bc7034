// Runs a kubeconfig `exec` credential plugin (client.authentication.k8s.io ExecCredential) the way
// kubectl does: the command with its arguments (never through a shell), its env entries added,
// KUBERNETES_EXEC_INFO set, stdout parsed. Its stderr is never quoted: plugins print tokens there.

import { spawn } from 'node:child_process';
import { basename } from 'node:path';

export interface ExecConfig {
  command: string;
  args?: string[];
  env?: { name: string; value: string }[];
  apiVersion?: string;
}

export interface ExecCredential {
  token?: string;
  clientCertificateData?: string;
  clientKeyData?: string;
  /** Milliseconds since the epoch; undefined when the plugin gave none (valid until refused). */
  expiresAt?: number;
}

const maxOutput = 1 << 20;

export class ExecCredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExecCredentialError';
  }
}

export function runExecPlugin(exec: ExecConfig, timeoutMs = 60_000): Promise<ExecCredential> {
  const name = basename(exec.command);
  const apiVersion = exec.apiVersion ?? 'client.authentication.k8s.io/v1';
  const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) };
  for (const entry of exec.env ?? []) env[entry.name] = entry.value;
  return new Promise((resolve, reject) => {
    const child = spawn(exec.command, exec.args ?? [], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < maxOutput) stdout += chunk;
    });
    // Read and dropped: what a plugin says on stderr may hold a secret, so it is not kept at all.
    child.stderr.resume();
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ExecCredentialError(`The kubeconfig's credential plugin "${name}" could not be started: ${(error as NodeJS.ErrnoException).code ?? error.message}. Is it installed and on PATH?`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const how = signal ? `was stopped (${signal}${signal === 'SIGKILL' ? `, no answer within ${timeoutMs / 1000} s` : ''})` : `exited with code ${code}`;
        reject(new ExecCredentialError(`The kubeconfig's credential plugin "${name}" ${how}. Run it in a terminal to see why (its error output is not shown here: it may hold credentials).`));
        return;
      }
      try {
        resolve(parseExecCredential(stdout));
      } catch (error) {
        reject(new ExecCredentialError(`The kubeconfig's credential plugin "${name}" printed no ExecCredential: ${error instanceof Error ? error.message : String(error)}.`));
      }
    });
  });
}

/** The status of an ExecCredential as printed on stdout. */
export function parseExecCredential(text: string): ExecCredential {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('its output is not JSON');
  }
  const status = (parsed as { status?: Record<string, unknown> } | null)?.status;
  if (typeof status !== 'object' || status === null) throw new Error('its output has no status');
  const str = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const credential: ExecCredential = { token: str(status.token), clientCertificateData: str(status.clientCertificateData), clientKeyData: str(status.clientKeyData) };
  if (!credential.token && !(credential.clientCertificateData && credential.clientKeyData)) throw new Error('its status has neither a token nor a client certificate and key');
  const expiry = str(status.expirationTimestamp);
  if (expiry !== undefined) {
    const at = Date.parse(expiry);
    if (Number.isNaN(at)) throw new Error(`its expirationTimestamp ${JSON.stringify(expiry.slice(0, 40))} is not a time`);
    credential.expiresAt = at;
  }
  return credential;
}
