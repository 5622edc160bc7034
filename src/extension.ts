// Entry point of CMP Clusters: wiring only. It makes the session, the tree, the panels and the
// commands, and hands each to context.subscriptions so they are disposed with the extension.
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/registerCommands';
import type { Services } from './vscode/commands/services';
import { DescribeProvider } from './vscode/describe/describeProvider';
import { Logger } from './vscode/logger';
import { ClusterFormPanels } from './vscode/panels/clusterFormPanel';
import { EventsPanels } from './vscode/panels/eventsPanel';
import { LogsPanels } from './vscode/panels/logsPanel';
import { Session } from './vscode/session';
import { onSettingsChanged } from './vscode/settings';
import { ClusterTreeProvider } from './vscode/tree/clusterTreeProvider';
import type { TreeNode } from './vscode/tree/treeNodes';

/** What activate() returns: a small surface for tests and benchmarks, not a public API. */
export interface CmpExtensionApi {
  services: Services;
}

export function activate(context: vscode.ExtensionContext): CmpExtensionApi {
  const logger = new Logger();
  const session = new Session(context.globalState, logger);
  const tree = new ClusterTreeProvider(session);
  const treeView = vscode.window.createTreeView<TreeNode>('cmpClusters.tree', { treeDataProvider: tree, showCollapseAll: true });
  const forms = new ClusterFormPanels({
    extensionUri: context.extensionUri,
    session,
    logger,
    onCreated: (namespace) => void revealWhenListed(services, namespace),
  });
  const paneDeps = { extensionUri: context.extensionUri, session, logger };
  const events = new EventsPanels(paneDeps);
  const logs = new LogsPanels(paneDeps);
  const describe = new DescribeProvider(session, logger);
  const services: Services = { session, logger, tree, treeView, forms, events, logs, describe, memento: context.globalState };
  context.subscriptions.push(
    logger,
    session,
    tree,
    treeView,
    forms,
    events,
    logs,
    describe,
    ...registerCommands(services),
    session.onDidChange((state) => {
      treeView.description = state.kind === 'connected' ? state.contextName : undefined;
      treeView.message = state.kind === 'connected' ? undefined : state.message;
    }),
    onSettingsChanged((affectsConnection) => {
      if (affectsConnection) session.reload();
    }),
  );
  // Connecting starts watches; do it after activation returns so activation itself stays instant.
  setTimeout(() => session.reload(), 0);
  return { services };
}

/** Reveals a just-created cluster once the watch has listed it (normally within milliseconds). */
async function revealWhenListed(services: Services, namespace: string): Promise<void> {
  const state = services.session.state;
  if (state.kind !== 'connected') return;
  const node = services.tree.clusterNode(namespace);
  if (!state.cache.cluster(namespace)) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        done.dispose();
        resolve();
      }, 10_000);
      const done = state.cache.onDidChange(() => {
        if (state.cache.cluster(namespace)) {
          clearTimeout(timer);
          done.dispose();
          resolve();
        }
      });
    });
  }
  if (state.cache.cluster(namespace)) await services.treeView.reveal(node, { select: true, focus: false, expand: true });
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
