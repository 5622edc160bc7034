// What each CMP action needs of the API, as verbs on resources (what `kubectl auth can-i` asks), and
// how to read a SelfSubjectRulesReview's rules: whether they allow one check, with RBAC's wildcards
// ("*" verbs, groups and resources, "*/exec" subresources, resourceNames). Pure data and logic: the
// API is asked in kube/permissionReader.ts, the answers shown by the tree and Show My Permissions.

/** One verb on one resource, optionally in a namespace and for one name. */
export interface AccessCheck {
  verb: string;
  resource: string;
  subresource?: string;
  group?: string;
  namespace?: string;
  name?: string;
}

/** `create pods/exec in namespace a-ns`, as a person reads it. */
export function describeCheck(check: AccessCheck): string {
  if (check.resource === 'namespaces' && !check.group && check.name) return `${check.verb} namespace ${check.name}`;
  const resource = `${check.group ? `${check.resource}.${check.group}` : check.resource}${check.subresource ? `/${check.subresource}` : ''}`;
  return `${check.verb} ${resource}${check.namespace ? ` in namespace ${check.namespace}` : ''}`;
}

export const clusterActions = ['edit', 'scale', 'delete', 'events', 'logs', 'describe', 'terminal', 'portForward', 'deleteInstance', 'raiseQuota'] as const;
export type ClusterAction = (typeof clusterActions)[number];

export const actionTitles: Record<ClusterAction, string> = {
  edit: 'Edit (labels, sizes, guard rails)',
  scale: 'Scale',
  delete: 'Delete cluster',
  events: 'Show Events',
  logs: 'Show Logs',
  describe: 'Describe',
  terminal: 'Open Terminal',
  portForward: 'Port Forward',
  deleteInstance: 'Delete Instance',
  raiseQuota: 'Raise the quota (when a scale needs it)',
};

/** The checks behind each action on the cluster in `namespace`; a VM cluster's instances are KubeVirt VirtualMachines, asked as such. */
export function clusterActionChecks(namespace: string, instanceType: 'container' | 'vm' = 'container'): Record<ClusterAction, AccessCheck[]> {
  const inNs = (verb: string, resource: string, extra: Partial<AccessCheck> = {}): AccessCheck => ({ verb, resource, namespace, ...extra });
  const vm = instanceType === 'vm';
  const instance = (verb: string): AccessCheck => (vm ? inNs(verb, 'virtualmachines', { group: 'kubevirt.io' }) : inNs(verb, 'pods'));
  return {
    // Reading the cluster and storing labels and sizes on its namespace; each guard rail change is asked on review (changeChecks).
    edit: [inNs('patch', 'namespaces', { name: namespace }), inNs('get', 'resourcequotas'), inNs('get', 'limitranges')],
    // Storing the count on the namespace (patch) is skipped, and said, for a user who may not.
    scale: [inNs('get', 'namespaces', { name: namespace }), inNs('get', 'resourcequotas'), instance('list'), instance('create'), instance('delete')],
    // The API authorizes a request on the namespace object itself within that namespace.
    delete: [inNs('delete', 'namespaces', { name: namespace })],
    events: [inNs('list', 'events', { group: 'events.k8s.io' }), inNs('watch', 'events', { group: 'events.k8s.io' })],
    logs: [inNs('get', 'pods', { subresource: 'log' })],
    describe: [instance('get'), inNs('get', 'resourcequotas'), inNs('get', 'limitranges')],
    // A VM's terminal is its serial console (subresources.kubevirt.io), a container's an exec.
    terminal: vm
      ? [inNs('get', 'virtualmachineinstances', { group: 'subresources.kubevirt.io', subresource: 'console' })]
      : [inNs('create', 'pods', { subresource: 'exec' }), inNs('get', 'pods', { subresource: 'exec' })],
    portForward: [inNs('create', 'pods', { subresource: 'portforward' }), inNs('get', 'pods', { subresource: 'portforward' })],
    deleteInstance: [instance('delete')],
    raiseQuota: [inNs('patch', 'resourcequotas', { name: 'cluster-quota' })],
  };
}

/**
 * Another whole set of checks that serves an action as well, where there is one: the Events pane
 * reads events.k8s.io and falls back to core/v1 events (the same events), listing and watching
 * through one API, so one set must be granted whole.
 */
export function actionAlternatives(namespace: string): Partial<Record<ClusterAction, AccessCheck[]>> {
  return { events: ['list', 'watch'].map((verb) => ({ verb, resource: 'events', namespace })) };
}

/** The verb each reviewed write needs: create, patch (a merge patch) or delete of that kind, by name. */
export function changeChecks(changes: readonly { action: 'create' | 'update' | 'delete'; resource: string; group: string; namespace?: string; name: string }[]): AccessCheck[] {
  return changes.map((c) => ({
    verb: c.action === 'update' ? 'patch' : c.action,
    resource: c.resource,
    ...(c.group ? { group: c.group } : {}),
    // A namespace is authorized within itself; a create has no name to ask about yet.
    ...(c.namespace ? { namespace: c.namespace } : {}),
    ...(c.action === 'create' ? {} : { name: c.name }),
  }));
}

/** What Create needs before the namespace exists: making namespaces (the guard rails and instances go inside the new one). */
export function createClusterChecks(): AccessCheck[] {
  return [{ verb: 'create', resource: 'namespaces' }];
}

/** A rule of a SelfSubjectRulesReview's resourceRules. */
export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

function resourceMatches(patterns: readonly string[], resource: string, subresource: string | undefined): boolean {
  const full = subresource ? `${resource}/${subresource}` : resource;
  // As RBAC's ResourceMatches: "*", the exact resource[/subresource], or "*/subresource" (there is no "pods/*").
  return patterns.some((p) => p === '*' || p === full || (subresource !== undefined && p === `*/${subresource}`));
}

/** Whether any rule allows the check (RBAC is additive: no rule denies). */
export function rulesAllow(rules: readonly ResourceRule[], check: AccessCheck): boolean {
  return rules.some((rule) =>
    (rule.verbs.includes('*') || rule.verbs.includes(check.verb))
    && (rule.apiGroups ?? []).some((g) => g === '*' || g === (check.group ?? ''))
    && resourceMatches(rule.resources ?? [], check.resource, check.subresource)
    && (!rule.resourceNames?.length || (check.name !== undefined && rule.resourceNames.includes(check.name))));
}

/** One action's answer: allowed, and the checks it failed (what the user would need). */
export interface ActionPermission {
  action: ClusterAction;
  allowed: boolean;
  missing: AccessCheck[];
  checks: { check: AccessCheck; allowed: boolean }[];
}

/**
 * Every action's answer from one answer per check. An action with an alternative set is allowed
 * when either set is granted whole; its answer then lists the set that is (else the first one's
 * missing checks, and both sets' answers).
 */
export function actionPermissions(checks: Record<ClusterAction, AccessCheck[]>, allowed: (check: AccessCheck) => boolean, alternatives: Partial<Record<ClusterAction, AccessCheck[]>> = {}): ActionPermission[] {
  return clusterActions.map((action) => {
    const answers = checks[action].map((check) => ({ check, allowed: allowed(check) }));
    const missing = answers.filter((a) => !a.allowed).map((a) => a.check);
    const other = alternatives[action]?.map((check) => ({ check, allowed: allowed(check) }));
    if (missing.length === 0 || !other) return { action, allowed: missing.length === 0, missing, checks: answers };
    if (other.every((a) => a.allowed)) return { action, allowed: true, missing: [], checks: other };
    return { action, allowed: false, missing, checks: [...answers, ...other] };
  });
}

/** "Delete cluster (needs delete namespaces), …": what the user may not do here, for a tooltip. */
export function deniedSummary(permissions: readonly ActionPermission[]): string | undefined {
  const denied = permissions.filter((p) => !p.allowed);
  if (denied.length === 0) return undefined;
  return denied.map((p) => `${actionTitles[p.action]} (needs ${p.missing.map(describeCheck).join(', ')})`).join('; ');
}

/** One row of "Show My Permissions": the action, allowed or not, and each check behind it with its answer. */
export interface PermissionRow {
  action: string;
  allowed: boolean;
  checks: string;
}

export function permissionRows(permissions: readonly ActionPermission[]): PermissionRow[] {
  return permissions.map((p) => ({
    action: actionTitles[p.action],
    allowed: p.allowed,
    checks: p.checks.map((c) => `${c.allowed ? '✓' : '✗'} ${describeCheck(c.check)}`).join(' · '),
  }));
}
