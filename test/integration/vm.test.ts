// VM clusters against the local plane with the kubevirt.io/v1 VirtualMachine CRD and its stand-in
// controller: create, scale, delete one instance, sizes derived from a VM, and the cache's view.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseStoredSpec } from '../../src/core/clusterSpec';
import { resources, type KubeObject } from '../../src/core/kubeTypes';
import { specAnnotation } from '../../src/core/names';
import { ClusterCache } from '../../src/kube/clusterCache';
import { listInstances } from '../../src/kube/clusterInstances';
import { createCluster } from '../../src/kube/clusterCreator';
import { deleteInstance } from '../../src/kube/clusterDeleter';
import { scaleCluster } from '../../src/kube/clusterScaler';
import { adminKubeconfigPath, eventually, kubectl, uniqueName } from '../support/testPlane';
import {
  adminClient, allGuardRails, byIndex, clusterSpec, instanceRange, kubectlCreate, kubectlJson, kubectlNamespace, OwnedNamespaces, type KubeList,
} from './fixtures';

const execFileAsync = promisify(execFile);
const repoRoot = resolve(__dirname, '..', '..', '..');

interface VmObject extends KubeObject {
  spec: {
    running: boolean;
    template: {
      metadata: { labels: Record<string, string> };
      spec: { domain: { cpu: { cores: number }; resources: { requests: Record<string, string>; limits?: Record<string, string> } } };
    };
  };
  status?: { ready?: boolean; printableStatus?: string };
}

async function virtualMachines(namespace: string): Promise<VmObject[]> {
  const list = await kubectlJson<KubeList<VmObject>>(['get', 'virtualmachines.kubevirt.io', '-n', namespace]);
  return list.items.filter((vm) => !vm.metadata.deletionTimestamp).sort((x, y) => byIndex(x.metadata.name, y.metadata.name));
}

/** Waits until exactly these VMs exist and the controller reports each ready. */
function vmsReady(namespace: string, names: readonly string[]): Promise<VmObject[]> {
  return eventually(`VMs ${names.join(', ')} in ${namespace} to be ready`, async () => {
    const vms = await virtualMachines(namespace);
    const present = vms.map((vm) => vm.metadata.name);
    if (present.join() !== names.join()) throw new Error(`VMs are ${present.join(', ') || 'none'}`);
    return vms.every((vm) => vm.status?.ready === true && vm.status.printableStatus === 'Running') ? vms : undefined;
  }, 30_000);
}

describe('VM clusters (KubeVirt CRD)', () => {
  const client = adminClient();
  const owned = new OwnedNamespaces();

  before(async function () {
    this.timeout(180_000);
    // Idempotent: adds the CRD and the stand-in controller to the running plane, or finds them there.
    await execFileAsync(process.execPath, [join(repoRoot, 'test', 'cluster', 'plane.mjs'), 'up', '--with-kubevirt'], {
      cwd: repoRoot,
      env: { ...process.env, CMP_DEV_DIR: dirname(adminKubeconfigPath()) },
      timeout: 170_000,
    });
    await eventually('the VirtualMachine resource to be served', async () => ((await client.serves(resources.virtualMachines)) ? true : undefined), 60_000);
  });

  after(async () => {
    await owned.run();
    client.transport.dispose();
  });

  it('creates VirtualMachines instance-0..N-1 (no pods) that the controller reports ready', async () => {
    const spec = clusterSpec('vms', { instanceType: 'vm', image: '', cpu: 1, memoryGiB: 0.5, count: 2, isolation: allGuardRails(1, 0.5, 3) });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 2 });

    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.deepEqual(parseStoredSpec(ns.metadata.annotations?.[specAnnotation]), { instanceType: 'vm', image: '', cpu: 1, memoryGiB: 0.5, count: 2 });
    const vms = await vmsReady(namespace, instanceRange(2));
    for (const vm of vms) {
      const labels = { 'managed-by': 'cmp', cluster: spec.name, 'cmp.io/instance-index': vm.metadata.name.slice('instance-'.length) };
      assert.deepEqual(vm.metadata.labels, labels);
      assert.equal(vm.spec.running, true);
      assert.deepEqual(vm.spec.template.metadata.labels, labels);
      assert.equal(vm.spec.template.spec.domain.cpu.cores, 1);
      assert.deepEqual(vm.spec.template.spec.domain.resources.requests, { cpu: '1', memory: '512Mi' });
    }
    const pods = await kubectlJson<KubeList>(['get', 'pods', '-n', namespace]);
    assert.deepEqual(pods.items, [], 'VM instances are not pods');
    await kubectlJson<KubeObject>(['get', 'resourcequota', 'cluster-quota', '-n', namespace]);

    const listed = await listInstances(client, namespace);
    assert.deepEqual(listed.map((o) => [o.kind, o.metadata.name]).sort(), [['VirtualMachine', 'instance-0'], ['VirtualMachine', 'instance-1']]);
  });

  it('scales VMs up and down, deletes one VM and refills it', async () => {
    const spec = clusterSpec('vmscale', { instanceType: 'vm', image: '', cpu: 1, memoryGiB: 0.25, count: 1 });
    const namespace = owned.add(`${spec.name}-ns`);
    await createCluster(client, spec, { concurrency: 1 });

    const up = await scaleCluster(client, namespace, 3, { concurrency: 3 });
    assert.deepEqual(up.created, ['instance-1', 'instance-2']);
    await vmsReady(namespace, instanceRange(3));

    const down = await scaleCluster(client, namespace, 2, { concurrency: 2 });
    assert.deepEqual(down.deleted, ['instance-2']);
    await eventually('instance-2 to be gone', async () => ((await virtualMachines(namespace)).length === 2 ? true : undefined));

    await deleteInstance(client, { namespace, kind: 'VirtualMachine', name: 'instance-0' });
    await eventually('instance-0 to be gone', async () => ((await virtualMachines(namespace)).map((vm) => vm.metadata.name).join() === 'instance-1' ? true : undefined));
    const refill = await scaleCluster(client, namespace, 2, { concurrency: 2 });
    assert.deepEqual(refill, { from: 1, to: 2, created: ['instance-0'], deleted: [], derivedFrom: undefined });
    await vmsReady(namespace, instanceRange(2));
  });

  it('derives VM sizes from an existing VirtualMachine when the namespace has no stored spec', async () => {
    const cluster = uniqueName('vmderived');
    const namespace = owned.add(`${cluster}-ns`);
    await kubectlNamespace(namespace, { 'managed-by': 'cmp', cluster, 'cluster-namespace': 'true' });
    await kubectlCreate({
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachine',
      metadata: { name: 'instance-0', namespace, labels: { 'managed-by': 'cmp', cluster } },
      spec: { running: true, template: { metadata: {}, spec: { domain: { cpu: { cores: 2 }, resources: { requests: { memory: '1Gi' } } } } } },
    });

    const result = await scaleCluster(client, namespace, 2, { concurrency: 2 });
    assert.deepEqual(result, { from: 1, to: 2, created: ['instance-1'], deleted: [], derivedFrom: 'instance-0' });
    const [, made] = await vmsReady(namespace, instanceRange(2));
    assert.equal(made?.spec.template.spec.domain.cpu.cores, 2);
    assert.deepEqual(made?.spec.template.spec.domain.resources.requests, { cpu: '2', memory: '1Gi' });
    const ns = await kubectlJson<KubeObject>(['get', 'namespace', namespace]);
    assert.deepEqual(parseStoredSpec(ns.metadata.annotations?.[specAnnotation]), { instanceType: 'vm', image: '', cpu: 2, memoryGiB: 1, count: 2 });
  });

  it('the cache watches VirtualMachines and follows a VM being stopped', async () => {
    const spec = clusterSpec('vmcache', { instanceType: 'vm', image: '', cpu: 1, memoryGiB: 0.25, count: 2 });
    const namespace = owned.add(`${spec.name}-ns`);
    const cache = new ClusterCache(client, { fallbackNamespaces: () => [] });
    try {
      await cache.start();
      assert.equal(cache.virtualMachinesServed, true);
      await createCluster(client, spec, { concurrency: 2 });
      const view = await eventually('two running VMs in the cache', async () => {
        const found = cache.cluster(namespace);
        return found?.readyCount === 2 ? found : undefined;
      });
      assert.deepEqual(view.instances.map((i) => [i.name, i.kind, i.state, i.phase]), [
        ['instance-0', 'VirtualMachine', 'running', 'Running'],
        ['instance-1', 'VirtualMachine', 'running', 'Running'],
      ]);
      assert.equal(view.health, 'ready');

      await kubectl(['patch', 'virtualmachines.kubevirt.io', 'instance-1', '-n', namespace, '--type=merge', '-p', '{"spec":{"running":false}}']);
      const stopped = await eventually('instance-1 to show as stopped', async () => {
        const found = cache.cluster(namespace)?.instances.find((i) => i.name === 'instance-1');
        return found?.state === 'stopped' ? found : undefined;
      });
      assert.equal(stopped.phase, 'Stopped');
      assert.equal(stopped.ready, false);
    } finally {
      cache.dispose();
    }
  });
});
