// The usage part of tree tooltips, read when the user hovers: quota used/hard of a cluster, and CPU
// and memory per instance when the metrics API answers (when it does not, nothing shows, no error).
import type * as vscode from 'vscode';
import { podUsageLine, quotaUsageLine } from '../../core/usage';
import type { KubeClient } from '../../kube/kubeClient';
import { readPodUsage, readQuotaUsage } from '../../kube/usageReader';

/** Instances listed at most in a cluster tooltip. */
const maxUsageLines = 20;

export async function clusterUsageLines(client: KubeClient, namespace: string, signal: AbortSignal): Promise<string[]> {
  const [quotas, usage] = await Promise.all([readQuotaUsage(client, namespace, signal), readPodUsage(client, namespace, undefined, signal)]);
  const lines = quotas.length ? quotas.map((q) => `Quota ${quotaUsageLine(q)}`) : ['Quota: none'];
  if (usage?.length) {
    lines.push('Usage (metrics.k8s.io):', ...usage.slice(0, maxUsageLines).map(podUsageLine));
    if (usage.length > maxUsageLines) lines.push(`… and ${usage.length - maxUsageLines} more (see CMP: Describe)`);
  }
  return lines;
}

export async function instanceUsageLines(client: KubeClient, namespace: string, pod: string, signal: AbortSignal): Promise<string[]> {
  const usage = await readPodUsage(client, namespace, pod, signal);
  return (usage ?? []).map((u) => `Usage: ${podUsageLine(u).slice(u.name.length + 2)}`);
}

/** Appends lines as text (never markup) to a tooltip built by treeItems.ts. */
export function appendLines(tooltip: vscode.MarkdownString, lines: readonly string[]): void {
  for (const line of lines) tooltip.appendText(line).appendMarkdown('  \n');
}
