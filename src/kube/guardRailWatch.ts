// Watches one cluster's guard rails (its quota, LimitRange, NetworkPolicy, ServiceAccount and
// RoleBinding), each by name, so an open edit form hears of a change someone else made. A kind
// the user may not list or watch is left out quietly: the form's review reads it anyway.

import { guardRailKeys, guardRailRefs, type GuardRailKey } from '../core/clusterEdit';
import { resourcePath, type KubeObject } from '../core/kubeTypes';
import { guardRailNames } from '../core/manifests';
import type { ApiTransport } from './apiTransport';
import { ListWatch } from './listWatch';

/** Calls `onObject` with each guard rail as it is after every list and change (undefined: absent). */
export function watchGuardRails(transport: ApiTransport, namespace: string, onObject: (key: GuardRailKey, object: KubeObject | undefined) => void): { dispose(): void } {
  const watches = guardRailKeys.map((key) => {
    const watch = new ListWatch(transport, {
      path: resourcePath(guardRailRefs[key], namespace),
      fieldSelector: `metadata.name=${guardRailNames[key]}`,
      stopOn: (error) => error.isForbidden || error.isNotFound,
      // A tenant may not list RoleBindings, say: that is no news for the tree's permissions.
      refusalExpected: true,
    }, {
      onSync: (objects) => onObject(key, objects[0]),
      onEvent: (type, object) => onObject(key, type === 'DELETED' ? undefined : object),
      // Passing faults are retried by the watch; a refusal stops it (stopOn).
      onError: () => undefined,
    });
    watch.start();
    return watch;
  });
  return { dispose: () => watches.forEach((w) => w.dispose()) };
}
