// What the user may do on one cluster, in one request: a SelfSubjectRulesReview for the rules that
// apply in its namespace, read locally against every action's checks (the API authorizes requests
// on the namespace object itself within that namespace too, so they are covered). Where the review
// says its list is incomplete (a webhook authorizer), each check is asked with a
// SelfSubjectAccessReview instead.

import { actionAlternatives, actionPermissions, clusterActionChecks, rulesAllow, type AccessCheck, type ActionPermission, type ResourceRule } from '../core/permissions';
import { canI } from './accessReview';
import type { ApiTransport } from './apiTransport';

const checkKey = (c: AccessCheck): string => JSON.stringify([c.verb, c.group ?? '', c.resource, c.subresource ?? '', c.namespace ?? '', c.name ?? '']);

export async function readPermissions(transport: ApiTransport, namespace: string, signal?: AbortSignal, instanceType: 'container' | 'vm' = 'container'): Promise<ActionPermission[]> {
  const checks = clusterActionChecks(namespace, instanceType);
  const alternatives = actionAlternatives(namespace);
  const all = [...new Map([...Object.values(checks), ...Object.values(alternatives)].flat().map((c) => [checkKey(c), c])).values()];
  const review = await transport.request<{ status?: { resourceRules?: ResourceRule[]; incomplete?: boolean } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
    signal,
    timeoutMs: 15_000,
  });
  const rules = review.status?.resourceRules ?? [];
  const answers = new Map((review.status?.incomplete ? await canI(transport, all, signal) : []).map((a) => [checkKey(a.check), a.allowed]));
  return actionPermissions(checks, (check) => answers.get(checkKey(check)) ?? rulesAllow(rules, check), alternatives);
}
