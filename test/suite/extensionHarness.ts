// Shared setup of the extension-host suites: points the extension at the local control plane's
// kubeconfig, activates it, and waits for its live cache; also small waits on tree state.
import * as vscode from 'vscode';
import type { CmpExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/tree/treeNodes';
import { adminKubeconfigPath, eventually } from '../support/testPlane';

export const extensionId = 'cmp-platform.cmp-clusters';

export async function connectedExtension(kubeconfig = adminKubeconfigPath()): Promise<CmpExtensionApi> {
  const extension = vscode.extensions.getExtension<CmpExtensionApi>(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not installed`);
  const api = await extension.activate();
  const config = vscode.workspace.getConfiguration('cmp');
  if (config.get<string>('kubeconfig') !== kubeconfig) {
    await config.update('kubeconfig', kubeconfig, vscode.ConfigurationTarget.Global);
  }
  await eventually('the extension to connect and list clusters', async () => {
    const state = api.services.session.state;
    return state.kind === 'connected' && state.cache.state.kind === 'ready' ? true : undefined;
  }, 30_000);
  return api;
}

/** The tree's top-level cluster nodes, as VS Code would ask for them. */
export function topLevelNamespaces(api: CmpExtensionApi): string[] {
  return (api.services.tree.getChildren() as TreeNode[]).filter((n) => n.kind === 'cluster').map((n) => (n.kind === 'cluster' ? n.namespace : ''));
}

export function clusterTreeItem(api: CmpExtensionApi, namespace: string): vscode.TreeItem {
  return api.services.tree.getTreeItem(api.services.tree.clusterNode(namespace)) as vscode.TreeItem;
}

/**
 * Answers the extension's questions as a user would, through the test-only API: every
 * confirmation with `confirm`, every input box with `input`; what was asked is recorded.
 * Returns a function that puts the real prompts back.
 */
export function answerPrompts(api: CmpExtensionApi, answers: { confirm?: boolean; input?: string }): { asked: string[]; restore(): void } {
  const real = api.services.prompts;
  const asked: string[] = [];
  api.services.prompts = {
    confirm: async (message, detail) => {
      asked.push(`${message} ${detail}`);
      return answers.confirm ?? false;
    },
    inputBox: async (options) => {
      asked.push(options.prompt ?? '');
      const error = answers.input === undefined ? undefined : await options.validateInput?.(answers.input);
      if (error) throw new Error(`the input box refused ${answers.input}: ${typeof error === 'string' ? error : error.message}`);
      return answers.input;
    },
  };
  return { asked, restore: () => (api.services.prompts = real) };
}
