// @ts-check
// A minimal HTTPS client for the harness's own bootstrap calls (client certificate auth), so the
// plane can be brought up before any npm package is built.
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { state } from './paths.mjs';

/** @typedef {{ status: number, body: any, text: string }} ApiResponse */

/**
 * @param {string} server e.g. https://127.0.0.1:6443
 * @param {string} user file stem in .cmp-dev/pki (admin, tenant)
 */
export function apiClient(server, user = 'admin') {
  const ca = readFileSync(join(state.pki, 'ca.crt'));
  const cert = readFileSync(join(state.pki, `${user}.crt`));
  const key = readFileSync(join(state.pki, `${user}.key`));
  /**
   * @param {string} method @param {string} path @param {unknown} [body]
   * @param {string} [contentType]
   * @returns {Promise<ApiResponse>}
   */
  function call(method, path, body, contentType = 'application/json') {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(`${server}${path}`, {
        method,
        ca,
        cert,
        key,
        timeout: 10_000,
        headers: payload === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => {
          let parsed;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = null;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }
  return {
    call,
    /** Creates an object, treating "already exists" as success. @param {string} path @param {unknown} body */
    async ensure(path, body) {
      const res = await call('POST', path, body);
      if (res.status >= 300 && res.status !== 409) throw new Error(`POST ${path}: ${res.status} ${res.body?.message ?? res.text.slice(0, 200)}`);
      return res;
    },
  };
}

/**
 * A kubeconfig for one user of the local plane, with certificates embedded.
 * @param {{ server: string, user: string, userName: string, context: string, namespace?: string }} options
 */
export function kubeconfigFor({ server, user, userName, context, namespace }) {
  const b64 = (/** @type {string} */ file) => readFileSync(join(state.pki, file)).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: cmp-dev',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64('ca.crt')}`,
    'users:',
    `- name: ${userName}`,
    '  user:',
    `    client-certificate-data: ${b64(`${user}.crt`)}`,
    `    client-key-data: ${b64(`${user}.key`)}`,
    'contexts:',
    `- name: ${context}`,
    '  context:',
    '    cluster: cmp-dev',
    `    user: ${userName}`,
    ...(namespace ? [`    namespace: ${namespace}`] : []),
    `current-context: ${context}`,
    '',
  ].join('\n');
}
