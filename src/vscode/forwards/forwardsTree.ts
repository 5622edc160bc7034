// The Port Forwards view: one row per forward, `localhost:LOCAL → cluster/instance:REMOTE`, its state
// and connections, and inline actions (Open in Browser, Copy Address, Stop) from package.json.
import * as vscode from 'vscode';
import { shownMessage } from '../../core/inertText';
import type { ForwardEntry, PortForwards } from './portForwards';

export const forwardContextValue = 'cmpForward';

export class ForwardsTreeProvider implements vscode.TreeDataProvider<ForwardEntry>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly forwards: PortForwards) {
    this.subscription = forwards.onDidChange(() => this.changed.fire());
  }

  getChildren(element?: ForwardEntry): ForwardEntry[] {
    return element ? [] : this.forwards.list();
  }

  getTreeItem(entry: ForwardEntry): vscode.TreeItem {
    const item = new vscode.TreeItem(entry.label, vscode.TreeItemCollapsibleState.None);
    item.id = `forward-${entry.id}`;
    item.contextValue = forwardContextValue;
    const connections = entry.connections();
    item.description = entry.state.kind === 'active' ? `active${connections ? `, ${connections} connection${connections === 1 ? '' : 's'}` : ''}` : shownMessage(entry.state.kind === 'waiting' ? entry.state.reason : entry.state.reason);
    item.iconPath = new vscode.ThemeIcon(entry.state.kind === 'active' ? 'plug' : 'loading~spin');
    item.tooltip = `${entry.label}\ncontext ${entry.request.contextName}, namespace ${entry.request.namespace}\n${item.description}`;
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
