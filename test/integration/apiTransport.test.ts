// ApiTransport's protocols against the local plane: requests share one HTTP/2 connection, errors keep
// their Kubernetes meaning over it, an idle connection closes and the next request opens a new one,
// and a front that speaks only HTTP/1.1 (as some proxies and load balancers do) is served by HTTP/1.1.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { resources, type KubeObject } from '../../src/core/kubeTypes';
import { ApiError } from '../../src/kube/apiError';
import { ApiTransport } from '../../src/kube/apiTransport';
import { defaultHealth, Http2Connection } from '../../src/kube/http2Connection';
import { KubeClient } from '../../src/kube/kubeClient';
import { adminKubeConfig, adminKubeconfigPath, uniqueName } from '../support/testPlane';
import { rejection } from './fixtures';

interface NamespaceList {
  items: KubeObject[];
}

/** TLS material of the admin context, as ApiTransport reads it. */
async function adminTls(): Promise<https.RequestOptions> {
  const opts: https.RequestOptions = { headers: {} };
  await adminKubeConfig().applyToHTTPSOptions(opts);
  return opts;
}

/**
 * An HTTPS front on a free port that offers only HTTP/1.1 and forwards each request to the plane as
 * admin, as a proxy or load balancer would; it answers the first `throttle` requests with 429 and
 * Retry-After: 0, as a rate limit in front of the server does.
 */
async function http1Front(throttle = 0): Promise<{ server: https.Server; url: string; seen: () => number }> {
  let seen = 0;
  const pki = join(dirname(adminKubeconfigPath()), 'pki');
  const upstream = new URL(adminKubeConfig().getCurrentCluster()?.server ?? '');
  const tls = await adminTls();
  const agent = new https.Agent({ ca: tls.ca, cert: tls.cert, key: tls.key, keepAlive: true });
  const server = https.createServer({ cert: readFileSync(join(pki, 'apiserver.crt')), key: readFileSync(join(pki, 'apiserver.key')) }, (req, res) => {
    seen += 1;
    if (seen <= throttle) {
      res.writeHead(429, { 'retry-after': '0', 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', message: 'Too many requests, please try again later.', code: 429 }));
      return;
    }
    const forward = https.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen };
}

/** The admin kubeconfig pointed at another server address. */
function adminAt(server: string): KubeConfig {
  const admin = adminKubeConfig();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: admin.getClusters().map((c) => ({ ...c, server })),
    users: admin.getUsers(),
    contexts: admin.getContexts(),
    currentContext: admin.getCurrentContext(),
  });
  return kc;
}

describe('ApiTransport protocols', () => {
  it('sends concurrent requests over one HTTP/2 connection to the API server', async () => {
    const transport = new ApiTransport(adminKubeConfig());
    try {
      assert.equal(transport.protocol, 'http/1.1', 'no connection before the first request');
      const lists = await Promise.all(Array.from({ length: 50 }, () => transport.request<NamespaceList>({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 1 } })));
      assert.equal(transport.protocol, 'h2');
      assert.ok(lists.every((l) => l.items.length === 1), 'every answer parsed');
    } finally {
      transport.dispose();
    }
  });

  it('keeps Kubernetes errors and write semantics over HTTP/2', async () => {
    const client = new KubeClient(new ApiTransport(adminKubeConfig()));
    try {
      const missing = await rejection(client.get(resources.namespaces, undefined, uniqueName('absent')), ApiError);
      assert.ok(missing.isNotFound, missing.message);
      const name = uniqueName('h2-dry');
      const dry = await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'managed-by': 'cmp' } } }, { dryRun: true });
      assert.equal(dry.metadata.name, name);
      const stillMissing = await rejection(client.get(resources.namespaces, undefined, name), ApiError);
      assert.ok(stillMissing.isNotFound, 'a dry run wrote nothing');
      const invalid = await rejection(client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Not_A_Name' } }), ApiError);
      assert.equal(invalid.status, 422, invalid.message);
      assert.equal(client.transport.protocol, 'h2');
    } finally {
      client.transport.dispose();
    }
  });

  it('closes an idle HTTP/2 connection and opens a new one for the next request', async () => {
    const server = new URL(adminKubeConfig().getCurrentCluster()?.server ?? '');
    const tls = await adminTls();
    const connection = new Http2Connection(server, { ...defaultHealth, idleMs: 100 });
    const call = { method: 'GET', path: '/version', headers: {} };
    try {
      const first = await connection.request(call, { ca: tls.ca, cert: tls.cert, key: tls.key }, 'admin');
      assert.equal(first?.status, 200);
      assert.ok(connection.speaksHttp2);
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(connection.speaksHttp2, false, 'the idle connection was closed');
      const second = await connection.request(call, { ca: tls.ca, cert: tls.cert, key: tls.key }, 'admin');
      assert.equal(second?.status, 200);
      assert.match(second?.text ?? '', /"gitVersion"/);
    } finally {
      connection.close();
    }
  });

  it('falls back to HTTP/1.1 when the server does not offer HTTP/2', async () => {
    const front = await http1Front();
    const transport = new ApiTransport(adminAt(front.url));
    try {
      const lists = await Promise.all(Array.from({ length: 10 }, () => transport.request<NamespaceList>({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 1 } })));
      assert.ok(lists.every((l) => l.items.length === 1));
      assert.equal(transport.protocol, 'http/1.1');
      const missing = await rejection(new KubeClient(transport).get(resources.namespaces, undefined, uniqueName('absent')), ApiError);
      assert.ok(missing.isNotFound, missing.message);
    } finally {
      transport.dispose();
      front.server.closeAllConnections();
      front.server.close();
    }
  });

  it('sends a throttled request again after Retry-After, and reports 429 once the retries run out', async () => {
    const front = await http1Front(3);
    const tooBusy = await http1Front(100);
    const client = new KubeClient(new ApiTransport(adminAt(front.url)));
    const busyClient = new KubeClient(new ApiTransport(adminAt(tooBusy.url)));
    try {
      const ns = await client.get(resources.namespaces, undefined, 'default');
      assert.equal(ns.metadata.name, 'default');
      assert.equal(front.seen(), 4, 'three throttled answers, then the real one');
      const refused = await rejection(busyClient.get(resources.namespaces, undefined, 'default'), ApiError);
      assert.equal(refused.status, 429);
      assert.match(refused.message, /too many requests/i);
      assert.equal(tooBusy.seen(), 6, 'the first try and five retries');
    } finally {
      for (const c of [client, busyClient]) c.transport.dispose();
      for (const f of [front, tooBusy]) {
        f.server.closeAllConnections();
        f.server.close();
      }
    }
  });
});
