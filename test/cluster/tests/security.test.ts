// Security of the local plane: TLS with a CA made when the plane started (the kubeconfig's CA verifies
// the server, which reports v1.37.2), and RBAC: anonymous requests and the tenant are refused.
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { RequestOptions } from 'node:https';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import { CoreV1Api, RbacAuthorizationV1Api, VersionApi } from '@kubernetes/client-node';
import { adminKubeConfig, tenantKubeConfig } from '../../support/testPlane';
import { field, planeStateDir, refusal } from './fixtures';

interface HttpsAnswer {
  status: number;
  body: string;
  peer: X509Certificate;
}

/** One GET against the apiserver with exactly the TLS options given (no client defaults). */
function get(path: string, options: RequestOptions): Promise<HttpsAnswer> {
  const server = adminKubeConfig().getCurrentCluster()?.server ?? '';
  return new Promise((done, fail) => {
    const req = request(`${server}${path}`, { ...options, agent: false, timeout: 10_000 }, (res) => {
      if (!(res.socket instanceof TLSSocket)) return fail(new Error('the apiserver answered without TLS'));
      const peer = new X509Certificate(res.socket.getPeerCertificate().raw);
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, peer }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', fail);
    req.end();
  });
}

function kubeconfigCa(): X509Certificate {
  const caData = adminKubeConfig().getCurrentCluster()?.caData;
  assert.ok(caData, 'the admin kubeconfig embeds the CA');
  return new X509Certificate(Buffer.from(caData, 'base64'));
}

async function adminTls(): Promise<RequestOptions> {
  const options: RequestOptions = {};
  await adminKubeConfig().applyToHTTPSOptions(options);
  return options;
}

describe('plane security', () => {
  it('serves TLS whose certificate the kubeconfig CA verifies, and reports v1.37.2', async () => {
    const ca = kubeconfigCa();
    const answer = await get('/version', { ...(await adminTls()), ca: ca.toString(), rejectUnauthorized: true });
    assert.equal(answer.status, 200);
    assert.ok(answer.peer.checkIssued(ca), `serving certificate ${answer.peer.subject} is issued by the kubeconfig CA`);
    assert.ok(answer.peer.verify(ca.publicKey), 'the CA signature on the serving certificate verifies');
    assert.ok(answer.peer.checkIP('127.0.0.1'), 'the serving certificate names 127.0.0.1');
    assert.equal(field(JSON.parse(answer.body), 'gitVersion'), 'v1.37.2');

    const version = await adminKubeConfig().makeApiClient(VersionApi).getCode();
    assert.equal(version.gitVersion, 'v1.37.2');
  });

  it('uses a CA made when this plane started, not one trusted by the system', async () => {
    const ca = kubeconfigCa();
    assert.ok(ca.ca, 'the kubeconfig CA is a CA certificate');
    assert.equal(ca.toString(), new X509Certificate(readFileSync(join(planeStateDir(), 'pki', 'ca.crt'))).toString());
    const plane: unknown = JSON.parse(readFileSync(join(planeStateDir(), 'plane.json'), 'utf8'));
    const startedAt = Date.parse(String(field(plane, 'startedAt')));
    const validFrom = Date.parse(ca.validFrom);
    // Certificates are backdated one hour against clock skew; made at start means within that window.
    assert.ok(validFrom <= startedAt + 60_000 && validFrom >= startedAt - 2 * 3600_000,
      `CA valid from ${ca.validFrom}, plane started ${new Date(startedAt).toISOString()}`);

    const withoutCa = await adminTls();
    delete withoutCa.ca;
    const refused = await get('/version', { ...withoutCa, rejectUnauthorized: true }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof Error, 'a client trusting only the system CAs refuses the server');
    assert.match(String(field(refused, 'code')), /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
  });

  it('refuses a request without a client certificate', async () => {
    const answer = await get('/api/v1/namespaces', { ca: kubeconfigCa().toString(), rejectUnauthorized: true });
    assert.ok([401, 403].includes(answer.status), `anonymous list of namespaces answered ${answer.status}: ${answer.body.slice(0, 200)}`);
    if (answer.status === 403) assert.match(answer.body, /system:anonymous/);
  });

  it('authorizes with RBAC: the admin may read nodes, the tenant may not touch cluster-wide resources', async () => {
    const nodes = await adminKubeConfig().makeApiClient(CoreV1Api).listNode();
    assert.ok(nodes.items.length >= 1, 'the admin lists the fake nodes');

    const tenant = tenantKubeConfig();
    const nodesRefused = await refusal(tenant.makeApiClient(CoreV1Api).listNode());
    assert.equal(nodesRefused.code, 403);
    assert.match(nodesRefused.message, /User "tenant" cannot list resource "nodes"/);

    const rolesRefused = await refusal(tenant.makeApiClient(RbacAuthorizationV1Api).listClusterRole());
    assert.equal(rolesRefused.code, 403);
    assert.equal(rolesRefused.reason, 'Forbidden');

    const secretsRefused = await refusal(tenant.makeApiClient(CoreV1Api).listNamespacedSecret({ namespace: 'kube-system' }));
    assert.equal(secretsRefused.code, 403);
  });
});
