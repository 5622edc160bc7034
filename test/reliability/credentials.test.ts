// Credentials from a kubeconfig exec plugin, through the fault proxy (which records the client
// certificate each connection presents): fifty concurrent requests run the plugin once; a rotated
// certificate is presented by new connections; a plugin that prints a token on stderr fails with a
// message that does not carry it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiError } from '../../src/kube/apiError';
import { ApiTransport } from '../../src/kube/apiTransport';
import { adminKubeconfigPath } from '../support/testPlane';
import { recordFigure } from './figures';
import { startProxied, type Proxied } from './proxied';

const repoRoot = join(__dirname, '..', '..', '..');
const plugin = join(repoRoot, 'test', 'reliability', 'credentialPlugin.mjs');

/** A second client certificate for the plane's admin, signed by the plane's CA (openssl, argument arrays). */
function makeAdminCertificate(dir: string, name: string): void {
  const pki = join(dirname(adminKubeconfigPath()), 'pki');
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-subj', '/O=system:masters/CN=cmp-admin', '-out', csr], { stdio: 'ignore' });
  execFileSync('openssl', ['x509', '-req', '-in', csr, '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-CAcreateserial', '-CAserial', join(dir, 'ca.srl'), '-days', '1', '-out', join(dir, `${name}.crt`)], { stdio: 'ignore' });
}

function fingerprint(file: string): string {
  return new X509Certificate(readFileSync(file)).fingerprint256;
}

describe('reliability: exec credentials', function () {
  this.timeout(60_000);
  let proxied: Proxied;
  let dir: string;
  const transports: ApiTransport[] = [];

  /** A transport whose kubeconfig's user is the plugin, in the given mode, through the proxy. */
  function pluginTransport(mode: 'static' | 'rotate' | 'leak'): ApiTransport {
    const state = mkdtempSync(join(dir, `${mode}-`));
    for (const name of ['a', 'b']) for (const ext of ['crt', 'key']) writeFileSync(join(state, `${name}.${ext}`), readFileSync(join(dir, `${name}.${ext}`)));
    writeFileSync(join(state, 'runs'), '');
    const proxiedConfig = proxied.kubeConfig('admin');
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: proxiedConfig.getClusters(),
      users: [{ name: 'plugin', exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], env: [{ name: 'CMP_PLUGIN_STATE', value: state }, { name: 'CMP_PLUGIN_MODE', value: mode }] } } as never],
      contexts: [{ name: 'plugin', cluster: proxiedConfig.getClusters()[0]?.name ?? '', user: 'plugin' }],
      currentContext: 'plugin',
    });
    const transport = new ApiTransport(kc);
    transports.push(transport);
    Object.assign(transport, { pluginState: state });
    return transport;
  }
  const runsOf = (transport: ApiTransport) => readFileSync(join((transport as unknown as { pluginState: string }).pluginState, 'runs'), 'utf8').trim().split('\n').filter(Boolean).length;

  before(async () => {
    proxied = await startProxied();
    dir = mkdtempSync(join(tmpdir(), 'cmp-plugin-'));
    makeAdminCertificate(dir, 'a');
    makeAdminCertificate(dir, 'b');
  });
  after(async () => {
    for (const transport of transports) transport.dispose();
    await proxied.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fifty concurrent requests run the plugin once', async () => {
    const transport = pluginTransport('static');
    const answers = await Promise.all(Array.from({ length: 50 }, () => transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version' })));
    assert.equal(answers.length, 50);
    const runs = runsOf(transport);
    recordFigure({ measure: 'exec credential plugin runs for 50 concurrent requests', value: String(runs), goal: '1', met: runs === 1 });
    assert.equal(runs, 1);
    assert.equal(transport.credentialPluginRuns, 1);
    // Without an expirationTimestamp it stays valid until the server refuses it.
    await transport.request({ method: 'GET', path: '/version' });
    assert.equal(runsOf(transport), 1);
  });

  it('a rotated client certificate is presented by new connections', async () => {
    const transport = pluginTransport('rotate');
    const a = fingerprint(join(dir, 'a.crt'));
    const b = fingerprint(join(dir, 'b.crt'));
    const since = proxied.proxy.requests.length;
    await transport.request({ method: 'GET', path: '/api' });
    // Valid for one second past the renewal margin: the next request after that runs the plugin again.
    await new Promise((done) => setTimeout(done, 1500));
    await transport.request({ method: 'GET', path: '/apis' });
    const seen = proxied.proxy.requests.slice(since);
    assert.deepEqual(seen.map((r) => [r.path, r.certificate]), [['/api', a], ['/apis', b]]);
    assert.notEqual(seen[0]?.connection, seen[1]?.connection, 'the new certificate came on a new connection');
    assert.equal(runsOf(transport), 2);
    recordFigure({ measure: 'client certificate rotated by the exec plugin: next request presents the new one', value: 'yes, on a new connection', goal: 'yes', met: true });
  });

  it('a plugin that fails with a token on stderr: the error names the plugin, never the token', async () => {
    const transport = pluginTransport('leak');
    let error: unknown;
    try {
      await transport.request({ method: 'GET', path: '/version' });
    } catch (caught) {
      error = caught;
    }
    assert.ok(error instanceof ApiError, String(error));
    assert.match(error.message, /credential plugin "node" exited with code 3/);
    assert.doesNotMatch(error.message, /SECRET/);
    recordFigure({ measure: 'exec plugin printing a token on stderr: token in the error shown', value: 'no', goal: 'no', met: !/SECRET/.test(error.message) });
  });

  it('a kubeconfig read again with other credentials (what a reloaded Logs pane hands over): later requests use them', async () => {
    const transport = new ApiTransport(proxied.kubeConfig('admin'));
    transports.push(transport);
    const since = proxied.proxy.requests.length;
    await transport.request({ method: 'GET', path: '/api' });
    transport.useCredentialsOf(proxied.kubeConfig('tenant'));
    await transport.request({ method: 'GET', path: '/apis' });
    const seen = proxied.proxy.requests.slice(since);
    assert.deepEqual(seen.map((r) => r.path), ['/api', '/apis']);
    assert.doesNotMatch(seen[0]?.user ?? '', /tenant/);
    assert.match(seen[1]?.user ?? '', /tenant/, 'the second request presented the tenant\'s certificate');
    assert.notEqual(seen[0]?.connection, seen[1]?.connection, 'the new certificate came on a new connection');
  });
});
