// Where a Describe document points: the cmp-describe: URI of a cluster or an instance, in a context.
// Pure (path and query strings in, target out) so the round trip has unit tests.

export const describeScheme = 'cmp-describe';

export type DescribeTarget =
  | { kind: 'cluster'; context: string; namespace: string }
  | { kind: 'instance'; context: string; namespace: string; instanceKind: 'Pod' | 'VirtualMachine'; name: string };

/** "/my-app-ns.yaml" or "/my-app-ns/instance-0.yaml", with the context and kind in the query. */
export function describeLocation(target: DescribeTarget): { path: string; query: string } {
  const query = new URLSearchParams({ context: target.context, kind: target.kind === 'cluster' ? 'cluster' : target.instanceKind });
  const path = target.kind === 'cluster' ? `/${target.namespace}.yaml` : `/${target.namespace}/${target.name}.yaml`;
  return { path, query: query.toString() };
}

export function parseDescribeLocation(path: string, query: string): DescribeTarget | undefined {
  const params = new URLSearchParams(query);
  const context = params.get('context') ?? '';
  const kind = params.get('kind');
  const parts = path.replace(/^\//, '').replace(/\.yaml$/, '').split('/');
  if (kind === 'cluster' && parts.length === 1 && parts[0]) return { kind: 'cluster', context, namespace: parts[0] };
  if ((kind === 'Pod' || kind === 'VirtualMachine') && parts.length === 2 && parts[0] && parts[1]) {
    return { kind: 'instance', context, namespace: parts[0], instanceKind: kind, name: parts[1] };
  }
  return undefined;
}
