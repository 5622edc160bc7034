// What every command receives: the session, the logger, the tree and its view, the panels, the
// Describe documents and the port forwards. Passed in explicitly; there are no module-level singletons.
import type * as vscode from 'vscode';
import type { DescribeProvider } from '../describe/describeProvider';
import type { PortForwards } from '../forwards/portForwards';
import type { Logger } from '../logger';
import type { ClusterEditPanels } from '../panels/clusterEditPanel';
import type { ClusterFormPanels } from '../panels/clusterFormPanel';
import type { EventsPanels } from '../panels/eventsPanel';
import type { LogsPanels } from '../panels/logsPanel';
import type { Prompts } from '../prompts';
import type { Session } from '../session';
import type { ClusterTreeProvider } from '../tree/clusterTreeProvider';
import type { TreeNode } from '../tree/treeNodes';

export interface Services {
  session: Session;
  logger: Logger;
  tree: ClusterTreeProvider;
  treeView: vscode.TreeView<TreeNode>;
  forms: ClusterFormPanels;
  edits: ClusterEditPanels;
  events: EventsPanels;
  logs: LogsPanels;
  describe: DescribeProvider;
  memento: vscode.Memento;
  prompts: Prompts;
  forwards: PortForwards;
}
