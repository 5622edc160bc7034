// Several planes from one `up --contexts 2`, in a throwaway state folder and port base: one
// kubeconfig with a context per plane, each context its own API (what is made in one is not in the
// other), status naming both, and down stopping both and leaving nothing behind.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { runPlane } from './fixtures';
import type { CliResult } from './fixtures';
import { assertNoProcessFrom, close, freePortBase, killProcessesMentioning, listen } from './localProcesses';

describe('two planes from up --contexts 2', () => {
  const root = mkdtempSync(join(tmpdir(), 'cmp-plane-fleet-'));
  const dir = join(root, 'state');
  const second = `${dir}-2`;
  let env: NodeJS.ProcessEnv = {};
  let base = 0;
  let up: CliResult = { code: -1, stdout: '', stderr: '' };
  const core = (context: string): CoreV1Api => {
    const kc = new KubeConfig();
    kc.loadFromFile(join(dir, 'fleet.kubeconfig'));
    kc.setCurrentContext(context);
    return kc.makeApiClient(CoreV1Api);
  };

  before(async function () {
    this.timeout(300_000);
    base = await freePortBase(2);
    env = { ...process.env, CMP_DEV_DIR: dir, CMP_PLANE_PORT_BASE: String(base) };
    up = await runPlane(['up', '--contexts', '2'], env, 280_000);
  });

  after(async function () {
    this.timeout(60_000);
    if (existsSync(dir) || existsSync(second)) await runPlane(['down'], env);
    killProcessesMentioning(root);
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses a count of contexts it cannot start, before starting anything', async () => {
    const other = { ...env, CMP_DEV_DIR: join(root, 'never') };
    const refused = await runPlane(['up', '--contexts', '9'], other);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--contexts 9 is not a number from 1 to 5/);
    assert.ok(!existsSync(join(root, 'never')), 'nothing was made');
  });

  it('prints KUBECONFIG=<fleet.kubeconfig> last: a context per plane, each on its own apiserver', () => {
    assert.equal(up.code, 0, `up failed: ${up.stderr}`);
    assert.equal(up.stdout.trim().split('\n').pop(), `KUBECONFIG=${join(dir, 'fleet.kubeconfig')}`);
    assert.equal(statSync(join(dir, 'fleet.kubeconfig')).mode & 0o777, 0o600, 'private to its owner');
    const kc = new KubeConfig();
    kc.loadFromFile(join(dir, 'fleet.kubeconfig'));
    assert.deepEqual(kc.getContexts().map((c) => c.name), ['cmp-dev', 'cmp-dev-2']);
    assert.equal(kc.getCurrentContext(), 'cmp-dev');
    assert.deepEqual(kc.getClusters().map((c) => c.server), [`https://127.0.0.1:${base + 3}`, `https://127.0.0.1:${base + 23}`]);
  });

  it('keeps the planes apart: a namespace made through cmp-dev-2 is not in cmp-dev', async () => {
    await core('cmp-dev-2').createNamespace({ body: { metadata: { name: 'only-in-two' } } });
    const inTwo = await core('cmp-dev-2').listNamespace();
    const inOne = await core('cmp-dev').listNamespace();
    assert.ok(inTwo.items.some((n) => n.metadata?.name === 'only-in-two'));
    assert.ok(!inOne.items.some((n) => n.metadata?.name === 'only-in-two'));
    const uids = await Promise.all(['cmp-dev', 'cmp-dev-2'].map(async (c) => (await core(c).readNamespace({ name: 'kube-system' })).metadata?.uid));
    assert.notEqual(uids[0], uids[1], 'two etcds, not one seen twice');
  });

  it('status names both planes; down stops both, frees their ports and wipes both folders', async function () {
    this.timeout(90_000);
    const status = await runPlane(['status'], env);
    assert.match(status.stdout, /^Kubernetes v1\.37\.2 at .* \(ready\)/);
    assert.match(status.stdout, /^plane 2 \(context cmp-dev-2\):\n {2}Kubernetes v1\.37\.2 at https:\/\/127\.0\.0\.1:\d+ \(ready\)/m);
    const down = await runPlane(['down'], env);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /^plane 2: stopped .*; state wiped$/m);
    assert.ok(!existsSync(dir) && !existsSync(second), 'both state folders are gone');
    await assertNoProcessFrom(root, 10_000);
    for (const port of [base + 3, base + 23, base, base + 20]) await close(await listen(port));
  });
});
