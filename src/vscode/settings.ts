// Typed access to the extension's settings. cmp.kubeconfig is a restricted setting: in an
// untrusted workspace VS Code ignores workspace values for it, so only the user's own value counts.
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
  /** Lines of history a log pane starts with, per instance (0: only new lines). */
  logTailLines: number;
  /** Most lines a log pane keeps; older ones are dropped. */
  logBufferLines: number;
}

export function readSettings(): CmpSettings {
  const config = vscode.workspace.getConfiguration('cmp');
  const positive = (key: string, fallback: number) => {
    const value = config.get<number>(key, fallback);
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    kubeconfig: config.get<string>('kubeconfig') || undefined,
    defaultImage: config.get<string>('defaultImage', 'nginx:1.27'),
    defaultCpu: positive('defaultCpu', 1),
    defaultMemoryGiB: positive('defaultMemoryGiB', 2),
    defaultInstanceCount: bounded(config.get<number>('defaultInstanceCount', 3), 1, 10_000, 3),
    // Clamped to the bounds package.json declares: a settings file may hold anything.
    maxInstances: bounded(config.get<number>('maxInstances', 500), 1, 10_000, 500),
    writeConcurrency: bounded(config.get<number>('writeConcurrency', 100), 1, 256, 100),
    fallbackNamespaces: config.get<string[]>('fallbackNamespaces', []).filter((n) => typeof n === 'string' && n.length > 0),
    logTailLines: bounded(config.get<number>('logTailLines', 500), 0, 100_000, 500),
    logBufferLines: bounded(config.get<number>('logBufferLines', 10_000), 100, 1_000_000, 10_000),
  };
}

function bounded(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

export function onSettingsChanged(listener: (affectsConnection: boolean) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('cmp')) listener(e.affectsConfiguration('cmp.kubeconfig') || e.affectsConfiguration('cmp.fallbackNamespaces'));
  });
}
