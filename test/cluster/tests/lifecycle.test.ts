// The plane's own lifecycle in a throwaway state folder and port base: up from scratch (cached
// binaries), status, a reused second up, node leases kwok renews, and down leaving nothing behind.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordinationV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { eventually } from '../../support/testPlane';
import { field, runPlane } from './fixtures';
import type { CliResult } from './fixtures';
import { assertNoProcessFrom, close, freePortBase, killProcessesMentioning, listen } from './localProcesses';

const components = ['etcd', 'apiserver', 'controller-manager', 'scheduler', 'kwok', 'instance-web'];

describe('plane lifecycle in a fresh state folder', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'cmp-plane-life-')), 'state');
  let env: NodeJS.ProcessEnv = {};
  let base = 0;
  let up: CliResult = { code: -1, stdout: '', stderr: '' };
  const planeRecord = (): unknown => JSON.parse(readFileSync(join(dir, 'plane.json'), 'utf8'));
  const kubeConfig = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(join(dir, 'kubeconfig'));
    return kc;
  };

  before(async function () {
    this.timeout(240_000);
    base = await freePortBase();
    env = { ...process.env, CMP_DEV_DIR: dir, CMP_PLANE_PORT_BASE: String(base) };
    up = await runPlane(['up'], env, 200_000);
  });

  after(async function () {
    this.timeout(60_000);
    if (existsSync(dir)) await runPlane(['down'], env);
    killProcessesMentioning(dir);
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('starts from scratch and prints KUBECONFIG=<its admin kubeconfig> last', async () => {
    assert.equal(up.code, 0, `up failed: ${up.stderr}`);
    assert.equal(up.stdout.trim().split('\n').pop(), `KUBECONFIG=${join(dir, 'kubeconfig')}`);
    assert.match(up.stderr, new RegExp(`local plane v1\\.37\\.2 ready at https://127\\.0\\.0\\.1:${base + 3} \\(\\d+\\.\\ds\\)`));
    for (const file of ['kubeconfig', 'tenant.kubeconfig']) {
      assert.equal(statSync(join(dir, file)).mode & 0o777, 0o600, `${file} is private to its owner`);
    }
    assert.equal(kubeConfig().getCurrentCluster()?.server, `https://127.0.0.1:${base + 3}`);
    const nodes = await kubeConfig().makeApiClient(CoreV1Api).listNode();
    assert.equal(nodes.items.length, 3);
  });

  it('reports every component running, and a second up reuses the plane', async () => {
    const status = await runPlane(['status'], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Kubernetes v1\.37\.2 at .* \(ready\)/);
    for (const name of components) assert.match(status.stdout, new RegExp(`^ {2}${name}\\s+pid \\d+\\s+running`, 'm'));

    const before = planeRecord();
    const again = await runPlane(['up'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), `KUBECONFIG=${join(dir, 'kubeconfig')}`);
    const after = planeRecord();
    assert.equal(field(after, 'startedAt'), field(before, 'startedAt'), 'the same plane, not a new one');
    for (const name of components) assert.equal(field(after, 'components', name, 'pid'), field(before, 'components', name, 'pid'));
  });

  it('has kwok renew a Lease per node, so the node controller keeps the nodes Ready and untainted', async function () {
    this.timeout(60_000);
    const leases = kubeConfig().makeApiClient(CoordinationV1Api);
    const renewed = async (): Promise<Map<string, number>> => {
      const list = await leases.listNamespacedLease({ namespace: 'kube-node-lease' });
      return new Map(list.items.map((l) => [l.metadata?.name ?? '', new Date(l.spec?.renewTime ?? 0).getTime()]));
    };
    const first = await eventually('a lease for each node', async () => {
      const found = await renewed();
      return ['cmp-dev-node-0', 'cmp-dev-node-1', 'cmp-dev-node-2'].every((n) => found.has(n)) ? found : undefined;
    });
    const lease = await leases.readNamespacedLease({ namespace: 'kube-node-lease', name: 'cmp-dev-node-0' });
    assert.equal(lease.spec?.leaseDurationSeconds, 40);
    await eventually('every node lease to be renewed', async () => {
      const now = await renewed();
      return [...first].every(([name, time]) => (now.get(name) ?? 0) > time) ? true : undefined;
    }, 45_000, 1_000);

    const nodes = await kubeConfig().makeApiClient(CoreV1Api).listNode();
    for (const node of nodes.items) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'True', `${node.metadata?.name} is Ready`);
      assert.deepEqual(node.spec?.taints ?? [], [], `${node.metadata?.name} has no taints`);
    }
  });

  it('down stops every component, frees its ports, leaves no process and wipes the state folder', async function () {
    this.timeout(60_000);
    const down = await runPlane(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    const stopped = /^stopped (.*); state wiped$/m.exec(down.stdout)?.[1]?.split(', ') ?? [];
    assert.deepEqual([...stopped].sort(), [...components].sort());
    assert.ok(!existsSync(dir), 'the state folder is gone');
    await assertNoProcessFrom(dir, 10_000);
    for (const port of [base, base + 1, base + 3, base + 5, base + 6, base + 8]) await close(await listen(port));
    const status = await runPlane(['status'], env);
    assert.match(status.stdout, /no local plane is running/);
  });
});
