// Entry point of CMP Clusters: wiring only. It makes the session, the tree, the panels and the
// commands, and hands each to context.subscriptions so they are disposed with the extension.
import * as vscode from 'vscode';
import { registerCommands } from './vscode/commands/registerCommands';
import type { Services } from './vscode/commands/services';
import { DescribeProvider } from './vscode/describe/describeProvider';
import { Logger } from './vscode/logger';
import { ClusterEditPanels } from './vscode/panels/clusterEditPanel';
import { ClusterFormPanels } from './vscode/panels/clusterFormPanel';
import { ForwardsTreeProvider } from './vscode/forwards/forwardsTree';
import { PortForwards } from './vscode/forwards/portForwards';
import { EventsPanels } from './vscode/panels/eventsPanel';
import { LogsPanels } from './vscode/panels/logsPanel';
import { Session } from './vscode/session';
import { redact } from './core/redact';
import { windowPrompts } from './vscode/prompts';
import { onSettingsChanged } from './vscode/settings';
import { ClusterTreeProvider } from './vscode/tree/clusterTreeProvider';
import type { TreeNode } from './vscode/tree/treeNodes';

/** What activate() returns in ExtensionMode.Test only: the surface tests drive. Never a public API. */
export interface CmpExtensionApi {
  services: Services;
}

export function activate(context: vscode.ExtensionContext): CmpExtensionApi | undefined {
  // Tests reach the services (the authenticated client among them); no other extension may.
  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const logger = new Logger();
  const session = new Session(context.globalState, logger);
  const tree = new ClusterTreeProvider(session);
  const treeView = vscode.window.createTreeView<TreeNode>('cmpClusters.tree', { treeDataProvider: tree, showCollapseAll: true });
  const forms = new ClusterFormPanels({
    extensionUri: context.extensionUri,
    session,
    logger,
    testMode,
    onCreated: (contextName, namespace) => void revealWhenListed(services, contextName, namespace),
  });
  const edits = new ClusterEditPanels({ extensionUri: context.extensionUri, session, logger, prompts: () => services.prompts, testMode });
  const paneDeps = { extensionUri: context.extensionUri, session, logger, testMode };
  const events = new EventsPanels(paneDeps);
  const logs = new LogsPanels(paneDeps);
  const describe = new DescribeProvider(session, logger);
  const forwards = new PortForwards(session, logger);
  const forwardsTree = new ForwardsTreeProvider(forwards);
  const forwardsView = vscode.window.createTreeView('cmpClusters.forwards', { treeDataProvider: forwardsTree });
  const services: Services = { session, logger, tree, treeView, forms, edits, events, logs, describe, memento: context.globalState, prompts: windowPrompts(), forwards };
  context.subscriptions.push(
    logger,
    session,
    tree,
    treeView,
    forms,
    edits,
    events,
    logs,
    describe,
    forwards,
    forwardsTree,
    forwardsView,
    ...registerCommands(services, testMode),
    session.onDidChange((state) => {
      treeView.description = state.kind !== 'connected' ? undefined : session.showsContexts ? `${session.entries().length} contexts` : state.contextName;
      treeView.message = state.kind === 'connected' ? undefined : redact(state.message);
    }),
    onSettingsChanged((affects) => {
      if (affects === 'connections') session.reload();
      if (affects === 'contexts') session.reload({ keepUnchanged: true });
    }),
  );
  // Connecting starts watches; do it after activation returns so activation itself stays instant.
  setTimeout(() => session.reload(), 0);
  return testMode ? { services } : undefined;
}

/** Reveals a just-created cluster once the watch has listed it (normally within milliseconds). */
async function revealWhenListed(services: Services, contextName: string, namespace: string): Promise<void> {
  const state = services.session.connectionNamed(contextName);
  if (!state) return;
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
  // The node as the tree has it once the cluster is listed (with its uid), in the context it was made in.
  if (state.cache.cluster(namespace) && services.session.connectionOf(state)) await services.treeView.reveal(services.tree.clusterNode(namespace, contextName), { select: true, focus: false, expand: true });
}

export function deactivate(): void {
  // Everything is released through context.subscriptions.
}
