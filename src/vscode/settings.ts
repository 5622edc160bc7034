// Typed access to the extension's settings. cmp.kubeconfig and cmp.terminalShell (among others) are
// restricted settings: in an untrusted workspace VS Code ignores workspace values for them, so only
// the user's own value counts.
import * as vscode from 'vscode';

export interface CmpSettings {
  kubeconfig: string | undefined;
  defaultImage: string;
  defaultCpu: number;
  defaultMemoryGiB: number;
  defaultInstanceCount: number;
  maxInstances: number;
  writeConcurrency: number;
  fallbackNamespaces: string[];
  /** Contexts the tree shows: [] the current one; names; or ["*"] every context of the kubeconfig. */
  contexts: string[];
  /** Lines of history a log pane starts with, per instance (0: only new lines). */
  logTailLines: number;
  /** Most lines a log pane keeps; older ones are dropped. */
  logBufferLines: number;
  /** The shell Open Terminal starts ('' = bash, then sh). */
  terminalShell: string;
}

export function readSettings(): CmpSettings {
  const config = vscode.workspace.getConfiguration('cmp');
  // Every value is checked and clamped to the bounds package.json declares: a settings file may hold anything.
  const text = (key: string, fallback: string, maxLength: number) => {
    const value = config.get<unknown>(key, fallback);
    return typeof value === 'string' && value.length <= maxLength ? value : fallback;
  };
  return {
    kubeconfig: text('kubeconfig', '', 4096) || undefined,
    defaultImage: text('defaultImage', 'nginx:1.27', 4096),
    defaultCpu: within(config.get<unknown>('defaultCpu', 1), 0.001, 128, 1),
    defaultMemoryGiB: within(config.get<unknown>('defaultMemoryGiB', 2), 0.125, 1024, 2),
    defaultInstanceCount: bounded(config.get<unknown>('defaultInstanceCount', 3), 1, 10_000, 3),
    maxInstances: bounded(config.get<unknown>('maxInstances', 500), 1, 10_000, 500),
    writeConcurrency: bounded(config.get<unknown>('writeConcurrency', 100), 1, 256, 100),
    fallbackNamespaces: listOf(config.get<unknown>('fallbackNamespaces', [])).filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 253).slice(0, 100),
    contexts: listOf(config.get<unknown>('contexts', [])).filter((n): n is string => typeof n === 'string' && n.length > 0 && n.length <= 253).slice(0, 100),
    logTailLines: bounded(config.get<unknown>('logTailLines', 500), 0, 100_000, 500),
    logBufferLines: bounded(config.get<unknown>('logBufferLines', 10_000), 100, 1_000_000, 10_000),
    terminalShell: text('terminalShell', '', 256),
  };
}

/** A whole number clamped to [min, max]; anything not a finite number gives the fallback. */
function bounded(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

/** A finite number clamped to [min, max], not rounded (sizes like 0.5 cores). */
function within(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Calls back on a change of CMP's settings with what it touches: 'connections' (the kubeconfig or
 * the fallback namespaces: every connection is made again), 'contexts' (which contexts are shown:
 * only those added or removed change), or 'other'.
 */
export function onSettingsChanged(listener: (affects: 'connections' | 'contexts' | 'other') => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('cmp')) return;
    if (e.affectsConfiguration('cmp.kubeconfig') || e.affectsConfiguration('cmp.fallbackNamespaces')) listener('connections');
    else listener(e.affectsConfiguration('cmp.contexts') ? 'contexts' : 'other');
  });
}
