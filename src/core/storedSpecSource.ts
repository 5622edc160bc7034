// Where a cluster's instance sizes come from: the namespace's stored spec, or else the lowest
// instance that exists (clusters made by other CMP tools may lack the annotation).

import type { StoredSpec } from './clusterSpec';
import type { KubeObject } from './kubeTypes';
import { instanceIndexOf } from './names';
import { specFromInstance } from './plans';


export function specFromInstanceFallback(instances: readonly KubeObject[], count: number): StoredSpec | undefined {
  const sorted = [...instances]
    .filter((o) => instanceIndexOf(o.metadata.name) !== undefined)
    .sort((a, b) => (instanceIndexOf(a.metadata.name) ?? 0) - (instanceIndexOf(b.metadata.name) ?? 0));
  for (const instance of sorted) {
    const spec = specFromInstance(instance, count);
    if (spec) return spec;
  }
  return undefined;
}
