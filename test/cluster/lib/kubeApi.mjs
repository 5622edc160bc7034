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
 * @typedef {{ context: string, cluster: string, server: string, pki: string, user: string, userName: string, namespace?: string }} KubeconfigEntry
 * One context of a kubeconfig: its cluster (server and CA from `pki`), its user (certificate `user`
 * in `pki`, named `userName`) and an optional namespace.
 */

/**
 * A kubeconfig for one user of the local plane, with certificates embedded.
 * @param {{ server: string, user: string, userName: string, context: string, namespace?: string }} options
 */
export function kubeconfigFor({ server, user, userName, context, namespace }) {
  return kubeconfigWith([{ context, cluster: 'cmp-dev', server, pki: state.pki, user, userName, namespace }], context);
}

/**
 * A kubeconfig of several contexts (several planes), certificates embedded, `current` selected.
 * @param {KubeconfigEntry[]} entries @param {string} current
 */
export function kubeconfigWith(entries, current) {
  const b64 = (/** @type {string} */ pki, /** @type {string} */ file) => readFileSync(join(pki, file)).toString('base64');
  const byName = (/** @type {'cluster' | 'userName'} */ key) => [...new Map(entries.map((e) => [e[key], e])).values()];
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...byName('cluster').flatMap((e) => [`- name: ${e.cluster}`, '  cluster:', `    server: ${e.server}`, `    certificate-authority-data: ${b64(e.pki, 'ca.crt')}`]),
    'users:',
    ...byName('userName').flatMap((e) => [`- name: ${e.userName}`, '  user:', `    client-certificate-data: ${b64(e.pki, `${e.user}.crt`)}`, `    client-key-data: ${b64(e.pki, `${e.user}.key`)}`]),
    'contexts:',
    ...entries.flatMap((e) => [`- name: ${e.context}`, '  context:', `    cluster: ${e.cluster}`, `    user: ${e.userName}`, ...(e.namespace ? [`    namespace: ${e.namespace}`] : [])]),
    `current-context: ${current}`,
    '',
  ].join('\n');
}
