// kubeconfigLoader with real files: KUBECONFIG lists merged first-wins like kubectl, missing and broken
// files reported plainly, forContext copies; and the merged result talking to the local plane.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { resources } from '../../src/core/kubeTypes';
import { ApiError } from '../../src/kube/apiError';
import { ApiTransport } from '../../src/kube/apiTransport';
import { KubeClient } from '../../src/kube/kubeClient';
import { contextNamespace, contextProblem, forContext, KubeconfigError, loadKubeconfig, locateKubeconfig } from '../../src/kube/kubeconfigLoader';
import { adminKubeconfigPath, tenantKubeconfigPath } from '../support/testPlane';
import { rejection } from './fixtures';

interface Entry {
  name: string;
  [key: string]: unknown;
}

function kubeconfigText(options: { clusters: Entry[]; users: Entry[]; contexts: Entry[]; current?: string }): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'Config', clusters: options.clusters, users: options.users, contexts: options.contexts, 'current-context': options.current ?? '' });
}

const cluster = (name: string, server: string, extra: Record<string, string> = {}): Entry => ({ name, cluster: { server, ...extra } });
const user = (name: string): Entry => ({ name, user: { token: `token-of-${name}` } });
const context = (name: string, clusterName: string, userName: string, namespace?: string): Entry => ({ name, context: { cluster: clusterName, user: userName, ...(namespace ? { namespace } : {}) } });

describe('kubeconfig loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-kubeconfig-'));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const a = file('a.yaml', kubeconfigText({
    clusters: [cluster('shared', 'https://a.example:6443'), cluster('only-a', 'https://only-a.example:6443')],
    users: [user('ua')],
    contexts: [context('ctx-a', 'only-a', 'ua'), context('shared-ctx', 'shared', 'ua', 'from-a')],
    current: 'ctx-a',
  }));
  const b = file('b.yaml', kubeconfigText({
    clusters: [cluster('shared', 'https://b.example:6443'), cluster('only-b', 'https://only-b.example:6443')],
    users: [user('ub')],
    contexts: [context('ctx-b', 'only-b', 'ub'), context('shared-ctx', 'shared', 'ub', 'from-b')],
    current: 'ctx-b',
  }));
  const missing = join(dir, 'missing.yaml');

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('merges every file in KUBECONFIG, the first file winning each name and the current context', () => {
    const location = locateKubeconfig(undefined, { KUBECONFIG: [a, b, a].join(delimiter) });
    assert.deepEqual(location, { paths: [a, b], origin: 'KUBECONFIG' });
    const { kc, files } = loadKubeconfig(location);
    assert.deepEqual(files, [a, b]);
    assert.equal(kc.getCurrentContext(), 'ctx-a');
    assert.equal(kc.getCluster('shared')?.server, 'https://a.example:6443');
    assert.equal(kc.getContextObject('shared-ctx')?.namespace, 'from-a');
    assert.equal(kc.getContextObject('shared-ctx')?.user, 'ua');
    assert.deepEqual(kc.getContexts().map((c) => c.name).sort(), ['ctx-a', 'ctx-b', 'shared-ctx']);
    assert.deepEqual(kc.getClusters().map((c) => c.name).sort(), ['only-a', 'only-b', 'shared']);
    assert.deepEqual(kc.getUsers().map((u) => u.name).sort(), ['ua', 'ub']);

    const reversed = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [b, a].join(delimiter) })).kc;
    assert.equal(reversed.getCurrentContext(), 'ctx-b');
    assert.equal(reversed.getCluster('shared')?.server, 'https://b.example:6443');
  });

  it('takes the current context from the first file that names one', () => {
    const none = file('none.yaml', kubeconfigText({ clusters: [cluster('c', 'https://c.example')], users: [user('uc')], contexts: [context('ctx-c', 'c', 'uc')] }));
    const { kc } = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [none, b].join(delimiter) }));
    assert.equal(kc.getCurrentContext(), 'ctx-b');
  });

  it('skips missing files in KUBECONFIG, and names the paths when none exists', () => {
    assert.deepEqual(loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [missing, b].join(delimiter) })).files, [b]);

    const other = join(dir, 'also-missing.yaml');
    assert.throws(() => loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [missing, other].join(delimiter) })), (thrown: unknown) => {
      assert.ok(thrown instanceof KubeconfigError);
      assert.equal(thrown.kind, 'missing');
      assert.equal(thrown.message, `No kubeconfig found at ${missing}, ${other} (KUBECONFIG).`);
      return true;
    });
  });

  it('names where it looked: the setting (with ~ expanded) or the default location', () => {
    const setting = locateKubeconfig(' ~/configs/missing.yaml ', { KUBECONFIG: a }, dir);
    assert.deepEqual(setting, { paths: [join(dir, 'configs', 'missing.yaml')], origin: 'setting' });
    assert.throws(() => loadKubeconfig(setting), { name: 'KubeconfigError', message: `No kubeconfig found at ${join(dir, 'configs', 'missing.yaml')} (setting cmp.kubeconfig).` });

    const fallback = locateKubeconfig(undefined, { KUBECONFIG: ' ' }, dir);
    assert.deepEqual(fallback, { paths: [join(dir, '.kube', 'config')], origin: 'default' });
    assert.throws(() => loadKubeconfig(fallback), { name: 'KubeconfigError', message: `No kubeconfig found at ${join(dir, '.kube', 'config')} (the default location).` });
  });

  it('reports a file it cannot parse, naming it', () => {
    const broken = file('broken.yaml', 'clusters: [this is: not: yaml');
    assert.throws(() => loadKubeconfig(locateKubeconfig(broken)), (thrown: unknown) => {
      assert.ok(thrown instanceof KubeconfigError);
      assert.equal(thrown.kind, 'invalid');
      assert.ok(thrown.message.startsWith(`Cannot read kubeconfig ${broken}: `), thrown.message);
      return true;
    });
  });

  it('resolves relative certificate paths against the folder of their file', () => {
    const relative = file('relative.yaml', kubeconfigText({
      clusters: [cluster('r', 'https://r.example', { 'certificate-authority': 'pki/ca.crt' })],
      users: [user('ur')],
      contexts: [context('ctx-r', 'r', 'ur')],
      current: 'ctx-r',
    }));
    const { kc } = loadKubeconfig(locateKubeconfig(relative));
    assert.equal(kc.getCluster('r')?.caFile, join(dir, 'pki', 'ca.crt'));
  });

  it('forContext copies the kubeconfig pointed at a context, leaving the original alone', () => {
    const { kc } = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [a, b].join(delimiter) }));
    const copy = forContext(kc, 'shared-ctx');
    assert.equal(copy.getCurrentContext(), 'shared-ctx');
    assert.equal(copy.getCurrentCluster()?.server, 'https://a.example:6443');
    assert.equal(contextNamespace(copy), 'from-a');
    assert.equal(kc.getCurrentContext(), 'ctx-a', 'the loaded kubeconfig is not changed');
    assert.equal(contextNamespace(kc), undefined);

    assert.equal(forContext(kc, 'no-such-context').getCurrentContext(), 'ctx-a', 'an unknown name falls back to the current context');
    assert.equal(forContext(kc, undefined).getCurrentContext(), 'ctx-a');
  });

  it('forContext says what is missing when there is no context to use', () => {
    const noCurrent = loadKubeconfig(locateKubeconfig(file('no-current.yaml', kubeconfigText({ clusters: [cluster('c', 'https://c.example')], users: [user('u')], contexts: [context('ctx', 'c', 'u')] })))).kc;
    assert.throws(() => forContext(noCurrent, undefined), { name: 'KubeconfigError', message: 'The kubeconfig has no current context: pick one with "CMP: Switch Context".' });
    assert.equal(forContext(noCurrent, 'ctx').getCurrentContext(), 'ctx');
    assert.throws(() => forContext(new KubeConfig(), undefined), { name: 'KubeconfigError', message: 'The kubeconfig has no contexts.' });
  });

  it('names a context whose cluster or user no file defines, as kubectl does; a sound one has no problem', () => {
    const broken = loadKubeconfig(locateKubeconfig(file('broken.yaml', kubeconfigText({
      clusters: [cluster('c', 'https://c.example')],
      users: [user('u')],
      contexts: [context('ok', 'c', 'u'), context('no-user', 'c', 'nobody'), context('no-cluster', 'gone', 'u')],
      current: 'ok',
    })))).kc;
    assert.equal(contextProblem(broken, 'ok'), undefined);
    assert.equal(contextProblem(broken, 'no-user'), 'Context no-user names user "nobody", which the kubeconfig does not define.');
    assert.equal(contextProblem(broken, 'no-cluster'), 'Context no-cluster names cluster "gone", which the kubeconfig does not define.');
    assert.equal(contextProblem(broken, 'unknown'), 'The kubeconfig has no context unknown.');
    const merged = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [a, b].join(delimiter) })).kc;
    assert.equal(contextProblem(merged, 'ctx-b'), undefined, 'a user defined in another file of KUBECONFIG counts');
  });

  describe('against the local plane', () => {
    // Defines the plane's own cluster name with a dead address, and a current context of its own.
    const decoy = (): string => file('decoy.yaml', kubeconfigText({
      clusters: [cluster('cmp-dev', 'https://127.0.0.1:1')],
      users: [user('decoy')],
      contexts: [context('decoy', 'cmp-dev', 'decoy')],
      current: 'decoy',
    }));

    it('the admin kubeconfig first: its context and credentials reach the plane', async () => {
      const { kc } = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [adminKubeconfigPath(), decoy()].join(delimiter) }));
      const client = new KubeClient(new ApiTransport(forContext(kc, undefined)));
      try {
        const ns = await client.get(resources.namespaces, undefined, 'default');
        assert.equal(ns.metadata.name, 'default');
      } finally {
        client.transport.dispose();
      }
    });

    it('a file before it that defines the same cluster name wins, so the context points at a dead address', async () => {
      const { kc } = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [decoy(), adminKubeconfigPath()].join(delimiter) }));
      const client = new KubeClient(new ApiTransport(forContext(kc, 'cmp-dev')));
      try {
        const error = await rejection(client.get(resources.namespaces, undefined, 'default'), ApiError);
        assert.equal(error.isUnreachable, true);
        assert.equal(error.message, 'Cannot reach https://127.0.0.1:1: connection refused (is the cluster running?)');
      } finally {
        client.transport.dispose();
      }
    });

    it('admin and tenant merged: forContext picks the tenant, whose namespace and limits apply', async () => {
      const { kc } = loadKubeconfig(locateKubeconfig(undefined, { KUBECONFIG: [adminKubeconfigPath(), tenantKubeconfigPath()].join(delimiter) }));
      assert.equal(kc.getCurrentContext(), 'cmp-dev');
      const tenant = forContext(kc, 'cmp-dev-tenant');
      assert.equal(contextNamespace(tenant), 'tenant-a-ns');
      const client = new KubeClient(new ApiTransport(tenant));
      try {
        const refused = await rejection(client.list(resources.namespaces), ApiError);
        assert.equal(refused.isForbidden, true);
        assert.match(refused.message, /User "tenant" cannot list resource "namespaces"/);
        const own = await client.get(resources.namespaces, undefined, 'tenant-a-ns');
        assert.equal(own.metadata.name, 'tenant-a-ns');
      } finally {
        client.transport.dispose();
      }
    });
  });
});
