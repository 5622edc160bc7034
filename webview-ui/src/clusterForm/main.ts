// Browser side of the Create and Edit CMP Cluster forms: validates as the user types with the same
// pure rules the host uses, asks the host whether the namespace is free (create) or what Apply would
// change (edit), keeps the values across hide/show, conflicts and errors, and keeps Create or Apply
// disabled while anything is invalid, unreviewed or not permitted.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeTextArea, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { suggestedQuota } from '../../../src/core/clusterSpec';
import { namespaceFor } from '../../../src/core/names';
import { validateEditInput, type FixedFields } from '../../../src/core/clusterEdit';
import { rebaseInput } from '../../../src/core/editForm';
import { validateClusterForm, type ClusterFormInput, type FieldErrors, type ValidationLimits } from '../../../src/core/validation';
import { isHostMessage, type EditContext, type FormMessage, type HostMessage } from '../../../src/protocol/clusterForm';
import { setText } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { buildForm, type FormControls } from './formView';
import { markReviewStale, renderReview } from './reviewView';
import './style.css';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextArea(), vsCodeTextField());

interface SavedState {
  input: ClusterFormInput;
  quotaEdited: boolean;
  /** Edit: the live values the form was loaded with (what the user's input is rebased from). */
  base?: ClusterFormInput;
}

const api = vscodeApi<SavedState>();
const post = (message: FormMessage) => api.postMessage(message);

let form: FormControls | undefined;
let limits: ValidationLimits | undefined;
let quotaEdited = false;
/** What the user may not do that Create needs, as the host asked the API; Create stays disabled while set. */
let accessMissing: string | undefined;
let busy = false;
let requestCounter = 0;
let nameCheck: { requestId: number; name: string; pending: boolean; error?: string } = { requestId: -1, name: '', pending: false };
let serverErrors: FieldErrors = {};
let nameTimer: ReturnType<typeof setTimeout> | undefined;
let previewRequest = -1;
/** Fields the user has typed in: an empty field says it is required only once touched (Create stays disabled). */
const touched = new Set<string>();
/** Edit mode: the live cluster's fixed name and type, and the input the last review was made of (Apply writes only that). */
let edit: { fixed: FixedFields; context: EditContext; base: ClusterFormInput; reviewedKey?: string; reviewRequest: number; sentKey?: string } | undefined;

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isHostMessage(event.data)) return;
  handle(event.data);
});
post({ type: 'form/ready' });

function handle(message: HostMessage): void {
  switch (message.type) {
    case 'host/init': {
      limits = message.defaults.limits;
      const saved = api.getState();
      const context = message.defaults.edit;
      edit = context ? { fixed: { name: message.defaults.input.name, instanceType: message.defaults.input.instanceType }, context, base: saved?.base ?? message.defaults.input, reviewRequest: -1 } : undefined;
      // An edit's quota never follows the count on its own: changing it is for the user to see in the review.
      quotaEdited = context ? true : saved?.quotaEdited ?? false;
      form = buildForm(message.defaults.contextName, context);
      document.getElementById('app')?.replaceChildren(form.root);
      form.setVmAvailable(limits.vmAvailable, message.defaults.vmUnavailableReason);
      form.write({ ...(saved?.input ?? message.restored ?? message.defaults.input), ...(edit ? edit.fixed : {}) });
      if (context) form.showEditContext(context);
      wire(form);
      if (!edit) checkName();
      update();
      if (context?.focus === 'count') (document.getElementById('count') as HTMLElement | null)?.focus();
      return;
    }
    case 'host/reviewed':
      if (!form || !edit || message.requestId !== edit.reviewRequest) return;
      setText(form.status, '');
      serverErrors = message.errors ?? {};
      // The review is of the input sent; typed since, it is stale (Apply waits for a new one).
      if (JSON.stringify(form.read()) !== edit.sentKey) {
        markReviewStale(form.preview);
        return;
      }
      if (message.input && message.base) {
        // What the user did not touch follows the server: the form shows what the review is of.
        form.write({ ...message.input, ...edit.fixed });
        edit.base = message.base;
      }
      // The review's own answer on access governs Apply now, not the one asked when the form opened.
      accessMissing = undefined;
      form.accessHint.textContent = '';
      edit.reviewedKey = !message.errors && !message.error && !message.missing && (message.objects.length > 0 || message.count) ? JSON.stringify(form.read()) : undefined;
      renderReview(form.preview, message.errors ? { objects: [], warnings: [], error: 'Fix the highlighted fields first.' } : message);
      form.preview.scrollIntoView({ block: 'nearest' });
      update();
      return;
    case 'host/applied':
      busy = false;
      setText(form?.status ?? null, message.message);
      update();
      return;
    case 'host/live':
      if (!form || !edit) return;
      busy = false;
      edit.context = message.edit;
      edit.reviewedKey = undefined;
      // After a conflict or failure the user's changes go on top of the new live values (rebased as the host does).
      if (!message.replace) form.write({ ...rebaseInput(edit.base, form.read(), message.input).input, ...edit.fixed });
      edit.base = message.input;
      form.showEditContext(message.edit);
      form.notice.hidden = true;
      if (message.replace) {
        form.write({ ...message.input, ...edit.fixed });
        form.banner.hidden = true;
        form.preview.hidden = true;
        setText(form.status, message.message);
      } else {
        // A conflict: the user's input stays as typed; the message says what moved on.
        form.banner.hidden = false;
        form.banner.textContent = message.message;
        setText(form.status, '');
        markReviewStale(form.preview);
      }
      update();
      return;
    case 'host/serverChanged':
      if (!form) return;
      form.notice.hidden = false;
      form.notice.textContent = message.message;
      return;
    case 'host/access':
      accessMissing = message.missing || undefined;
      if (form) form.accessHint.textContent = accessMissing ? `${edit ? 'Apply' : 'Create'} is disabled: ${accessMissing}.` : '';
      update();
      return;
    case 'host/nameChecked':
      if (message.requestId !== nameCheck.requestId) return;
      nameCheck = { ...nameCheck, pending: false, error: message.error };
      update();
      return;
    case 'host/previewed':
      if (!form || message.requestId !== previewRequest) return;
      form.preview.hidden = false;
      form.preview.textContent = message.yaml ?? message.error ?? 'Fix the highlighted fields to see the objects.';
      if (message.errors) {
        serverErrors = message.errors;
        update();
      }
      return;
    case 'host/busy':
      setText(form?.status ?? null, message.message);
      return;
    case 'host/failed':
      busy = false;
      serverErrors = message.errors ?? {};
      if (edit) edit.reviewedKey = undefined;
      if (form) {
        form.banner.hidden = false;
        form.banner.textContent = message.message;
        setText(form.status, '');
      } else {
        // Before the form exists (an edit whose cluster could not be read): the reason is all there is to show.
        document.getElementById('app')?.replaceChildren(Object.assign(document.createElement('div'), { className: 'banner', textContent: message.message }));
      }
      update();
      return;
    case 'host/created':
      setText(form?.status ?? null, `Created ${message.name} (namespace ${message.namespace}).`);
      return;
  }
}

function wire(controls: FormControls): void {
  controls.onInput((field) => {
    touched.add(field);
    serverErrors = Object.fromEntries(Object.entries(serverErrors).filter(([key]) => key !== field));
    const input = controls.read();
    if (field === 'quotaCpu' || field === 'quotaMemoryGiB') quotaEdited = true;
    if ((field === 'cpu' || field === 'memoryGiB' || field === 'count') && !quotaEdited) followQuota(controls, input);
    if (field === 'instanceType' || field === 'resourceQuota') controls.write(controls.read());
    if (field === 'name' && !edit) scheduleNameCheck();
    if (edit) markReviewStale(controls.preview);
    update();
  });
  controls.createButton.addEventListener('click', () => {
    if (controls.createButton.hasAttribute('disabled') || busy) return;
    busy = true;
    controls.banner.hidden = true;
    setText(controls.status, edit ? 'Applying…' : 'Creating…');
    update();
    if (edit) post({ type: 'form/apply', requestId: ++requestCounter, input: controls.read() });
    else post({ type: 'form/create', input: controls.read() });
  });
  controls.previewButton.addEventListener('click', () => {
    if (edit) {
      if (busy) return;
      edit.reviewRequest = ++requestCounter;
      edit.reviewedKey = undefined;
      edit.sentKey = JSON.stringify(controls.read());
      setText(controls.status, 'Reviewing: a server-side dry run of every change…');
      update();
      post({ type: 'form/review', requestId: edit.reviewRequest, input: controls.read(), base: edit.base });
      return;
    }
    previewRequest = ++requestCounter;
    post({ type: 'form/preview', requestId: previewRequest, input: controls.read() });
  });
  controls.cancelButton.addEventListener('click', () => post({ type: 'form/cancel' }));
  controls.replaceButton.addEventListener('click', () => {
    if (!edit || busy) return;
    busy = true;
    setText(controls.status, 'Replacing instances…');
    update();
    post({ type: 'form/replace', requestId: ++requestCounter, atOnce: controls.replaceAtOnce.value });
  });
}

/** Until the user edits the quota, it follows count × per-instance sizes, with room to grow (suggestedQuota). */
function followQuota(controls: FormControls, input: ClusterFormInput): void {
  const cpu = Number(input.cpu);
  const memory = Number(input.memoryGiB);
  const count = Number(input.count);
  if (![cpu, memory, count].every((n) => Number.isFinite(n) && n > 0)) return;
  const quota = suggestedQuota(cpu, memory, Math.round(count));
  controls.write({ ...input, quotaCpu: String(quota.quotaCpu), quotaMemoryGiB: String(quota.quotaMemoryGiB) });
}

function scheduleNameCheck(): void {
  if (nameTimer) clearTimeout(nameTimer);
  nameCheck = { ...nameCheck, pending: true };
  nameTimer = setTimeout(checkName, 250);
}

function checkName(): void {
  if (!form) return;
  const name = form.read().name;
  nameCheck = { requestId: ++requestCounter, name, pending: name.length > 0 };
  if (name.length > 0) post({ type: 'form/checkName', requestId: nameCheck.requestId, name });
}

function update(): void {
  if (!form || !limits) return;
  const input = form.read();
  api.setState({ input, quotaEdited, ...(edit ? { base: edit.base } : {}) });
  const { errors } = edit ? validateEditInput(input, limits, edit.fixed, edit.base.resourceQuota) : validateClusterForm(input, limits);
  const nameError = !edit && nameCheck.name === input.name ? nameCheck.error : undefined;
  const shown: FieldErrors = { ...serverErrors, ...errors, ...(errors.name ? {} : nameError ? { name: nameError } : {}) };
  const untouchedEmpty = (field: string) => !touched.has(field) && input[field as keyof ClusterFormInput] === '';
  form.showErrors(Object.fromEntries(Object.entries(shown).filter(([field]) => !untouchedEmpty(field))));
  form.namespaceHint.textContent = edit ? `Namespace: ${edit.context.namespace} (locked: a cluster keeps its name and type)` : input.name && !errors.name ? `Namespace: ${namespaceFor(input.name)}` : '';
  const invalid = Object.keys(shown).length > 0;
  // Apply writes what was reviewed, so it waits for a review of exactly what the form holds.
  const unreviewed = edit !== undefined && edit.reviewedKey !== JSON.stringify(input);
  const blocked = busy || (!edit && nameCheck.pending) || accessMissing !== undefined || invalid || unreviewed;
  form.previewButton.toggleAttribute('disabled', edit !== undefined && (busy || invalid));
  form.replaceButton.toggleAttribute('disabled', busy);
  form.createButton.toggleAttribute('disabled', blocked);
}
