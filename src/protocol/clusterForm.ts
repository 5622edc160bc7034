// The typed protocol between the cluster form webview (Create, and Edit on a live cluster) and the
// extension host: commands (webview → host), requests with a reply, and notifications (host →
// webview), each named scope/method, each with a guard so neither side acts on a message it has not
// validated.

import type { ClusterFormInput, FieldErrors, ValidationLimits } from '../core/validation';
import { clipLines, clipText } from './guards';

export interface FormDefaults {
  input: ClusterFormInput;
  limits: ValidationLimits;
  contextName: string;
  /** Why VMs are unavailable, when they are. */
  vmUnavailableReason?: string;
  /** Set when the form edits a live cluster rather than creating one. */
  edit?: EditContext;
}

/** What the edit form shows beside the values: all read from the API, all shown as text. */
export interface EditContext {
  namespace: string;
  /** The reserved labels, shown locked ("managed-by=cmp, cluster=a, …"). */
  lockedLabels: string;
  /** The quota's current use ("in use: 1.5 cores"), per quota field; empty when there is no quota. */
  quotaCpuUsed: string;
  quotaMemoryUsed: string;
  /** "instance-2: image nginx:1.26", one per instance made with another image or size than the stored spec. */
  offSpec: string[];
  /** Which field has the focus when the form opens (the inline ↔ button opens it at the count). */
  focus?: 'count';
}

/** One object a reviewed edit writes: its title ("update ResourceQuota cluster-quota") and diff. */
export interface ReviewedObject {
  title: string;
  diff: string;
}

/** Webview → host. */
export type FormMessage =
  | { type: 'form/ready' }
  | { type: 'form/checkName'; requestId: number; name: string }
  | { type: 'form/preview'; requestId: number; input: ClusterFormInput }
  | { type: 'form/create'; input: ClusterFormInput }
  /** Edit: dry-run what the input changes and show it; Apply writes exactly what was reviewed. */
  | { type: 'form/review'; requestId: number; input: ClusterFormInput }
  | { type: 'form/apply'; requestId: number; input: ClusterFormInput }
  | { type: 'form/cancel' };

export const formMessageTypes: readonly FormMessage['type'][] = ['form/ready', 'form/checkName', 'form/preview', 'form/create', 'form/review', 'form/apply', 'form/cancel'];

/** Host → webview. */
export type HostMessage =
  | { type: 'host/init'; defaults: FormDefaults; restored?: ClusterFormInput }
  | { type: 'host/nameChecked'; requestId: number; name: string; error?: string }
  | { type: 'host/previewed'; requestId: number; yaml?: string; errors?: FieldErrors; error?: string }
  | { type: 'host/busy'; message: string }
  | { type: 'host/failed'; message: string; errors?: FieldErrors }
  | { type: 'host/created'; name: string; namespace: string }
  /** What the user may not do that Create needs (`needs: create namespaces`), asked after init; undefined when allowed. */
  | { type: 'host/access'; missing?: string }
  /** Edit: the review of one input; Apply is offered only for it, and only without `missing`. */
  | { type: 'host/reviewed'; requestId: number; objects: ReviewedObject[]; count?: string; warnings: string[]; missing?: string; errors?: FieldErrors; error?: string }
  | { type: 'host/applied'; requestId: number; message: string }
  /** Edit: the live values read again (after a conflict or an apply); the form keeps the user's input unless `replace`. */
  | { type: 'host/live'; input: ClusterFormInput; edit: EditContext; message: string; replace: boolean }
  /** Edit: the cluster changed on the server while the form is open. */
  | { type: 'host/serverChanged'; message: string };

const inputStringKeys = ['name', 'instanceType', 'image', 'cpu', 'memoryGiB', 'count', 'quotaCpu', 'quotaMemoryGiB', 'labels'] as const;
const inputBooleanKeys = ['resourceQuota', 'limitRange', 'networkPolicy', 'serviceAccount'] as const;
const maxFieldLength = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isClusterFormInput(value: unknown): value is ClusterFormInput {
  if (!isRecord(value)) return false;
  return inputStringKeys.every((k) => typeof value[k] === 'string' && (value[k] as string).length <= maxFieldLength)
    && inputBooleanKeys.every((k) => typeof value[k] === 'boolean');
}

const isRequestId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

export function isFormMessage(value: unknown): value is FormMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'form/ready':
    case 'form/cancel':
      return true;
    case 'form/checkName':
      return isRequestId(value.requestId) && typeof value.name === 'string' && value.name.length <= 256;
    case 'form/preview':
      return isRequestId(value.requestId) && isClusterFormInput(value.input);
    case 'form/create':
      return isClusterFormInput(value.input);
    case 'form/review':
    case 'form/apply':
      return isRequestId(value.requestId) && isClusterFormInput(value.input);
    default:
      return false;
  }
}

function isFieldErrors(value: unknown): value is FieldErrors {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');

function isEditContext(value: unknown): value is EditContext {
  return isRecord(value) && typeof value.namespace === 'string' && typeof value.lockedLabels === 'string'
    && typeof value.quotaCpuUsed === 'string' && typeof value.quotaMemoryUsed === 'string' && isStringList(value.offSpec)
    && (value.focus === undefined || value.focus === 'count');
}

const isReviewedObject = (value: unknown): value is ReviewedObject => isRecord(value) && typeof value.title === 'string' && typeof value.diff === 'string';

export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'host/init':
      return isRecord(value.defaults) && isClusterFormInput(value.defaults.input) && isRecord(value.defaults.limits)
        && (value.defaults.edit === undefined || isEditContext(value.defaults.edit))
        && (value.restored === undefined || isClusterFormInput(value.restored));
    case 'host/nameChecked':
      return isRequestId(value.requestId) && typeof value.name === 'string' && optionalString(value.error);
    case 'host/previewed':
      return isRequestId(value.requestId) && optionalString(value.yaml) && optionalString(value.error) && (value.errors === undefined || isFieldErrors(value.errors));
    case 'host/busy':
      return typeof value.message === 'string';
    case 'host/failed':
      return typeof value.message === 'string' && (value.errors === undefined || isFieldErrors(value.errors));
    case 'host/created':
      return typeof value.name === 'string' && typeof value.namespace === 'string';
    case 'host/access':
      return optionalString(value.missing);
    case 'host/reviewed':
      return isRequestId(value.requestId) && Array.isArray(value.objects) && value.objects.every(isReviewedObject) && optionalString(value.count)
        && isStringList(value.warnings) && optionalString(value.missing) && optionalString(value.error) && (value.errors === undefined || isFieldErrors(value.errors));
    case 'host/applied':
      return isRequestId(value.requestId) && typeof value.message === 'string';
    case 'host/live':
      return isClusterFormInput(value.input) && isEditContext(value.edit) && typeof value.message === 'string' && typeof value.replace === 'boolean';
    case 'host/serverChanged':
      return typeof value.message === 'string';
    default:
      return false;
  }
}

/** The longest server or validation message the form shows; the host cuts to it. */
export const formMessageLimit = 4096;
/** The longest diff of one object the review shows, and the most objects and lines beside it. */
export const diffLimit = 64 * 1024;
const listLimit = 200;

/** Makes the texts of a host message that can come from a server inert and bounded (see clipText). */
export function boundedFormHostMessage(message: HostMessage): HostMessage {
  const errors = (e: FieldErrors | undefined): FieldErrors | undefined => e && Object.fromEntries(Object.entries(e).map(([k, v]) => [k, clipText(v ?? '', formMessageLimit)]));
  switch (message.type) {
    case 'host/failed':
      return { ...message, message: clipText(message.message, formMessageLimit), ...(message.errors ? { errors: errors(message.errors) } : {}) };
    case 'host/busy':
      return { ...message, message: clipText(message.message, formMessageLimit) };
    case 'host/access':
      return message.missing === undefined ? message : { ...message, missing: clipText(message.missing, formMessageLimit) };
    case 'host/nameChecked':
      return message.error === undefined ? message : { ...message, error: clipText(message.error, formMessageLimit) };
    case 'host/previewed':
      return { ...message, ...(message.error === undefined ? {} : { error: clipText(message.error, formMessageLimit) }), ...(message.errors ? { errors: errors(message.errors) } : {}) };
    case 'host/reviewed':
      return {
        ...message,
        objects: message.objects.slice(0, listLimit).map((o) => ({ title: clipText(o.title, formMessageLimit), diff: clipLines(o.diff, diffLimit) })),
        warnings: message.warnings.slice(0, listLimit).map((w) => clipText(w, formMessageLimit)),
        ...(message.count === undefined ? {} : { count: clipText(message.count, formMessageLimit) }),
        ...(message.missing === undefined ? {} : { missing: clipText(message.missing, formMessageLimit) }),
        ...(message.error === undefined ? {} : { error: clipText(message.error, formMessageLimit) }),
        ...(message.errors ? { errors: errors(message.errors) } : {}),
      };
    case 'host/applied':
    case 'host/serverChanged':
      return { ...message, message: clipText(message.message, formMessageLimit) };
    case 'host/live':
      return { ...message, message: clipText(message.message, formMessageLimit), edit: boundedEdit(message.edit) };
    case 'host/init':
      return message.defaults.edit ? { ...message, defaults: { ...message.defaults, edit: boundedEdit(message.defaults.edit) } } : message;
    default:
      return message;
  }
}

function boundedEdit(edit: EditContext): EditContext {
  return {
    ...edit,
    lockedLabels: clipText(edit.lockedLabels, formMessageLimit),
    quotaCpuUsed: clipText(edit.quotaCpuUsed, formMessageLimit),
    quotaMemoryUsed: clipText(edit.quotaMemoryUsed, formMessageLimit),
    offSpec: edit.offSpec.slice(0, listLimit).map((o) => clipText(o, formMessageLimit)),
  };
}
