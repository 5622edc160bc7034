// Rules for cluster names and label keys/values, mirroring the API server's DNS-1123 and
// qualified-name checks, with messages that say what to change.

import { clusterLabel, clusterNamespaceLabel, managedByLabel, maxClusterNameLength } from './names';

/** Why a cluster name is not usable, or undefined when it is. */
export function clusterNameError(name: string): string | undefined {
  if (name.length === 0) return 'Enter a cluster name.';
  if (/\s/.test(name)) return 'Spaces are not allowed; use "-" between words.';
  if (/[A-Z]/.test(name)) return `Use lowercase letters only ("${name.toLowerCase()}").`;
  const bad = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (bad.length > 0) return `Only lowercase letters, digits and "-" are allowed; remove ${bad.map((c) => `"${c}"`).join(', ')}.`;
  if (name.length > maxClusterNameLength) {
    return `At most ${maxClusterNameLength} characters, so that the namespace "<name>-ns" fits 63; this has ${name.length}.`;
  }
  if (name.startsWith('-')) return 'Start with a lowercase letter or digit, not "-".';
  if (name.endsWith('-')) return 'End with a lowercase letter or digit, not "-".';
  if (name.startsWith('kube-')) return 'Names starting with "kube-" are reserved for Kubernetes system namespaces.';
  return undefined;
}

const reservedLabelKeys = new Set([managedByLabel, clusterLabel, clusterNamespaceLabel]);
const labelNamePattern = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelKeyError(key: string): string | undefined {
  if (key.length === 0) return 'A label needs a key before "=".';
  if (reservedLabelKeys.has(key)) return `"${key}" is set by CMP and cannot be overridden.`;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return `Label key "${key}" has an empty prefix before "/".`;
    if (prefix.length > 253 || !dnsSubdomainPattern.test(prefix)) {
      return `Label key prefix "${prefix}" must be a lowercase DNS subdomain (like example.com).`;
    }
  }
  if (name.length === 0) return `Label key "${key}" needs a name after "/".`;
  if (name.length > 63) return `Label key name "${name}" is longer than 63 characters.`;
  if (!labelNamePattern.test(name)) {
    return `Label key "${key}" may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.`;
  }
  return undefined;
}

export function labelValueError(key: string, value: string): string | undefined {
  if (value.length > 63) return `Value of label "${key}" is longer than 63 characters.`;
  if (value.length > 0 && !labelNamePattern.test(value)) {
    return `Value of label "${key}" may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.`;
  }
  return undefined;
}

/** Parses "a=1, b=2" or one pair per line. */
export function parseLabels(text: string): { labels: Record<string, string>; error?: string } {
  const labels: Record<string, string> = {};
  const pairs = text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p.length > 0);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) return { labels, error: `"${pair}" is not key=value.` };
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const error = labelKeyError(key) ?? labelValueError(key, value);
    if (error) return { labels, error };
    if (key in labels) return { labels, error: `Label "${key}" is given twice.` };
    labels[key] = value;
  }
  return { labels };
}
