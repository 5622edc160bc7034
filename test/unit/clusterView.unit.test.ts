// What the tree shows: per-instance state of Pods and VMs, cluster health, the one-line
// descriptions, ages, and where the name and sizes of a cluster come from.
import * as assert from 'node:assert/strict';
import { clusterDescription, clusterView, formatAge, instanceDescription, podView, virtualMachineView } from '../../src/core/clusterView';
import type { InstanceView } from '../../src/core/clusterView';
import { instanceManifest } from '../../src/core/manifests';
import { namespaceObject, pod, readyPod, virtualMachine } from './fixtures';

const created = '2025-01-01T00:00:00Z';
const deleting = { deletionTimestamp: '2025-01-02T00:00:00Z' };
const spec = (count: number, instanceType = 'container', cpu = 2, memoryGiB = 4) => ({
  'cmp.io/cluster-spec': JSON.stringify({ instanceType, image: instanceType === 'vm' ? '' : 'nginx', cpu, memoryGiB, count }),
});
const cmpNamespace = (count: number) => namespaceObject('my-app-ns', { labels: { 'managed-by': 'cmp', cluster: 'my-app' }, annotations: spec(count) });
const waiting = (reason: string, phase = 'Pending') => pod('instance-0', { phase, containerStatuses: [{ ready: false, restartCount: 0, state: { waiting: { reason } } }] });

describe('podView', () => {
  it('shows a Running, Ready pod as running with its details', () => {
    const view = podView(pod('instance-3', {
      phase: 'Running',
      podIP: '10.64.0.3',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ ready: true, restartCount: 2 }, { ready: true, restartCount: 1 }],
    }, { creationTimestamp: created, uid: 'pod-uid-3' }, { nodeName: 'cmp-node-1' }));
    assert.deepEqual(view, {
      name: 'instance-3', uid: 'pod-uid-3', index: 3, kind: 'Pod', state: 'running', phase: 'Running', ready: true, restarts: 3,
      node: 'cmp-node-1', ip: '10.64.0.3', createdAt: created, reason: undefined,
    });
  });

  const states: [string, ReturnType<typeof pod>, string, string | undefined][] = [
    ['no status yet', pod('instance-0'), 'pending', undefined],
    ['Running but not Ready', pod('instance-0', { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] }), 'pending', undefined],
    ['ContainerCreating', waiting('ContainerCreating'), 'pending', 'ContainerCreating'],
    ['CrashLoopBackOff', waiting('CrashLoopBackOff', 'Running'), 'failed', 'CrashLoopBackOff'],
    ['ImagePullBackOff', waiting('ImagePullBackOff'), 'failed', 'ImagePullBackOff'],
    ['OOMKilled', pod('instance-0', { phase: 'Running', containerStatuses: [{ state: { terminated: { reason: 'OOMKilled' } } }] }), 'failed', 'OOMKilled'],
    ['phase Failed', pod('instance-0', { phase: 'Failed' }), 'failed', undefined],
    ['phase Succeeded', pod('instance-0', { phase: 'Succeeded' }), 'stopped', undefined],
    ['phase Unknown', pod('instance-0', { phase: 'Unknown' }), 'unknown', undefined],
  ];
  for (const [what, object, state, reason] of states) {
    it(`${what} → ${state}`, () => {
      const view = podView(object);
      assert.equal(view?.state, state);
      assert.equal(view?.reason, reason);
      assert.equal(view?.ready, false);
    });
  }

  it('shows a pod being deleted as terminating, even when it was ready', () => {
    const view = podView(readyPod('instance-0', deleting));
    assert.deepEqual([view?.state, view?.phase, view?.ready], ['terminating', 'Terminating', false]);
  });

  it('ignores pods that are not instances', () => {
    assert.equal(podView(readyPod('web')), undefined);
  });
});

describe('virtualMachineView', () => {
  const states: [string, unknown, string, string | undefined][] = [
    ['ready', { ready: true, printableStatus: 'Running' }, 'running', undefined],
    ['no status yet', undefined, 'pending', undefined],
    ['Starting', { printableStatus: 'Starting' }, 'pending', undefined],
    ['Stopped', { printableStatus: 'Stopped' }, 'stopped', undefined],
    ['Paused', { printableStatus: 'Paused' }, 'stopped', undefined],
    ['ErrorUnschedulable', { printableStatus: 'ErrorUnschedulable' }, 'failed', 'ErrorUnschedulable'],
    ['CrashLoopBackOff', { printableStatus: 'CrashLoopBackOff' }, 'failed', 'CrashLoopBackOff'],
    ['ErrImagePull', { printableStatus: 'ErrImagePull' }, 'failed', 'ErrImagePull'],
    ['ImagePullBackOff', { printableStatus: 'ImagePullBackOff' }, 'failed', 'ImagePullBackOff'],
    ['DataVolumeError', { printableStatus: 'DataVolumeError' }, 'failed', 'DataVolumeError'],
    ['Unknown', { printableStatus: 'Unknown' }, 'unknown', undefined],
  ];
  for (const [what, status, state, reason] of states) {
    it(`${what} → ${state}`, () => {
      const view = virtualMachineView(virtualMachine('instance-1', status));
      assert.equal(view?.state, state);
      assert.equal(view?.reason, reason);
      assert.equal(view?.kind, 'VirtualMachine');
      assert.equal(view?.index, 1);
    });
  }

  it('shows the printable status as the phase, Provisioning before there is one', () => {
    assert.equal(virtualMachineView(virtualMachine('instance-0'))?.phase, 'Provisioning');
    assert.equal(virtualMachineView(virtualMachine('instance-0', { printableStatus: 'Migrating' }))?.phase, 'Migrating');
  });

  it('shows a VM being deleted as terminating and not ready', () => {
    const view = virtualMachineView(virtualMachine('instance-0', { ready: true, printableStatus: 'Running' }, deleting));
    assert.deepEqual([view?.state, view?.phase, view?.ready], ['terminating', 'Terminating', false]);
  });

  it('ignores VMs that are not instances', () => {
    assert.equal(virtualMachineView(virtualMachine('db')), undefined);
  });
});

describe('clusterView', () => {
  it('takes the name from the cluster label, else the namespace without -ns', () => {
    assert.equal(clusterView(namespaceObject('renamed-ns', { labels: { cluster: 'my-app' } }), []).name, 'my-app');
    assert.equal(clusterView(namespaceObject('my-app-ns'), []).name, 'my-app');
    assert.equal(clusterView(namespaceObject('legacy'), []).name, 'legacy');
  });

  it('carries the namespace details', () => {
    const view = clusterView(namespaceObject('my-app-ns', { uid: 'u-1', creationTimestamp: created, labels: { cluster: 'my-app', team: 'web' } }), []);
    assert.deepEqual([view.namespace, view.uid, view.createdAt, view.labels], ['my-app-ns', 'u-1', created, { cluster: 'my-app', team: 'web' }]);
    assert.deepEqual(clusterView(namespaceObject('x-ns'), []).labels, {});
  });

  it('lists instances by index, leaving out other objects', () => {
    const view = clusterView(cmpNamespace(3), [readyPod('instance-10'), readyPod('web'), readyPod('instance-2'), virtualMachine('instance-0')]);
    assert.deepEqual(view.instances.map((i) => i.name), ['instance-0', 'instance-2', 'instance-10']);
  });

  it('uses the stored spec when the namespace has one', () => {
    const view = clusterView(cmpNamespace(3), [readyPod('instance-0')]);
    assert.deepEqual(view.spec, { instanceType: 'container', image: 'nginx', cpu: 2, memoryGiB: 4, count: 3 });
    assert.equal(view.specDerived, false);
  });

  it('derives sizes from the lowest instance when the annotation is missing or malformed', () => {
    const stored = { instanceType: 'container' as const, image: 'busybox', cpu: 0.5, memoryGiB: 1.5, count: 9 };
    const made = instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec: stored, serviceAccount: false }, 1);
    const other = instanceManifest({ namespace: 'my-app-ns', cluster: 'my-app', spec: { ...stored, image: 'other', cpu: 8 }, serviceAccount: false }, 4);
    for (const annotations of [undefined, { 'cmp.io/cluster-spec': '{not json' }]) {
      const view = clusterView(namespaceObject('my-app-ns', { annotations }), [other, made]);
      assert.deepEqual(view.spec, { ...stored, count: 2 });
      assert.equal(view.specDerived, true);
    }
  });

  it('has no spec when there is neither annotation nor a readable instance', () => {
    const view = clusterView(namespaceObject('my-app-ns'), [readyPod('instance-0')]);
    assert.deepEqual([view.spec, view.specDerived], [undefined, false]);
  });

  describe('health', () => {
    const cases: [string, ReturnType<typeof namespaceObject>, ReturnType<typeof pod>[], string][] = [
      ['all instances ready', cmpNamespace(2), [readyPod('instance-0'), readyPod('instance-1')], 'ready'],
      ['scaled to zero with nothing left', cmpNamespace(0), [], 'ready'],
      ['one still pending', cmpNamespace(2), [readyPod('instance-0'), pod('instance-1')], 'progressing'],
      ['fewer instances than wanted', cmpNamespace(3), [readyPod('instance-0'), readyPod('instance-1')], 'progressing'],
      ['more instances than wanted', cmpNamespace(1), [readyPod('instance-0'), readyPod('instance-1')], 'progressing'],
      ['no instances yet', cmpNamespace(3), [], 'progressing'],
      ['one instance terminating', cmpNamespace(1), [readyPod('instance-0'), readyPod('instance-1', deleting)], 'progressing'],
      ['one crash-looping', cmpNamespace(2), [readyPod('instance-0'), waiting('CrashLoopBackOff', 'Running')], 'failing'],
      ['one unknown', cmpNamespace(1), [pod('instance-0', { phase: 'Unknown' })], 'failing'],
      ['a failed VM', cmpNamespace(1), [virtualMachine('instance-0', { printableStatus: 'ErrorUnschedulable' })], 'failing'],
      ['namespace being deleted', namespaceObject('my-app-ns', { ...deleting, annotations: spec(1) }), [waiting('CrashLoopBackOff')], 'terminating'],
      ['namespace phase Terminating', namespaceObject('my-app-ns', { annotations: spec(1) }, { phase: 'Terminating' }), [readyPod('instance-0')], 'terminating'],
    ];
    for (const [what, namespace, instances, health] of cases) {
      it(`${what} → ${health}`, () => assert.equal(clusterView(namespace, instances).health, health));
    }
  });

  it('counts ready instances', () => {
    assert.equal(clusterView(cmpNamespace(3), [readyPod('instance-0'), pod('instance-1'), readyPod('instance-2')]).readyCount, 2);
  });
});

describe('clusterDescription', () => {
  it('reads "3/3 ready · container · 2 CPU · 4 GiB"', () => {
    const view = clusterView(cmpNamespace(3), [readyPod('instance-0'), readyPod('instance-1'), readyPod('instance-2')]);
    assert.equal(clusterDescription(view), '3/3 ready · container · 2 CPU · 4 GiB');
  });

  it('counts against the wanted number while instances are missing, and shows fractions', () => {
    const namespace = namespaceObject('my-app-ns', { annotations: spec(3, 'vm', 0.5, 1.5) });
    assert.equal(clusterDescription(clusterView(namespace, [virtualMachine('instance-0', { ready: true })])), '1/3 ready · vm · 0.5 CPU · 1.5 GiB');
  });

  it('counts the instances that exist when there are more than wanted', () => {
    assert.equal(clusterDescription(clusterView(cmpNamespace(1), [readyPod('instance-0'), pod('instance-1')])), '1/2 ready · container · 2 CPU · 4 GiB');
  });

  it('leaves sizes out when they are not known', () => {
    assert.equal(clusterDescription(clusterView(namespaceObject('my-app-ns'), [])), '0/0 ready');
  });

  it('says only Terminating… for a namespace being deleted', () => {
    assert.equal(clusterDescription(clusterView(namespaceObject('my-app-ns', deleting), [readyPod('instance-0')])), 'Terminating…');
  });
});

describe('instanceDescription', () => {
  const base: InstanceView = { name: 'instance-0', index: 0, kind: 'Pod', state: 'running', phase: 'Running', ready: true, restarts: 0 };

  it('reads "Running · ready · 2 restarts · cmp-node-1 · 10.64.0.3"', () => {
    assert.equal(instanceDescription({ ...base, restarts: 2, node: 'cmp-node-1', ip: '10.64.0.3' }), 'Running · ready · 2 restarts · cmp-node-1 · 10.64.0.3');
  });

  it('puts the reason first for a failed instance', () => {
    assert.equal(instanceDescription({ ...base, state: 'failed', ready: false, restarts: 1, reason: 'CrashLoopBackOff' }), 'CrashLoopBackOff · not ready · 1 restart');
  });

  it('keeps the phase for a pending instance that has a reason', () => {
    assert.equal(instanceDescription({ ...base, state: 'pending', phase: 'Pending', ready: false, reason: 'ContainerCreating' }), 'Pending · not ready');
  });

  it('has no ready part for a VM', () => {
    assert.equal(instanceDescription({ ...base, kind: 'VirtualMachine' }), 'Running');
  });
});

describe('formatAge', () => {
  const now = Date.parse(created);
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  const cases: [number, string][] = [[0, '0s'], [119, '119s'], [120, '2m'], [119 * 60 + 59, '119m'], [120 * 60, '2h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [400 * 86400, '400d']];
  for (const [seconds, age] of cases) {
    it(`${seconds}s ago → ${age}`, () => assert.equal(formatAge(ago(seconds), now), age));
  }

  it('shows a time in the future as 0s', () => {
    assert.equal(formatAge(ago(-30), now), '0s');
  });

  it('shows nothing for a missing or unreadable time', () => {
    assert.deepEqual([formatAge(undefined, now), formatAge('', now), formatAge('yesterday', now)], ['', '', '']);
  });
});
