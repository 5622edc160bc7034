// The typed protocol between the cluster form webview and the extension host: commands (webview →
// host), requests with a reply, and notifications (host → webview), each named scope/method, each
// with a guard so neither side acts on a message it has not validated.

import type { ClusterFormInput, FieldErrors, ValidationLimits } from '../core/validation';
import { clipText } from './guards';

export interface FormDefaults {
  input: ClusterFormInput;
  limits: ValidationLimits;
  contextName: string;
  /** Why VMs are unavailable, when they are. */
  vmUnavailableReason?: string;
}

/** Webview → host. */
export type FormMessage =
  | { type: 'form/ready' }
  | { type: 'form/checkName'; requestId: number; name: string }
  | { type: 'form/preview'; requestId: number; input: ClusterFormInput }
  | { type: 'form/create'; input: ClusterFormInput }
  | { type: 'form/cancel' };

export const formMessageTypes: readonly FormMessage['type'][] = ['form/ready', 'form/checkName', 'form/preview', 'form/create', 'form/cancel'];

/** Host → webview. */
export type HostMessage =
  | { type: 'host/init'; defaults: FormDefaults; restored?: ClusterFormInput }
  | { type: 'host/nameChecked'; requestId: number; name: string; error?: string }
  | { type: 'host/previewed'; requestId: number; yaml?: string; errors?: FieldErrors; error?: string }
  | { type: 'host/busy'; message: string }
  | { type: 'host/failed'; message: string; errors?: FieldErrors }
  | { type: 'host/created'; name: string; namespace: string }
  /** What the user may not do that Create needs (`needs: create namespaces`), asked after init; undefined when allowed. */
  | { type: 'host/access'; missing?: string };

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
    default:
      return false;
  }
}

function isFieldErrors(value: unknown): value is FieldErrors {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

export function isHostMessage(value: unknown): value is HostMessage {
  if (!isRecord(value) || typeof value.type !== 'string') return false;
  switch (value.type) {
    case 'host/init':
      return isRecord(value.defaults) && isClusterFormInput(value.defaults.input) && isRecord(value.defaults.limits)
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
    default:
      return false;
  }
}

/** The longest server or validation message the form shows; the host cuts to it. */
export const formMessageLimit = 4096;

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
    default:
      return message;
  }
}
