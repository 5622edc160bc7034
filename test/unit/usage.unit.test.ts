// Quota used/hard rows and per-instance CPU and memory from metrics.k8s.io, formatted like kubectl top.
import * as assert from 'node:assert/strict';
import { formatCpuUsage, formatMemoryUsage, podUsageLine, podUsages, quotaUsageLine, quotaUsages } from '../../src/core/usage';

const quota = (name: string, hard: Record<string, string>, used?: Record<string, string>) => ({
  apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'my-app-ns' }, status: { hard, ...(used ? { used } : {}) },
});

describe('quotaUsages', () => {
  it('lists every hard limit with its use and percentage, in resource order', () => {
    const rows = quotaUsages([quota('cluster-quota', { 'requests.memory': '2Gi', 'requests.cpu': '2', pods: '10' }, { 'requests.cpu': '500m', 'requests.memory': '1536Mi', pods: '3' })]);
    assert.deepEqual(rows.map(quotaUsageLine), ['pods: 3 / 10 (30%)', 'requests.cpu: 500m / 2 (25%)', 'requests.memory: 1536Mi / 2Gi (75%)']);
    assert.equal(rows[0]?.quota, 'cluster-quota');
  });

  it('counts a resource without use as 0 and leaves out a percentage it cannot compute', () => {
    const rows = quotaUsages([quota('q', { 'requests.cpu': '0', 'count/widgets.example.com': 'x' })]);
    assert.deepEqual(rows.map(quotaUsageLine), ['count/widgets.example.com: 0 / x', 'requests.cpu: 0 / 0']);
  });

  it('skips what is not a quota, and a quota with no status yet', () => {
    assert.deepEqual(quotaUsages([null, { metadata: { name: 'new' } }, 'x']), []);
  });
});

describe('podUsages', () => {
  const podMetrics = (name: string, containers: { cpu: string; memory: string }[]) => ({
    metadata: { name, namespace: 'my-app-ns' }, timestamp: '2026-01-01T00:00:00Z', window: '30s', containers: containers.map((usage, i) => ({ name: `c${i}`, usage })),
  });

  it('sums containers per pod from a PodMetricsList, in instance order', () => {
    const rows = podUsages({ kind: 'PodMetricsList', items: [podMetrics('instance-10', [{ cpu: '1m', memory: '1Mi' }]), podMetrics('instance-2', [{ cpu: '12345678n', memory: '10240Ki' }, { cpu: '3m', memory: '5Mi' }])] });
    assert.deepEqual(rows.map((r) => r.name), ['instance-2', 'instance-10']);
    assert.deepEqual(rows.map(podUsageLine), ['instance-2: CPU 15m, memory 15Mi', 'instance-10: CPU 1m, memory 1Mi']);
  });

  it('reads a single PodMetrics too', () => {
    assert.deepEqual(podUsages(podMetrics('instance-0', [{ cpu: '250m', memory: '64Mi' }])), [{ name: 'instance-0', cpuCores: 0.25, memoryBytes: 64 * 2 ** 20 }]);
  });

  it('ignores malformed items', () => {
    assert.deepEqual(podUsages({ items: [{ metadata: {} }, 7] }), []);
    assert.deepEqual(podUsages(undefined), []);
  });

  it('formats like kubectl top', () => {
    assert.equal(formatCpuUsage(0.0124), '12m');
    assert.equal(formatMemoryUsage(35 * 2 ** 20 + 1000), '35Mi');
  });
});
