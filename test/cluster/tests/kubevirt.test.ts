// `cluster:up -- --with-kubevirt` on the running plane: idempotent, it serves the kubevirt.io/v1
// VirtualMachine CRD, and the stand-in vm-controller sets status.ready/printableStatus from spec.running.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { adminKubeConfig, adminKubeconfigPath, eventually } from '../../support/testPlane';
import { TestNamespaces, field, isRecord, planeStateDir, runPlane } from './fixtures';

const vmApi = { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines' };

function virtualMachine(name: string, running: boolean): unknown {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name },
    spec: { running, template: { metadata: { labels: { vm: name } }, spec: { domain: { cpu: { cores: 1 }, resources: { requests: { memory: '128Mi' } } } } } },
  };
}

const vmControllerPid = (): unknown => field(JSON.parse(readFileSync(join(planeStateDir(), 'plane.json'), 'utf8')), 'components', 'vm-controller', 'pid');

describe('kubevirt stand-in', () => {
  const namespaces = new TestNamespaces();
  let custom: CustomObjectsApi;
  let env: NodeJS.ProcessEnv;
  after(() => namespaces.deleteAll());

  before(async function () {
    this.timeout(180_000);
    custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
    env = { ...process.env, CMP_DEV_DIR: planeStateDir() };
    const up = await runPlane(['up', '--with-kubevirt'], env);
    assert.equal(up.code, 0, `plane up --with-kubevirt failed: ${up.stderr}`);
    assert.equal(up.stdout.trim().split('\n').pop(), `KUBECONFIG=${adminKubeconfigPath()}`);
  });

  it('is idempotent on a running plane: a second run reuses it and the same vm-controller', async () => {
    const pid = vmControllerPid();
    assert.equal(typeof pid, 'number', 'plane.json records a vm-controller');
    const again = await runPlane(['up', '--with-kubevirt'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), `KUBECONFIG=${adminKubeconfigPath()}`);
    assert.equal(vmControllerPid(), pid);
    const status = await runPlane(['status'], env);
    assert.match(status.stdout, /vm-controller\s+pid \d+\s+running/);
  });

  it('serves the VirtualMachine CRD as kubevirt.io/v1', async () => {
    const crd = await adminKubeConfig().makeApiClient(ApiextensionsV1Api).readCustomResourceDefinition({ name: 'virtualmachines.kubevirt.io' });
    assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), 'the CRD is Established');
    assert.equal(crd.spec.names.kind, 'VirtualMachine');
    assert.deepEqual(crd.spec.versions.map((v) => v.name), ['v1']);
  });

  it('marks a VM with spec.running=true ready and Running, and a stopped one not ready', async () => {
    const namespace = await namespaces.create('vms');
    await custom.createNamespacedCustomObject({ ...vmApi, namespace, body: virtualMachine('runner', true) });
    await custom.createNamespacedCustomObject({ ...vmApi, namespace, body: virtualMachine('sleeper', false) });
    const read = async (name: string): Promise<unknown> => {
      const vm: unknown = await custom.getNamespacedCustomObject({ ...vmApi, namespace, name });
      return vm;
    };
    await eventually('VM runner to be ready', async () => (field(await read('runner'), 'status', 'ready') === true ? true : undefined));
    assert.equal(field(await read('runner'), 'status', 'printableStatus'), 'Running');
    await eventually('VM sleeper to be Stopped', async () => (field(await read('sleeper'), 'status', 'printableStatus') === 'Stopped' ? true : undefined));
    assert.notEqual(field(await read('sleeper'), 'status', 'ready'), true);
  });

  it('follows spec.running when a VM is started', async () => {
    const namespace = await namespaces.create('vm-start');
    await custom.createNamespacedCustomObject({ ...vmApi, namespace, body: virtualMachine('later', false) });
    await eventually('VM later to be Stopped', async () => {
      const vm: unknown = await custom.getNamespacedCustomObject({ ...vmApi, namespace, name: 'later' });
      return field(vm, 'status', 'printableStatus') === 'Stopped' ? true : undefined;
    });
    const current: unknown = await custom.getNamespacedCustomObject({ ...vmApi, namespace, name: 'later' });
    const spec = field(current, 'spec');
    assert.ok(isRecord(current) && isRecord(spec), 'the VM reads back as an object with a spec');
    const started = { ...current, spec: { ...spec, running: true } };
    await custom.replaceNamespacedCustomObject({ ...vmApi, namespace, name: 'later', body: started });
    await eventually('VM later to be ready', async () => {
      const vm: unknown = await custom.getNamespacedCustomObject({ ...vmApi, namespace, name: 'later' });
      return field(vm, 'status', 'ready') === true && field(vm, 'status', 'printableStatus') === 'Running' ? true : undefined;
    });
  });
});
