// The typed protocol between the cluster form webview (Create, and Edit on a live cluster) and the
// extension host: commands (webview → host), requests with a reply, and notifications (host →
// webview), each named scope/method. Each message is described once, as a valibot schema: the
// TypeScript types are inferred from it and its guard checks it, so neither side acts on a message
// it has not validated.

import * as v from 'valibot';
import type { ClusterFormInput, FieldErrors, ValidationLimits } from '../core/validation';
import { clipLines, clipText, messageTypes, requestId, text } from './guards';

const formText = text(10_000);
const optionalText = v.optional(v.string());
const textList = v.array(v.string());

const clusterFormInput: v.GenericSchema<ClusterFormInput> = v.object({
  name: formText, instanceType: formText, image: formText, cpu: formText, memoryGiB: formText, count: formText,
  resourceQuota: v.boolean(), quotaCpu: formText, quotaMemoryGiB: formText,
  // A live namespace may carry more label text than the form accepts typed (validation says so); it must still arrive.
  limitRange: v.boolean(), networkPolicy: v.boolean(), serviceAccount: v.boolean(), labels: text(262_144),
});

const validationLimits: v.GenericSchema<ValidationLimits> = v.object({
  maxInstances: v.number(), vmAvailable: v.boolean(), maxCpuPerInstance: v.number(), maxMemoryGiBPerInstance: v.number(), minInstances: v.optional(v.number()),
});

const fieldErrors: v.GenericSchema<FieldErrors> = v.record(v.string(), v.string()) as v.GenericSchema<FieldErrors>;

/** What the edit form shows beside the values: all read from the API, all shown as text. */
const editContext = v.object({
  namespace: v.string(),
  /** The reserved labels, shown locked ("managed-by=cmp, cluster=a, …"). */
  lockedLabels: v.string(),
  /** The quota's current use ("In use now: 1.5 cores requested."), per quota field; empty without a quota. */
  quotaCpuUsed: v.string(),
  quotaMemoryUsed: v.string(),
  /** "instance-2: image nginx:1.26", one per instance made with another image or size than the stored spec. */
  offSpec: textList,
  /** Which field has the focus when the form opens (the inline ↔ button opens it at the count). */
  focus: v.optional(v.literal('count')),
});
export type EditContext = v.InferOutput<typeof editContext>;

/** One object a reviewed edit writes: its title ("update ResourceQuota cluster-quota") and diff. */
const reviewedObject = v.object({ title: v.string(), diff: v.string() });
export type ReviewedObject = v.InferOutput<typeof reviewedObject>;

const formDefaults = v.object({
  input: clusterFormInput,
  limits: validationLimits,
  contextName: v.string(),
  /** Why VMs are unavailable, when they are. */
  vmUnavailableReason: optionalText,
  /** Set when the form edits a live cluster rather than creating one. */
  edit: v.optional(editContext),
});
export type FormDefaults = v.InferOutput<typeof formDefaults>;

/** Webview → host. */
const formMessage = v.variant('type', [
  v.object({ type: v.literal('form/ready') }),
  v.object({ type: v.literal('form/checkName'), requestId, name: text(256) }),
  v.object({ type: v.literal('form/preview'), requestId, input: clusterFormInput }),
  v.object({ type: v.literal('form/create'), input: clusterFormInput }),
  /** Edit: dry-run what the input changes and show it; Apply writes exactly what was reviewed. `base` is the live values the form was loaded with. */
  v.object({ type: v.literal('form/review'), requestId, input: clusterFormInput, base: clusterFormInput }),
  v.object({ type: v.literal('form/apply'), requestId, input: clusterFormInput }),
  /** Edit: make the instances off the stored spec again, `atOnce` (typed) at a time. */
  v.object({ type: v.literal('form/replace'), requestId, atOnce: text(32) }),
  v.object({ type: v.literal('form/cancel') }),
]);
export type FormMessage = v.InferOutput<typeof formMessage>;
export const formMessageTypes = messageTypes(formMessage);
export const isFormMessage = (value: unknown): value is FormMessage => v.is(formMessage, value);

/** Host → webview. */
const hostMessage = v.variant('type', [
  v.object({ type: v.literal('host/init'), defaults: formDefaults, restored: v.optional(clusterFormInput) }),
  v.object({ type: v.literal('host/nameChecked'), requestId, name: v.string(), error: optionalText }),
  v.object({ type: v.literal('host/previewed'), requestId, yaml: optionalText, errors: v.optional(fieldErrors), error: optionalText }),
  v.object({ type: v.literal('host/busy'), message: v.string() }),
  v.object({ type: v.literal('host/failed'), message: v.string(), errors: v.optional(fieldErrors) }),
  v.object({ type: v.literal('host/created'), name: v.string(), namespace: v.string() }),
  /** What the user may not do that Create needs (`needs: create namespaces`), asked after init; undefined when allowed. */
  v.object({ type: v.literal('host/access'), missing: optionalText }),
  /** Edit: the review of one input; Apply is offered only for it, and only without `missing`. */
  // `input` is the user's input rebased on the live values (what the user did not touch follows the server), `base` those live values.
  v.object({ type: v.literal('host/reviewed'), requestId, input: v.optional(clusterFormInput), base: v.optional(clusterFormInput), objects: v.array(reviewedObject), count: optionalText, warnings: textList, missing: optionalText, errors: v.optional(fieldErrors), error: optionalText }),
  v.object({ type: v.literal('host/applied'), requestId, message: v.string() }),
  /** Edit: the live values read again (after a conflict or an apply); the form keeps the user's input unless `replace`. */
  v.object({ type: v.literal('host/live'), input: clusterFormInput, edit: editContext, message: v.string(), replace: v.boolean() }),
  /** Edit: the cluster changed on the server while the form is open. */
  v.object({ type: v.literal('host/serverChanged'), message: v.string() }),
]);
export type HostMessage = v.InferOutput<typeof hostMessage>;
export const isHostMessage = (value: unknown): value is HostMessage => v.is(hostMessage, value);

/** What the host of a form needs of this protocol. */
export const formProtocol = { guard: isFormMessage, knownTypes: formMessageTypes, bound: boundedFormHostMessage, readyType: 'form/ready' };

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
