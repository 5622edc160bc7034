// The cluster form's DOM: toolkit controls, one error slot per field, the isolation section and the
// preview. Built with createElement only; values are read and written through this module. In edit
// mode the name and type are locked, the reserved labels and the quota's use are shown beside the
// fields, and the buttons are Apply and Review.
import type { EditContext } from '../../../src/protocol/clusterForm';
import type { ClusterFormInput, FormField } from '../../../src/core/validation';
import { el } from '../shared/dom';

export interface FormControls {
  root: HTMLElement;
  banner: HTMLElement;
  status: HTMLElement;
  preview: HTMLElement;
  createButton: HTMLElement;
  previewButton: HTMLElement;
  cancelButton: HTMLElement;
  namespaceHint: HTMLElement;
  /** Why Create (or Apply) is disabled for this user, when it is (permissions). */
  accessHint: HTMLElement;
  /** Edit: "changed on the server" and other notices that are not errors. */
  notice: HTMLElement;
  /** Edit: shows what the live cluster has beside the fields (quota use, locked labels, instances off spec). */
  showEditContext(edit: EditContext): void;
  /** Edit: Replace Instances and how many at once. */
  replaceButton: HTMLElement;
  replaceAtOnce: HTMLElement & { value: string };
  read(): ClusterFormInput;
  write(input: ClusterFormInput): void;
  showErrors(errors: Partial<Record<FormField, string>>): void;
  setVmAvailable(available: boolean, reason: string | undefined): void;
  onInput(listener: (field: keyof ClusterFormInput) => void): void;
}

type ValueControl = HTMLElement & { value: string };
type CheckControl = HTMLElement & { checked: boolean };

const textFields: { key: Exclude<FormField, 'instanceType' | 'labels'>; label: string; hint?: string; section: 'main' | 'quota' }[] = [
  { key: 'name', label: 'Name', hint: 'Lowercase letters, digits and "-", at most 60 characters.', section: 'main' },
  { key: 'image', label: 'Image', hint: 'Container image for every instance.', section: 'main' },
  { key: 'cpu', label: 'CPU per instance (cores)', hint: 'Decimals allowed, like 0.5.', section: 'main' },
  { key: 'memoryGiB', label: 'Memory per instance (GiB)', section: 'main' },
  { key: 'count', label: 'Instance count', section: 'main' },
  { key: 'quotaCpu', label: 'Quota CPU (cores)', hint: 'Suggested: room for twice the instances (at least two more), so the cluster can be scaled up without raising the quota.', section: 'quota' },
  { key: 'quotaMemoryGiB', label: 'Quota memory (GiB)', section: 'quota' },
];

/** Hints of the edit form where they differ from Create's: the name is fixed, the quota's use is shown beside it, and it may leave a resource unlimited. */
const editHints: Partial<Record<FormField, string | undefined>> = {
  name: undefined,
  quotaCpu: 'Empty: no limit on CPU.',
  quotaMemoryGiB: 'Empty: no limit on memory.',
};

const checks: { key: 'resourceQuota' | 'limitRange' | 'networkPolicy' | 'serviceAccount'; label: string }[] = [
  { key: 'resourceQuota', label: 'ResourceQuota: cap the cluster\'s CPU and memory' },
  { key: 'limitRange', label: 'LimitRange: default and maximum sizes per container' },
  { key: 'networkPolicy', label: 'NetworkPolicy: ingress from the same namespace only' },
  { key: 'serviceAccount', label: 'ServiceAccount + RoleBinding (admin within the namespace)' },
];

export function buildForm(contextName: string, edit?: EditContext): FormControls {
  const values = new Map<string, ValueControl>();
  const checkboxes = new Map<string, CheckControl>();
  const errors = new Map<string, HTMLElement>();
  const wrappers = new Map<string, HTMLElement>();
  const listeners: ((field: keyof ClusterFormInput) => void)[] = [];
  const notify = (field: keyof ClusterFormInput) => listeners.forEach((l) => l(field));

  const fieldBlock = (key: string, control: HTMLElement, hint?: string) => {
    const error = el('div', { class: 'error', id: `${key}-error`, role: 'alert' });
    errors.set(key, error);
    control.setAttribute('aria-describedby', `${key}-error`);
    const block = el('div', { class: 'field', 'data-field': key }, control, ...(hint ? [el('div', { class: 'hint' }, hint)] : []), error);
    wrappers.set(key, block);
    return block;
  };
  const textField = (key: string, label: string, hint?: string) => {
    const control = el('vscode-text-field', { id: key, size: '40' }, label) as ValueControl;
    control.addEventListener('input', () => notify(key as keyof ClusterFormInput));
    values.set(key, control);
    return fieldBlock(key, control, hint);
  };

  const typeDropdown = el('vscode-dropdown', { id: 'instanceType' },
    el('vscode-option', { value: 'container' }, 'container (Pod)'),
    el('vscode-option', { value: 'vm', id: 'vm-option' }, 'vm (KubeVirt VirtualMachine)')) as ValueControl;
  typeDropdown.addEventListener('change', () => notify('instanceType'));
  values.set('instanceType', typeDropdown);
  const typeLabel = el('label', { for: 'instanceType', class: 'label' }, 'Instance type');

  const labels = el('vscode-text-area', { id: 'labels', rows: '2', resize: 'vertical', placeholder: 'team=payments, env=dev' }, 'Extra labels') as ValueControl;
  labels.addEventListener('input', () => notify('labels'));
  values.set('labels', labels);

  const quotaFields = el('div', { class: 'indented', id: 'quota-fields' });
  const isolation = el('section', { class: 'isolation', 'aria-labelledby': 'isolation-title' }, el('h2', { id: 'isolation-title' }, 'Isolation'));
  for (const check of checks) {
    const box = el('vscode-checkbox', { id: check.key, checked: true }, check.label) as CheckControl;
    box.addEventListener('change', () => notify(check.key));
    checkboxes.set(check.key, box);
    isolation.append(box);
    if (check.key === 'resourceQuota') isolation.append(quotaFields);
  }

  const main = el('section', { class: 'main' });
  for (const field of textFields) {
    // How to name a new cluster and size a new quota is for Create; an edit keeps the name and shows the quota's use.
    const block = textField(field.key, field.label, edit && field.key in editHints ? editHints[field.key] : field.hint);
    if (field.section === 'quota') quotaFields.append(block);
    else main.append(block);
    if (field.key === 'name') {
      main.append(el('div', { class: 'field' }, typeLabel, typeDropdown, el('div', { class: 'hint', id: 'vm-reason' }), (() => {
        const error = el('div', { class: 'error', id: 'instanceType-error', role: 'alert' });
        errors.set('instanceType', error);
        return error;
      })()));
    }
  }
  const namespaceHint = el('div', { class: 'hint', id: 'namespace-hint' });
  wrappers.get('name')?.insertBefore(namespaceHint, errors.get('name') ?? null);
  const labelsBlock = fieldBlock('labels', labels, edit ? 'key=value pairs, separated by commas or new lines. A label removed here is removed from the namespace.' : 'key=value pairs, separated by commas or new lines.');
  const usedHints = { quotaCpu: el('div', { class: 'hint used', id: 'quotaCpu-used' }), quotaMemoryGiB: el('div', { class: 'hint used', id: 'quotaMemoryGiB-used' }) };
  const lockedLabelsHint = el('div', { class: 'hint', id: 'locked-labels' });
  const offSpec = el('section', { class: 'off-spec', id: 'off-spec', hidden: true, 'aria-label': 'Instances off the stored spec' });
  const offSpecList = el('div', {});
  const replaceAtOnce = el('vscode-text-field', { id: 'replace-at-once', size: '4', value: '1' }, 'At once') as HTMLElement & { value: string };
  const replaceButton = el('vscode-button', { id: 'replace', appearance: 'secondary' }, 'Replace Instances');
  offSpec.append(offSpecList, el('div', { class: 'replace' }, replaceAtOnce, replaceButton),
    el('div', { class: 'hint' }, 'Each is deleted and made again with the stored image and sizes, that many at a time, each batch Ready before the next.'));
  if (edit) {
    values.get('name')?.setAttribute('readonly', '');
    typeDropdown.setAttribute('disabled', '');
    for (const key of ['quotaCpu', 'quotaMemoryGiB'] as const) wrappers.get(key)?.insertBefore(usedHints[key], errors.get(key) ?? null);
    wrappers.get('labels')?.insertBefore(lockedLabelsHint, errors.get('labels') ?? null);
    wrappers.get('count')?.insertBefore(el('div', { class: 'hint' }, 'Scaled as Scale CMP Cluster does; 0 keeps the cluster with no instances. New instances get the image and sizes above.'), errors.get('count') ?? null);
  }

  const createButton = el('vscode-button', { id: edit ? 'apply' : 'create', appearance: 'primary', disabled: true }, edit ? 'Apply' : 'Create');
  const previewButton = el('vscode-button', { id: edit ? 'review' : 'preview-button', appearance: 'secondary' }, edit ? 'Review Changes' : 'Preview');
  const cancelButton = el('vscode-button', { id: 'cancel', appearance: 'secondary' }, 'Cancel');
  const banner = el('div', { class: 'banner', id: 'banner', role: 'alert', hidden: true });
  const status = el('div', { class: 'status', id: 'status', role: 'status' });
  const accessHint = el('div', { class: 'hint', id: 'access-hint', role: 'status' });
  const notice = el('div', { class: 'notice', id: 'notice', role: 'status', hidden: true });
  const preview = el('pre', { class: 'preview', id: 'preview', hidden: true, tabindex: '0', 'aria-label': edit ? 'What Apply will change' : 'Objects that will be sent' });
  const root = el('div', { class: 'form' },
    el('h1', {}, edit ? 'Edit CMP Cluster' : 'Create CMP Cluster'),
    el('div', { class: 'hint' }, `Context: ${contextName || 'none'}${edit ? ` · namespace ${edit.namespace}` : ''}`),
    banner,
    notice,
    main,
    offSpec,
    el('vscode-divider', {}),
    isolation,
    el('vscode-divider', {}),
    labelsBlock,
    el('div', { class: 'buttons' }, createButton, previewButton, cancelButton),
    accessHint,
    status,
    preview,
  );

  return {
    root, banner, status, preview, createButton, previewButton, cancelButton, namespaceHint, accessHint, notice, replaceButton, replaceAtOnce,
    showEditContext: (context) => {
      usedHints.quotaCpu.textContent = context.quotaCpuUsed;
      usedHints.quotaMemoryGiB.textContent = context.quotaMemoryUsed;
      lockedLabelsHint.textContent = context.lockedLabels ? `Set by CMP, locked: ${context.lockedLabels}` : '';
      offSpec.hidden = context.offSpec.length === 0;
      offSpecList.replaceChildren(
        el('div', { class: 'hint' }, `${context.offSpec.length} instance${context.offSpec.length === 1 ? ' was' : 's were'} made with another image or size than the stored spec; they keep it until replaced:`),
        el('ul', {}, ...context.offSpec.map((line) => el('li', {}, line))),
      );
    },
    read: () => ({
      name: values.get('name')?.value ?? '',
      instanceType: values.get('instanceType')?.value ?? 'container',
      image: values.get('image')?.value ?? '',
      cpu: values.get('cpu')?.value ?? '',
      memoryGiB: values.get('memoryGiB')?.value ?? '',
      count: values.get('count')?.value ?? '',
      resourceQuota: checkboxes.get('resourceQuota')?.checked ?? true,
      quotaCpu: values.get('quotaCpu')?.value ?? '',
      quotaMemoryGiB: values.get('quotaMemoryGiB')?.value ?? '',
      limitRange: checkboxes.get('limitRange')?.checked ?? true,
      networkPolicy: checkboxes.get('networkPolicy')?.checked ?? true,
      serviceAccount: checkboxes.get('serviceAccount')?.checked ?? true,
      labels: values.get('labels')?.value ?? '',
    }),
    write: (input) => {
      for (const [key, control] of values) control.value = String(input[key as keyof ClusterFormInput]);
      for (const [key, box] of checkboxes) box.checked = Boolean(input[key as keyof ClusterFormInput]);
      quotaFields.hidden = !input.resourceQuota;
      const image = wrappers.get('image');
      if (image) image.hidden = input.instanceType === 'vm';
    },
    showErrors: (fieldErrors) => {
      for (const [key, slot] of errors) {
        const message = fieldErrors[key as FormField] ?? '';
        slot.textContent = message;
        const control = values.get(key);
        if (control) control.classList.toggle('invalid', message !== '');
        if (control) control.setAttribute('aria-invalid', String(message !== ''));
      }
    },
    setVmAvailable: (available, reason) => {
      const option = document.getElementById('vm-option');
      if (option) option.toggleAttribute('disabled', !available);
      const reasonSlot = document.getElementById('vm-reason');
      if (reasonSlot) reasonSlot.textContent = available ? '' : `vm: ${reason ?? 'not available on this cluster'}`;
    },
    onInput: (listener) => listeners.push(listener),
  };
}
