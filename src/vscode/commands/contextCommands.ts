// Commands about the connection: switch context (remembered, the file is not rewritten), select
// a kubeconfig file (saved in the user's settings), and retry after an error.
import * as vscode from 'vscode';
import { readSettings } from '../settings';
import type { Services } from './services';

export async function switchContextCommand(services: Services, contextName?: string): Promise<void> {
  const contexts = services.session.contexts();
  if (contextName === undefined) {
    if (contexts.length === 0) {
      void vscode.window.showWarningMessage('The kubeconfig has no contexts to switch to.', 'Select Kubeconfig…').then((c) => {
        if (c) void vscode.commands.executeCommand('cmp.selectKubeconfig');
      });
      return;
    }
    const picked = await vscode.window.showQuickPick(
      contexts.map((c) => ({ label: c.name, description: c.active ? `${c.cluster} (active)` : c.cluster })),
      { title: 'Switch CMP Context', placeHolder: 'Choose the context CMP Clusters shows' },
    );
    if (!picked) return;
    contextName = picked.label;
  }
  if (!contexts.some((c) => c.name === contextName)) {
    void vscode.window.showErrorMessage(`There is no context "${contextName}" in the kubeconfig.`);
    return;
  }
  // With named contexts shown, the active one (where Create goes) must be one of them.
  const named = readSettings().contexts;
  if (named.length && !named.includes('*') && !named.includes(contextName)) {
    void vscode.window.showWarningMessage(`Context ${contextName} is not among the contexts the tree shows (cmp.contexts: ${named.join(', ')}); add it there first.`, 'Choose Contexts…').then((choice) => {
      if (choice) void vscode.commands.executeCommand('cmp.chooseContexts');
    });
    return;
  }
  await services.session.switchContext(contextName);
}

/** "CMP: Choose Contexts…": which contexts the tree shows at once, saved in cmp.contexts (user settings). */
export async function chooseContextsCommand(services: Services): Promise<void> {
  const contexts = services.session.contexts();
  if (contexts.length === 0) {
    void vscode.window.showWarningMessage('The kubeconfig has no contexts to choose from.');
    return;
  }
  const shown = new Set(services.session.entries().map((c) => c.name));
  const all = { label: 'Every context', description: 'now and as the kubeconfig gains them ("*")', value: '*' };
  const items = [all, ...contexts.map((c) => ({ label: c.name, description: c.active ? `${c.cluster} (active)` : c.cluster, value: c.name, picked: shown.has(c.name) }))];
  const picked = await vscode.window.showQuickPick(items, { title: 'Contexts CMP Clusters shows', placeHolder: 'None chosen: the current context only', canPickMany: true });
  if (!picked) return;
  const value = picked.some((p) => p.value === '*') ? ['*'] : picked.map((p) => p.value);
  await vscode.workspace.getConfiguration('cmp').update('contexts', value, vscode.ConfigurationTarget.Global);
}

export async function selectKubeconfigCommand(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({ title: 'Select Kubeconfig', canSelectMany: false, openLabel: 'Use this kubeconfig' });
  if (!picked?.[0]) return;
  await vscode.workspace.getConfiguration('cmp').update('kubeconfig', picked[0].fsPath, vscode.ConfigurationTarget.Global);
}

export function retryCommand(services: Services): void {
  services.session.reload();
}
