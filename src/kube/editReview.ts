// One review of the Edit form, against the API and without vscode: the cluster read again, the
// user's input rebased on it (what the user did not touch follows the server), validated as Create
// validates, the access each write needs asked first (a dry run is authorized as the write, so a
// refused one would only fail), then every change dry-run with its diff.

import { editChanges, editFormInput, editNotes, validateEditInput, type ObjectChange } from '../core/clusterEdit';
import { rebaseInput } from '../core/editForm';
import { refOfKind } from '../core/kubeTypes';
import { changeChecks, clusterActionChecks, describeCheck, type AccessCheck } from '../core/permissions';
import type { ClusterFormInput, FieldErrors, ValidationLimits } from '../core/validation';
import { canI } from './accessReview';
import { describeError } from './apiError';
import { readLiveCluster, reviewEdit, type LiveClusterRead } from './clusterEditor';
import type { KubeClient } from './kubeClient';

export interface ReviewTarget {
  client: KubeClient;
  contextName: string;
  namespace: string;
  cluster: string;
  uid: string | undefined;
}

/** What the form is told of a review (see host/reviewed), and what Apply may write when it is clean. */
export interface FormReview {
  input?: ClusterFormInput;
  base?: ClusterFormInput;
  objects: { title: string; diff: string }[];
  count?: string;
  warnings: string[];
  missing?: string;
  errors?: FieldErrors;
  error?: string;
  /** Set only when Apply may write: nothing invalid, refused or missing. */
  writable?: { live: LiveClusterRead; changes: ObjectChange[]; desired: number };
}

export async function reviewForm(target: ReviewTarget, input: ClusterFormInput, base: ClusterFormInput, limits: ValidationLimits, onLog: (message: string) => void): Promise<FormReview> {
  const live = await readLiveCluster(target.client, target.namespace, target.uid);
  const liveInput = editFormInput(live);
  const rebased = rebaseInput(base, input, liveInput);
  const shown = { input: rebased.input, base: liveInput };
  const { errors, spec } = validateEditInput(rebased.input, limits, { name: target.cluster, instanceType: live.spec.instanceType }, liveInput.resourceQuota);
  if (!spec) return { ...shown, objects: [], warnings: [], errors };
  const warnings = [
    ...(rebased.kept.length ? [`Changed on the server since the form was loaded, and kept as the server has it: ${rebased.kept.join('; ')}.`] : []),
    ...editNotes(live, spec),
  ];
  const current = live.instances.length;
  const count = spec.count === current ? undefined : `Instances: ${current} → ${spec.count}, after the changes above, as Scale does (past the quota you are offered to raise it).`;
  const candidates = editChanges(live, spec);
  const writes = changeChecks(candidates.map((c) => ({ action: c.action, name: c.name, namespace: target.namespace, ...pluralOf(c.kind) })));
  const missing = await missingAccess(target, [...writes, ...(count ? clusterActionChecks(target.namespace, live.spec.instanceType).scale : [])], onLog);
  if (missing) {
    const objects = candidates.map((c) => ({ title: `${c.action} ${c.kind} ${c.name}`, diff: '(not dry-run: you may not make this change)' }));
    return { ...shown, objects, count, warnings, missing };
  }
  try {
    const review = await reviewEdit(target.client, live, spec);
    const objects = review.changes.map((r) => ({ title: `${r.change.action} ${r.change.kind} ${r.change.name}`, diff: r.diff }));
    const changes = review.changes.map((r) => r.change);
    return { ...shown, objects, count, warnings: [...warnings, ...review.warnings], writable: { live, changes, desired: spec.count } };
  } catch (error) {
    return { ...shown, objects: [], warnings, error: describeError(error) };
  }
}

/** "needs: patch namespace a-ns, …" for the checks the API refuses; undefined when all are allowed (or it could not be asked: the write then says). */
export async function missingAccess(target: ReviewTarget, checks: AccessCheck[], onLog: (message: string) => void): Promise<string | undefined> {
  if (checks.length === 0) return undefined;
  try {
    const refused = (await canI(target.client.transport, checks)).filter((a) => !a.allowed);
    return refused.length ? `needs: ${refused.map((a) => describeCheck(a.check)).join(', ')} (asked the API for context ${target.contextName})` : undefined;
  } catch (error) {
    onLog(`could not ask what you may change in ${target.namespace}: ${describeError(error)}`);
    return undefined;
  }
}

function pluralOf(kind: string): { resource: string; group: string } {
  const ref = refOfKind(kind);
  return { resource: ref.plural, group: ref.group };
}
