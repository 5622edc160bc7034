// The few Kubernetes object shapes the core reads and writes, kept structural so the core needs no
// client library: plain JSON in, plain JSON out.

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

/** Where an object lives in the API: the collection URL it is POSTed to. */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
}

export const resources = {
  namespaces: { group: '', version: 'v1', plural: 'namespaces', namespaced: false },
  pods: { group: '', version: 'v1', plural: 'pods', namespaced: true },
  resourceQuotas: { group: '', version: 'v1', plural: 'resourcequotas', namespaced: true },
  limitRanges: { group: '', version: 'v1', plural: 'limitranges', namespaced: true },
  serviceAccounts: { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true },
  networkPolicies: { group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', namespaced: true },
  roleBindings: { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', namespaced: true },
  virtualMachines: { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines', namespaced: true },
  events: { group: 'events.k8s.io', version: 'v1', plural: 'events', namespaced: true },
  coreEvents: { group: '', version: 'v1', plural: 'events', namespaced: true },
} as const satisfies Record<string, ResourceRef>;

/** The API path of a collection, or of one object in it when name is given. */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string): string {
  const base = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? '')}` : '';
  return `${base}${ns}/${ref.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

export function refOfKind(kind: string): ResourceRef {
  const byKind: Record<string, ResourceRef> = {
    Namespace: resources.namespaces,
    Pod: resources.pods,
    ResourceQuota: resources.resourceQuotas,
    LimitRange: resources.limitRanges,
    ServiceAccount: resources.serviceAccounts,
    NetworkPolicy: resources.networkPolicies,
    RoleBinding: resources.roleBindings,
    VirtualMachine: resources.virtualMachines,
  };
  const ref = byKind[kind];
  if (!ref) throw new Error(`no resource known for kind ${kind}`);
  return ref;
}

/** The namespace an API path is inside (`/api/v1/namespaces/a-ns/pods` → a-ns; the namespace object itself counts), else undefined. */
export function namespaceOfPath(path: string): string | undefined {
  const match = /^\/(?:api\/v1|apis\/[^/]+\/[^/]+)\/namespaces\/([^/?]+)/.exec(path);
  return match ? decodeURIComponent(match[1] ?? '') : undefined;
}
