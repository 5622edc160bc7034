// CMP naming and labelling rules: how a cluster name maps to its namespace, and the labels that
// mark what CMP manages. Shared by every CMP tool, so these strings never change lightly.

export const managedByLabel = 'managed-by';
export const managedByValue = 'cmp';
export const clusterLabel = 'cluster';
export const clusterNamespaceLabel = 'cluster-namespace';
export const instanceIndexLabel = 'cmp.io/instance-index';
export const specAnnotation = 'cmp.io/cluster-spec';
/** The field manager of every write, so `kubectl get -o yaml --show-managed-fields` names us. */
export const fieldManager = 'cmp-clusters';
/** The component named on the Events CMP records (events.k8s.io reportingController). */
export const eventReporter = 'cmp-vscode';
export const namespaceSuffix = '-ns';
export const instancePrefix = 'instance-';
/** 63 (DNS-1123 label) minus the length of "-ns". */
export const maxClusterNameLength = 60;

export const managedSelector = `${managedByLabel}=${managedByValue}`;

export function namespaceFor(clusterName: string): string {
  return `${clusterName}${namespaceSuffix}`;
}

/** The cluster a namespace holds: its `cluster` label, else its name without `-ns`. */
export function clusterNameOf(namespace: { name: string; labels?: Record<string, string> }): string {
  const fromLabel = namespace.labels?.[clusterLabel];
  if (fromLabel) return fromLabel;
  return namespace.name.endsWith(namespaceSuffix) ? namespace.name.slice(0, -namespaceSuffix.length) : namespace.name;
}

export function isManaged(labels: Record<string, string> | undefined): boolean {
  return labels?.[managedByLabel] === managedByValue;
}

export function instanceName(index: number): string {
  return `${instancePrefix}${index}`;
}

/** The index of `instance-<n>`, or undefined for any other name. */
export function instanceIndexOf(name: string): number | undefined {
  const match = /^instance-(0|[1-9]\d*)$/.exec(name);
  return match ? Number(match[1]) : undefined;
}
