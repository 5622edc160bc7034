// The clusters the bench makes: small container instances (kwok runs any image), with guard rails
// off or all on (the quota holding exactly the cluster), built by the same core code as the product.
import { quotaFor, type ClusterSpec, type Isolation } from '../../src/core/clusterSpec';

export const benchImage = 'registry.invalid/cmp/bench:1';

const noGuardRails: Isolation = { resourceQuota: false, quotaCpu: 0, quotaMemoryGiB: 0, limitRange: false, networkPolicy: false, serviceAccount: false };

export function benchSpec(name: string, count: number, guardRails: boolean, sizes = { cpu: 0.1, memoryGiB: 0.125 }): ClusterSpec {
  const isolation: Isolation = guardRails
    ? { resourceQuota: true, ...quotaFor(sizes.cpu, sizes.memoryGiB, count), limitRange: true, networkPolicy: true, serviceAccount: true }
    : noGuardRails;
  return { name, instanceType: 'container', image: benchImage, cpu: sizes.cpu, memoryGiB: sizes.memoryGiB, count, isolation, labels: {} };
}
