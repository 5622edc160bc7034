// Turns tree nodes into TreeItems: labels, descriptions, health icons, tooltips and the
// contextValue tokens that drive the menus. All cluster text goes into MarkdownStrings as text.
import * as vscode from 'vscode';
import { inertText } from '../../core/inertText';
import { redact } from '../../core/redact';
import { clusterDescription, formatAge, instanceDescription, type ClusterView, type Health, type InstanceState, type InstanceView } from '../../core/clusterView';
import { formatNumber } from '../../core/quantities';
import { deniedSummary, type ActionPermission } from '../../core/permissions';
import { contextDescription, type ContextStatus } from '../../core/fleet';
import { contextValues, withActions, type ClusterNode, type ContextNode, type InstanceNode, type MessageNode } from './treeNodes';

export const stuckAfterMs = 60_000;

const healthIcons: Record<Health, vscode.ThemeIcon> = {
  ready: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  progressing: new vscode.ThemeIcon('loading~spin'),
  failing: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  terminating: new vscode.ThemeIcon('trash', new vscode.ThemeColor('disabledForeground')),
};

const instanceIcons: Record<InstanceState, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('circle-filled', new vscode.ThemeColor('testing.iconPassed')),
  pending: new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('testing.iconQueued')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  terminating: new vscode.ThemeIcon('trash', new vscode.ThemeColor('disabledForeground')),
  stopped: new vscode.ThemeIcon('debug-stop'),
  unknown: new vscode.ThemeIcon('question', new vscode.ThemeColor('testing.iconErrored')),
};

/** How long a terminating cluster has been terminating, from its namespace's deletionTimestamp. */
export function terminatingForMs(deletionTimestamp: string | undefined, now: number): number {
  return deletionTimestamp ? now - Date.parse(deletionTimestamp) : 0;
}

/** The tooltip line naming what the user may not do on this cluster, if anything. */
export function deniedLines(permissions: readonly ActionPermission[] | undefined): string[] {
  const denied = permissions && deniedSummary(permissions);
  return denied ? [`Not allowed for you here: ${denied}.`] : [];
}

export function clusterItem(node: ClusterNode, view: ClusterView, deletionTimestamp: string | undefined, permissions?: readonly ActionPermission[], now = Date.now()): vscode.TreeItem {
  const item = new vscode.TreeItem(view.name, vscode.TreeItemCollapsibleState.Collapsed);
  // Ids name the context: two contexts may each have a cluster of the same name.
  item.id = `cluster:${node.connection.contextName}/${node.namespace}`;
  const stuck = view.terminating && terminatingForMs(deletionTimestamp, now) > stuckAfterMs;
  item.description = stuck ? `Terminating for ${formatAge(deletionTimestamp, now)}: see tooltip` : clusterDescription(view);
  item.iconPath = stuck ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')) : healthIcons[view.health];
  item.contextValue = stuck ? contextValues.clusterStuck : view.terminating ? contextValues.clusterTerminating : withActions(contextValues.cluster, permissions);
  item.tooltip = clusterTooltip(view, deniedLines(permissions));
  item.accessibilityInformation = { label: `Cluster ${view.name}, ${item.description}` };
  return item;
}

/** A Markdown tooltip in which every value from the cluster is escaped text. */
export function clusterTooltip(view: ClusterView, extra: string[] = []): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown('**Cluster** ').appendText(view.name).appendMarkdown('\n\n');
  md.appendMarkdown('Namespace: ').appendText(view.namespace).appendMarkdown('  \n');
  md.appendMarkdown('Age: ').appendText(formatAge(view.createdAt) || 'unknown').appendMarkdown('  \n');
  if (view.spec) {
    md.appendMarkdown('Spec: ').appendText(inertText(`${view.spec.count} × ${view.spec.instanceType}, ${formatNumber(view.spec.cpu)} CPU, ${formatNumber(view.spec.memoryGiB)} GiB${view.spec.image ? `, ${view.spec.image}` : ''}`));
    if (view.specDerived) md.appendMarkdown(' ').appendText('(derived from an instance: the namespace has no stored spec)');
    md.appendMarkdown('  \n');
  }
  md.appendMarkdown('Labels: ').appendText(Object.entries(view.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'none').appendMarkdown('  \n');
  for (const line of extra) md.appendText(inertText(line)).appendMarkdown('  \n');
  return md;
}

export function instanceItem(node: InstanceNode, view: InstanceView, permissions?: readonly ActionPermission[]): vscode.TreeItem {
  const item = new vscode.TreeItem(view.name, vscode.TreeItemCollapsibleState.None);
  item.id = `instance:${node.connection.contextName}/${node.namespace}/${node.instanceKind}/${node.name}`;
  const age = formatAge(view.createdAt);
  item.description = inertText(`${instanceDescription(view)}${age ? ` · ${age}` : ''}`);
  item.iconPath = instanceIcons[view.state];
  item.contextValue = withActions(contextValues.instance, permissions);
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendMarkdown(`**${view.kind === 'Pod' ? 'Pod' : 'VirtualMachine'}** `).appendText(view.name).appendMarkdown('\n\n');
  const rows: [string, string | undefined][] = [
    ['Phase', view.phase], ['Ready', view.ready ? 'yes' : 'no'], ['Restarts', String(view.restarts)], ['Node', view.node], ['IP', view.ip], ['Age', age], ['Reason', view.reason],
  ];
  for (const [label, value] of rows) if (value) md.appendMarkdown(`${label}: `).appendText(inertText(value)).appendMarkdown('  \n');
  item.tooltip = md;
  return item;
}

const contextIcons: Record<ContextStatus['kind'], vscode.ThemeIcon> = {
  connecting: new vscode.ThemeIcon('loading~spin'),
  live: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('testing.iconPassed')),
  limited: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('list.warningForeground')),
  unreachable: new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed')),
  forbidden: new vscode.ThemeIcon('lock', new vscode.ThemeColor('testing.iconFailed')),
  unauthorized: new vscode.ThemeIcon('lock', new vscode.ThemeColor('testing.iconFailed')),
  invalid: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
};

/** A context's row: its name, state and counts; the tooltip names its server and what is wrong. */
export function contextItem(node: ContextNode, status: ContextStatus, clusters: readonly ClusterView[], server: string | undefined): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `context:${node.name}`;
  item.description = contextDescription(status, clusters);
  item.iconPath = contextIcons[status.kind];
  item.contextValue = contextValues.context;
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.appendMarkdown('**Context** ').appendText(node.name).appendMarkdown('\n\n');
  if (server) md.appendMarkdown('Server: ').appendText(redact(server)).appendMarkdown('  \n');
  md.appendMarkdown('State: ').appendText(item.description).appendMarkdown('  \n');
  if ('message' in status) md.appendText(clipText(redact(status.message), 2000)).appendMarkdown('  \n');
  item.tooltip = md;
  item.accessibilityInformation = { label: `Context ${node.name}, ${item.description}` };
  return item;
}

/** A state or error line; its text comes from servers and files, so credentials are cut and length bounded. */
export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(clipText(redact(node.text), 300), vscode.TreeItemCollapsibleState.None);
  item.id = `message:${node.id}`;
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.contextValue = contextValues.message;
  if (node.detail) item.tooltip = clipText(redact(node.detail), 2000);
  if (node.command) item.command = { command: node.command.command, title: node.command.title };
  return item;
}

function clipText(text: string, max: number): string {
  const shown = inertText(text);
  return shown.length > max ? `${shown.slice(0, max)}…` : shown;
}
