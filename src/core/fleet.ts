// Which contexts of the kubeconfig the tree shows (the setting cmp.contexts: [] the current one,
// a list by name, or ["*"] every one), and how each context reads at the tree's top level: its
// state (connecting, live, limited view, unreachable, Forbidden, or a kubeconfig error) and its
// counts (clusters, instances ready / total). Pure: the connections live in kube/contextConnection.ts.

import type { ClusterView } from './clusterView';

/** The contexts to show, in the order asked (kubeconfig order for "*"), and names asked for that the kubeconfig lacks. */
export function selectContexts(setting: readonly string[], available: readonly string[], current: string | undefined): { names: string[]; unknown: string[] } {
  if (setting.includes('*')) return { names: [...available], unknown: [] };
  if (setting.length === 0) return { names: current && available.includes(current) ? [current] : [], unknown: [] };
  const asked = [...new Set(setting)];
  return { names: asked.filter((n) => available.includes(n)), unknown: asked.filter((n) => !available.includes(n)) };
}

export type ContextStatus =
  | { kind: 'connecting' }
  | { kind: 'live' }
  /** Listing namespaces cluster-wide is refused: only these are watched. */
  | { kind: 'limited'; namespaces: string[] }
  | { kind: 'unreachable'; message: string; retryInMs: number }
  | { kind: 'forbidden'; message: string; retryInMs: number }
  | { kind: 'unauthorized'; message: string; retryInMs: number }
  /** The kubeconfig cannot make a connection for it (its user or cluster missing, say). */
  | { kind: 'invalid'; message: string };

const stateWords: Record<ContextStatus['kind'], string> = {
  connecting: 'connecting…',
  live: 'live',
  limited: 'limited view',
  unreachable: 'unreachable',
  forbidden: 'Forbidden',
  unauthorized: 'Unauthorised',
  invalid: 'kubeconfig error',
};

/** A context's row: "live · 3 clusters · 7/9 ready"; counts only once something was listed. */
export function contextDescription(status: ContextStatus, clusters: readonly ClusterView[]): string {
  const parts = [stateWords[status.kind]];
  if (status.kind === 'live' || status.kind === 'limited') {
    const instances = clusters.flatMap((c) => c.instances);
    const ready = instances.filter((i) => i.ready).length;
    parts.push(`${clusters.length} cluster${clusters.length === 1 ? '' : 's'}`, `${ready}/${instances.length} ready`);
  }
  if ('retryInMs' in status) parts.push(`retrying in ${Math.max(1, Math.round(status.retryInMs / 1000))} s`);
  return parts.join(' · ');
}
