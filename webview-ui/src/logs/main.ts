// Browser side of the Logs pane: renders batches of lines once per frame into a bounded view, keeps
// auto-scroll unless paused (scrolling up pauses), searches with highlight, and keeps its options
// across hide/show. Every message from the host is validated first.
import { provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeTextField } from '@vscode/webview-ui-toolkit';
import type { LogEntry } from '../../../src/core/logPane';
import { readLogsHostMessage, type LogsHostMessage, type LogsPaneInfo, type LogsSnapshot, type LogsStatus, type LogsViewMessage } from '../../../src/protocol/logs';
import { setText } from '../shared/dom';
import { vscodeApi } from '../shared/vscodeApi';
import { LogLinesView } from './logLinesView';
import { buildToolbar } from './logsToolbar';
import './style.css';

provideVSCodeDesignSystem().register(vsCodeButton(), vsCodeCheckbox(), vsCodeTextField());

interface SavedState {
  timestamps: boolean;
  search: string;
  follow: boolean;
}

const api = vscodeApi<SavedState>();
const post = (message: LogsViewMessage) => api.postMessage(message);
const saved: SavedState = api.getState() ?? { timestamps: false, search: '', follow: true };
const toolbar = buildToolbar();
const lines = new LogLinesView(10_000);
let info: LogsPaneInfo | undefined;
let status: LogsStatus = { state: 'connecting' };
let queue: LogEntry[] = [];
let scheduled = false;
let follow = saved.follow;
let currentMatch = -1;
let searchTimer: ReturnType<typeof setTimeout> | undefined;
let slowestFrameMs = 0;
let longestTaskMs = 0;
/** Lines drawn per animation frame: a frame stays short however large a batch is. */
const maxLinesPerFrame = 500;
/** An append is waiting to be drawn; once it is, the host may send the next. */
let acknowledge = false;

document.getElementById('app')?.replaceChildren(toolbar.root, lines.element);
observeLongTasks();
toolbar.search.value = saved.search;
toolbar.timestamps.checked = saved.timestamps;
lines.element.classList.toggle('hide-ts', !saved.timestamps);
lines.search(saved.search);
wire();
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = readLogsHostMessage(event.data);
  if (message) handle(message);
});
post({ type: 'logs/ready' });

function handle(message: LogsHostMessage): void {
  switch (message.type) {
    case 'host/reset':
      info = message.info;
      status = message.status;
      document.title = message.info.title;
      lines.setLimit(message.info.bufferLines);
      lines.clear();
      queue = [...message.entries];
      toolbar.previous.checked = message.previous;
      toolbar.showSources(message.sources);
      schedule();
      return;
    case 'host/append':
      if (message.skipped > 0) queue.push({ seq: 0, kind: 'info', text: `${message.skipped} lines arrived faster than the pane keeps them and were skipped (cmp.logBufferLines)` });
      queue.push(...message.entries);
      acknowledge = true;
      schedule();
      return;
    case 'host/status':
      status = message.status;
      schedule();
      return;
    case 'host/info':
      info = message.info;
      schedule();
      return;
    case 'host/sources':
      toolbar.showSources(message.sources);
      return;
    case 'host/cleared':
      queue = [];
      lines.clear();
      currentMatch = -1;
      schedule();
      return;
    case 'host/inspect':
      if (message.search !== undefined) {
        toolbar.search.value = message.search;
        applySearch();
      }
      do render(); while (queue.length > 0);
      post({ type: 'logs/inspected', requestId: message.requestId, snapshot: snapshot() });
      return;
  }
}

function wire(): void {
  toolbar.search.addEventListener('input', () => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(applySearch, 150);
  });
  toolbar.search.addEventListener('keydown', (event: KeyboardEvent) => {
    if (event.key === 'Enter') jump(event.shiftKey ? -1 : 1);
  });
  toolbar.nextMatch.addEventListener('click', () => jump(1));
  toolbar.previousMatch.addEventListener('click', () => jump(-1));
  toolbar.timestamps.addEventListener('change', () => {
    lines.element.classList.toggle('hide-ts', !toolbar.timestamps.checked);
    persist();
  });
  toolbar.previous.addEventListener('change', () => {
    if (toolbar.previous.hasAttribute('disabled')) return;
    post({ type: 'logs/setPrevious', previous: toolbar.previous.checked });
  });
  toolbar.pause.addEventListener('click', () => setFollow(!follow));
  toolbar.save.addEventListener('click', () => post({ type: 'logs/save', timestamps: toolbar.timestamps.checked }));
  toolbar.clear.addEventListener('click', () => post({ type: 'logs/clear' }));
  lines.element.addEventListener('scroll', () => {
    const atBottom = lines.element.scrollHeight - lines.element.scrollTop - lines.element.clientHeight < 4;
    if (atBottom !== follow) setFollow(atBottom);
  });
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => render());
}

/**
 * One frame's work: at most maxLinesPerFrame of the queued lines (more frames follow), and never more
 * than the view keeps. The host's next batch is acknowledged only once the queue is drawn.
 */
function render(): void {
  const started = performance.now();
  scheduled = false;
  if (queue.length > 0) {
    const keep = info?.bufferLines ?? 10_000;
    if (queue.length > keep) queue = queue.slice(-keep);
    lines.append(queue.splice(0, maxLinesPerFrame));
    if (toolbar.search.value) updateMatches();
  }
  if (follow) lines.element.scrollTop = lines.element.scrollHeight;
  const previousAllowed = Boolean(info?.canPrevious) || toolbar.previous.checked;
  toolbar.previous.toggleAttribute('disabled', !previousAllowed);
  toolbar.previous.hidden = info?.target.kind === 'cluster';
  const state = { connecting: 'Connecting…', live: 'Following', reconnecting: 'Reconnecting…', ended: 'Ended', previous: 'Previous container', stale: 'Stale', error: 'Error' }[status.state];
  const restarts = info && info.target.kind === 'instance' && info.restarts > 0 ? ` · ${info.restarts} restart${info.restarts === 1 ? '' : 's'}` : '';
  setText(toolbar.status, `${state}${status.message && status.state !== 'stale' ? `: ${status.message}` : ''} · ${lines.count} lines (keeps ${info?.bufferLines ?? 0})${restarts}${follow ? '' : ' · paused'}`);
  toolbar.banner.hidden = status.state !== 'stale';
  setText(toolbar.banner, status.state === 'stale' ? (status.message ?? 'This pane no longer updates.') : '');
  // Layout happens after this function; reading scrollHeight above already forced most of it.
  slowestFrameMs = Math.max(slowestFrameMs, performance.now() - started);
  if (queue.length > 0) {
    schedule();
  } else if (acknowledge) {
    acknowledge = false;
    post({ type: 'logs/rendered' });
  }
}

function setFollow(value: boolean): void {
  follow = value;
  setText(toolbar.pause, follow ? 'Pause' : 'Resume');
  if (follow) lines.element.scrollTop = lines.element.scrollHeight;
  persist();
  schedule();
}

function applySearch(): void {
  currentMatch = -1;
  lines.search(toolbar.search.value ?? '');
  updateMatches();
  persist();
}

function updateMatches(): void {
  const count = lines.marks().length;
  setText(toolbar.matches, toolbar.search.value ? (count === 0 ? 'No results' : `${currentMatch >= 0 ? `${currentMatch + 1} of ` : ''}${count}`) : '');
}

/** Moves to the next or previous match, pausing auto-scroll so the match stays in view. */
function jump(direction: 1 | -1): void {
  const marks = lines.marks();
  if (marks.length === 0) return;
  marks[currentMatch]?.classList.remove('current');
  currentMatch = (currentMatch + direction + marks.length) % marks.length;
  const mark = marks[currentMatch];
  mark?.classList.add('current');
  setFollow(false);
  mark?.scrollIntoView({ block: 'center' });
  updateMatches();
}

/** The longest task the page ran (Chromium's long-task timing): what a user would feel as a freeze. */
function observeLongTasks(): void {
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestTaskMs = Math.max(longestTaskMs, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // Not every engine reports long tasks; the measure then stays 0.
  }
}

function persist(): void {
  api.setState({ timestamps: toolbar.timestamps.checked, search: toolbar.search.value ?? '', follow });
}

function snapshot(): LogsSnapshot {
  const texts = lines.texts();
  return {
    lines: lines.count,
    texts: texts.slice(0, 200).map((t) => t.textContent ?? ''),
    prefixes: texts.slice(0, 200).map((t) => t.parentElement?.querySelector('.src')?.textContent ?? ''),
    lastText: texts.at(-1)?.textContent ?? '',
    slowestFrameMs: Math.ceil(slowestFrameMs),
    longestTaskMs: Math.ceil(longestTaskMs),
    elementsInText: texts.flatMap((t) => [...t.querySelectorAll('*')].filter((e) => e.tagName !== 'MARK').map((e) => e.tagName)),
    marks: lines.marks().slice(0, 200).map((m) => m.textContent ?? ''),
    paused: !follow,
    timestamps: toolbar.timestamps.checked,
    banner: toolbar.banner.hidden ? '' : (toolbar.banner.textContent ?? ''),
  };
}
