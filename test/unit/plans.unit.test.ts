// Scale plans (up, down highest first, gap refill, foreign names left alone, nothing at target),
// the quota check before a scale, and sizes recovered from an existing Pod or VM.
import * as assert from 'node:assert/strict';
import type { StoredSpec } from '../../src/core/clusterSpec';
import { instanceManifest } from '../../src/core/manifests';
import { quotaShortfall, scalePlan, specFromInstance } from '../../src/core/plans';
import type { QuotaState, ScalePlan } from '../../src/core/plans';

/** The names left after carrying out a plan, as the scaler would. */
function apply(names: readonly string[], plan: ScalePlan): string[] {
  return [...names.filter((n) => !plan.remove.includes(n)), ...plan.create.map((i) => `instance-${i}`)];
}

describe('scalePlan', () => {
  it('creates every instance of a new cluster', () => {
    assert.deepEqual(scalePlan([], 3), { create: [0, 1, 2], remove: [] });
  });

  it('scales up from the next index', () => {
    assert.deepEqual(scalePlan(['instance-0', 'instance-1', 'instance-2'], 5), { create: [3, 4], remove: [] });
  });

  it('scales down removing the highest index first', () => {
    assert.deepEqual(scalePlan(['instance-1', 'instance-4', 'instance-0', 'instance-3', 'instance-2'], 2), { create: [], remove: ['instance-4', 'instance-3', 'instance-2'] });
  });

  it('orders instance-10 above instance-9', () => {
    const names = Array.from({ length: 11 }, (_, i) => `instance-${i}`);
    assert.deepEqual(scalePlan(names, 9).remove, ['instance-10', 'instance-9']);
  });

  it('scales to zero by removing everything', () => {
    assert.deepEqual(scalePlan(['instance-0', 'instance-1'], 0), { create: [], remove: ['instance-1', 'instance-0'] });
  });

  it('refills gaps lowest first', () => {
    assert.deepEqual(scalePlan(['instance-0', 'instance-3'], 4), { create: [1, 2], remove: [] });
  });

  it('refills gaps and removes the excess in one plan', () => {
    assert.deepEqual(scalePlan(['instance-0', 'instance-5'], 2), { create: [1], remove: ['instance-5'] });
  });

  it('never touches names that are not instance-<n>', () => {
    const names = ['instance-0', 'web', 'instance-01', 'instance-1-old', 'my-instance-1', 'Instance-2'];
    assert.deepEqual(scalePlan(names, 1), { create: [], remove: [] });
    assert.deepEqual(scalePlan(names, 0), { create: [], remove: ['instance-0'] });
    assert.deepEqual(scalePlan(names, 2), { create: [1], remove: [] });
  });

  it('counts a name listed twice once', () => {
    assert.deepEqual(scalePlan(['instance-1', 'instance-1'], 0), { create: [], remove: ['instance-1'] });
  });

  it('does nothing at the target, and converges after one pass', () => {
    assert.deepEqual(scalePlan(['instance-1', 'instance-0'], 2), { create: [], remove: [] });
    for (const [names, desired] of [[['instance-0', 'instance-4', 'web'], 3], [['instance-2'], 0], [[], 4]] as const) {
      const after = apply(names, scalePlan(names, desired));
      assert.deepEqual(scalePlan(after, desired), { create: [], remove: [] });
      assert.equal(after.filter((n) => n.startsWith('instance-')).length, desired);
    }
  });
});

describe('quotaShortfall', () => {
  const size = { cpu: 1, memoryGiB: 2 };
  const grow = (n: number): ScalePlan => ({ create: Array.from({ length: n }, (_, i) => 10 + i), remove: [] });
  const quota = (hard: Record<string, string>, used: Record<string, string> = {}): QuotaState => ({ hard, used });

  it('lets any plan through that does not grow the cluster', () => {
    const tiny = quota({ 'requests.cpu': '1m', pods: '0' }, { 'requests.cpu': '10', pods: '10' });
    assert.equal(quotaShortfall(tiny, size, { create: [], remove: ['instance-3'] }), undefined);
    assert.equal(quotaShortfall(tiny, size, { create: [1], remove: ['instance-5'] }), undefined);
  });

  it('lets through growth that fits exactly', () => {
    assert.equal(quotaShortfall(quota({ 'requests.cpu': '6', 'requests.memory': '12Gi' }, { 'requests.cpu': '4', 'requests.memory': '8Gi' }), size, grow(2)), undefined);
    assert.equal(quotaShortfall(quota({ 'requests.cpu': '1500m' }, { 'requests.cpu': '1' }), { cpu: 0.5, memoryGiB: 1 }, grow(1)), undefined);
  });

  it('says how much CPU is missing and how many more fit', () => {
    assert.equal(
      quotaShortfall(quota({ 'requests.cpu': '4' }, { 'requests.cpu': '2' }), size, grow(3)),
      'The quota allows requests.cpu 4 cores; 2 are used and 3 more instances need 3 cores. Room for 2 more: raise the quota or ask for fewer.',
    );
  });

  it('reads memory in any unit', () => {
    assert.equal(
      quotaShortfall(quota({ 'requests.memory': '8Gi' }, { 'requests.memory': '6144Mi' }), { cpu: 1, memoryGiB: 1.5 }, grow(2)),
      'The quota allows requests.memory 8 GiB; 6 are used and 2 more instances need 3 GiB. Room for 1 more: raise the quota or ask for fewer.',
    );
  });

  it('checks limits too, counting missing usage as 0', () => {
    assert.equal(
      quotaShortfall(quota({ 'limits.cpu': '2' }), size, grow(3)),
      'The quota allows limits.cpu 2 cores; 0 are used and 3 more instances need 3 cores. Room for 2 more: raise the quota or ask for fewer.',
    );
  });

  it('says there is no room when usage is already over', () => {
    assert.equal(
      quotaShortfall(quota({ 'requests.cpu': '500m' }, { 'requests.cpu': '500m' }), { cpu: 0.25, memoryGiB: 1 }, grow(1)),
      'The quota allows requests.cpu 0.5 cores; 0.5 are used and 1 more instance needs 0.25 cores. Room for 0 more: raise the quota or ask for fewer.',
    );
  });

  it('reports CPU before memory', () => {
    const message = quotaShortfall(quota({ 'requests.cpu': '1', 'requests.memory': '1Gi' }), size, grow(2));
    assert.match(message ?? '', /^The quota allows requests\.cpu 1 cores;/);
  });

  it('checks the pod count', () => {
    assert.equal(quotaShortfall(quota({ pods: '5' }, { pods: '4' }), size, grow(2)), 'The quota allows 5 pods and 4 exist; 2 more do not fit.');
    assert.equal(quotaShortfall(quota({ pods: '5' }, { pods: '5' }), size, grow(1)), 'The quota allows 5 pods and 5 exist; 1 more does not fit.');
    assert.equal(quotaShortfall(quota({ pods: '5' }, { pods: '3' }), size, grow(2)), undefined);
  });

  it('ignores keys CMP does not set and hard values it cannot read', () => {
    assert.equal(quotaShortfall(quota({ 'requests.storage': '1Gi', 'requests.cpu': 'lots' }, { 'requests.cpu': '100' }), size, grow(50)), undefined);
  });
});

describe('specFromInstance', () => {
  const container: StoredSpec = { instanceType: 'container', image: 'nginx:1.27', cpu: 1.5, memoryGiB: 1.5, count: 4 };
  const vm: StoredSpec = { instanceType: 'vm', image: '', cpu: 2, memoryGiB: 4, count: 4 };

  it('reads back the sizes of a Pod CMP made', () => {
    assert.deepEqual(specFromInstance(instanceManifest({ namespace: 'a-ns', cluster: 'a', spec: container, serviceAccount: true }, 0), 4), container);
  });

  it('reads back the sizes of a VirtualMachine CMP made', () => {
    assert.deepEqual(specFromInstance(instanceManifest({ namespace: 'a-ns', cluster: 'a', spec: vm, serviceAccount: false }, 0), 4), vm);
  });

  it('uses the count it is given', () => {
    assert.equal(specFromInstance(instanceManifest({ namespace: 'a-ns', cluster: 'a', spec: container, serviceAccount: false }, 0), 7)?.count, 7);
  });

  it('reads a Pod that sets only limits', () => {
    const pod = { kind: 'Pod', spec: { containers: [{ image: 'busybox', resources: { limits: { cpu: '250m', memory: '512Mi' } } }] } };
    assert.deepEqual(specFromInstance(pod, 1), { instanceType: 'container', image: 'busybox', cpu: 0.25, memoryGiB: 0.5, count: 1 });
  });

  it('reads a VM that gives cores but no CPU request', () => {
    const machine = { kind: 'VirtualMachine', spec: { template: { spec: { domain: { cpu: { cores: 4 }, resources: { requests: { memory: '8Gi' } } } } } } };
    assert.deepEqual(specFromInstance(machine, 2), { instanceType: 'vm', image: '', cpu: 4, memoryGiB: 8, count: 2 });
  });

  describe('gives up on anything it cannot size', () => {
    const garbage: [string, { kind: string; spec?: unknown }][] = [
      ['another kind', { kind: 'Deployment', spec: { containers: [{ image: 'x', resources: { requests: { cpu: '1', memory: '1Gi' } } }] } }],
      ['a Pod without spec', { kind: 'Pod' }],
      ['a Pod without containers', { kind: 'Pod', spec: { containers: [] } }],
      ['a Pod with a null container', { kind: 'Pod', spec: { containers: [null] } }],
      ['a Pod without image', { kind: 'Pod', spec: { containers: [{ resources: { requests: { cpu: '1', memory: '1Gi' } } }] } }],
      ['a Pod without resources', { kind: 'Pod', spec: { containers: [{ image: 'nginx' }] } }],
      ['a Pod without memory', { kind: 'Pod', spec: { containers: [{ image: 'nginx', resources: { requests: { cpu: '1' } } }] } }],
      ['a Pod with zero CPU', { kind: 'Pod', spec: { containers: [{ image: 'nginx', resources: { requests: { cpu: '0', memory: '1Gi' } } }] } }],
      ['a Pod with unreadable sizes', { kind: 'Pod', spec: { containers: [{ image: 'nginx', resources: { requests: { cpu: 'two', memory: '1 GB' } } }] } }],
      ['a VM without template', { kind: 'VirtualMachine', spec: {} }],
      ['a VM with a string template', { kind: 'VirtualMachine', spec: { template: 'garbage' } }],
      ['a VM without memory', { kind: 'VirtualMachine', spec: { template: { spec: { domain: { cpu: { cores: 2 } } } } } }],
    ];
    for (const [what, instance] of garbage) {
      it(what, () => assert.equal(specFromInstance(instance, 1), undefined));
    }
  });
});
