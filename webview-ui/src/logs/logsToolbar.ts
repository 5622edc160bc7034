// The Logs pane's controls: search with match count and next/previous, timestamps, previous
// container, pause/resume of auto-scroll, save and clear; plus the status line and instance legend.
import type { LogSource } from '../../../src/protocol/logs';
import { el } from '../shared/dom';

type Checkbox = HTMLElement & { checked: boolean };

export interface LogsToolbar {
  root: HTMLElement;
  search: HTMLElement & { value: string };
  matches: HTMLElement;
  previousMatch: HTMLElement;
  nextMatch: HTMLElement;
  timestamps: Checkbox;
  previous: Checkbox;
  pause: HTMLElement;
  save: HTMLElement;
  clear: HTMLElement;
  status: HTMLElement;
  banner: HTMLElement;
  legend: HTMLElement;
  showSources(sources: readonly LogSource[]): void;
}

export function buildToolbar(): LogsToolbar {
  const search = el('vscode-text-field', { id: 'search', placeholder: 'Search', size: '28', 'aria-label': 'Search the log' }) as LogsToolbar['search'];
  const matches = el('span', { class: 'matches', id: 'matches', 'aria-live': 'polite' });
  const previousMatch = el('vscode-button', { id: 'search-previous', appearance: 'icon', 'aria-label': 'Previous match', title: 'Previous match (Shift+Enter)' }, '↑');
  const nextMatch = el('vscode-button', { id: 'search-next', appearance: 'icon', 'aria-label': 'Next match', title: 'Next match (Enter)' }, '↓');
  const timestamps = el('vscode-checkbox', { id: 'timestamps' }, 'Timestamps') as Checkbox;
  const previous = el('vscode-checkbox', { id: 'previous', disabled: true, title: 'The log of the container before its last restart' }, 'Previous container') as Checkbox;
  const pause = el('vscode-button', { id: 'pause', appearance: 'secondary', title: 'Stop or resume scrolling to new lines' }, 'Pause');
  const save = el('vscode-button', { id: 'save', appearance: 'secondary' }, 'Save…');
  const clear = el('vscode-button', { id: 'clear', appearance: 'secondary' }, 'Clear');
  const status = el('div', { class: 'status', id: 'status', role: 'status' });
  const banner = el('div', { class: 'banner', id: 'banner', role: 'alert', hidden: true });
  const legend = el('div', { class: 'legend', id: 'legend', hidden: true });
  const root = el('div', { class: 'head' },
    el('div', { class: 'toolbar' },
      el('div', { class: 'group' }, search, previousMatch, nextMatch, matches),
      el('div', { class: 'group' }, timestamps, previous),
      el('div', { class: 'group' }, pause, save, clear)),
    banner, legend, status);
  return {
    root, search, matches, previousMatch, nextMatch, timestamps, previous, pause, save, clear, status, banner, legend,
    showSources(sources) {
      legend.hidden = sources.length === 0;
      legend.replaceChildren(...sources.map((s) => el('span', { class: `chip colour-${s.colour}${s.active ? '' : ' gone'}` }, s.name)));
    },
  };
}
