// Browser side of the Create CMP Cluster form: validates as the user types with the same pure rules
// the host uses, asks the host whether the namespace is free, keeps the values across hide/show,
// and keeps Create disabled while anything is invalid.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodeTextArea, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import { suggestedQuota } from '../../../src/core/clusterSpec';
import { namespaceFor } from '../../../src/core/names';
import { validateClusterForm, type ClusterFormInput, type FieldErrors, type ValidationLimits } from '../../../src/core/validation';
import { isHostMessage, type FormMessage, type HostMessage } from '../../../src/protocol/clusterForm';
import { setText } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { buildForm, type FormControls } from './formView';
import './style.css';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodeTextArea(), vsCodeTextField());

interface SavedState {
  input: ClusterFormInput;
  quotaEdited: boolean;
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
      quotaEdited = saved?.quotaEdited ?? false;
      form = buildForm(message.defaults.contextName);
      document.getElementById('app')?.replaceChildren(form.root);
      form.setVmAvailable(limits.vmAvailable, message.defaults.vmUnavailableReason);
      form.write(saved?.input ?? message.restored ?? message.defaults.input);
      wire(form);
      checkName();
      update();
      return;
    }
    case 'host/access':
      accessMissing = message.missing || undefined;
      if (form) form.accessHint.textContent = accessMissing ? `Create is disabled: ${accessMissing}.` : '';
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
      if (form) {
        form.banner.hidden = false;
        form.banner.textContent = message.message;
        setText(form.status, '');
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
    if (field === 'name') scheduleNameCheck();
    update();
  });
  controls.createButton.addEventListener('click', () => {
    if (controls.createButton.hasAttribute('disabled') || busy) return;
    busy = true;
    controls.banner.hidden = true;
    setText(controls.status, 'Creating…');
    update();
    post({ type: 'form/create', input: controls.read() });
  });
  controls.previewButton.addEventListener('click', () => {
    previewRequest = ++requestCounter;
    post({ type: 'form/preview', requestId: previewRequest, input: controls.read() });
  });
  controls.cancelButton.addEventListener('click', () => post({ type: 'form/cancel' }));
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
  api.setState({ input, quotaEdited });
  const { errors } = validateClusterForm(input, limits);
  const nameError = nameCheck.name === input.name ? nameCheck.error : undefined;
  const shown: FieldErrors = { ...serverErrors, ...errors, ...(errors.name ? {} : nameError ? { name: nameError } : {}) };
  const untouchedEmpty = (field: string) => !touched.has(field) && input[field as keyof ClusterFormInput] === '';
  form.showErrors(Object.fromEntries(Object.entries(shown).filter(([field]) => !untouchedEmpty(field))));
  form.namespaceHint.textContent = input.name && !errors.name ? `Namespace: ${namespaceFor(input.name)}` : '';
  const blocked = busy || nameCheck.pending || accessMissing !== undefined || Object.keys(shown).length > 0;
  form.createButton.toggleAttribute('disabled', blocked);
}
