// What the user may do, asked of the API as `kubectl auth can-i` asks it: one SelfSubjectAccessReview
// per verb and resource, sent together. requireAccess turns a refusal into the 403 the action would
// have met, naming the verb, the resource and the namespace, before anything is opened or written.

import { describeCheck, type AccessCheck } from '../core/permissions';
import { ApiError } from './apiError';
import type { ApiTransport } from './apiTransport';

export interface AccessAnswer {
  check: AccessCheck;
  allowed: boolean;
  reason?: string;
}

export async function canI(transport: ApiTransport, checks: readonly AccessCheck[], signal?: AbortSignal): Promise<AccessAnswer[]> {
  return Promise.all(checks.map((check) => askOne(transport, check, signal)));
}

async function askOne(transport: ApiTransport, check: AccessCheck, signal?: AbortSignal): Promise<AccessAnswer> {
  const review = await transport.request<{ status?: { allowed?: boolean; denied?: boolean; reason?: string } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: check.verb, resource: check.resource, subresource: check.subresource, group: check.group ?? '', namespace: check.namespace, name: check.name } },
    },
    signal,
    timeoutMs: 15_000,
  });
  return { check, allowed: review.status?.allowed === true, reason: review.status?.reason || undefined };
}

/** Throws a 403 ApiError naming every check the user fails; resolves when all are allowed. */
export async function requireAccess(transport: ApiTransport, checks: readonly AccessCheck[], signal?: AbortSignal): Promise<void> {
  const refused = (await canI(transport, checks, signal)).filter((answer) => !answer.allowed);
  if (refused.length === 0) return;
  throw new ApiError(403, 'Forbidden', `You may not ${refused.map((answer) => describeCheck(answer.check)).join(', nor ')} (asked the API with a SelfSubjectAccessReview).`);
}

/** What opening a terminal in a pod needs: `create` and `get` on pods/exec in its namespace. */
export function execChecks(namespace: string, pod: string): AccessCheck[] {
  return ['create', 'get'].map((verb) => ({ verb, resource: 'pods', subresource: 'exec', namespace, name: pod }));
}

/** What forwarding a pod's port needs: `create` and `get` on pods/portforward in its namespace. */
export function portForwardChecks(namespace: string, pod: string): AccessCheck[] {
  return ['create', 'get'].map((verb) => ({ verb, resource: 'pods', subresource: 'portforward', namespace, name: pod }));
}
