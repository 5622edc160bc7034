// Rules for cluster names and label keys/values, mirroring the API server's DNS-1123 and
// qualified-name checks, with messages that say what to change.

import { clusterLabel, clusterNamespaceLabel, managedByLabel, maxClusterNameLength } from './names';

/** Why a cluster name is not usable, or undefined when it is. */
export function clusterNameError(name: string): string | undefined {
  if (name.length === 0) return 'Enter a cluster name.';
  if (/\s/.test(name)) return 'Spaces are not allowed; use "-" between words.';
  if (/[A-Z]/.test(name)) return `Use lowercase letters only ("${clip(name.toLowerCase())}").`;
  const bad = [...new Set(name.replace(/[a-z0-9-]/g, ''))];
  if (bad.length > 0) {
    // Invisible characters (bidi controls, zero-width marks) are named by code point, not pasted.
    const shown = bad.slice(0, 5).map((c) => (/^[\p{C}\p{Z}]$/u.test(c) ? `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : JSON.stringify(c))).join(', ');
    return `Only lowercase letters, digits and "-" are allowed; remove ${shown}${bad.length > 5 ? ` and ${bad.length - 5} more` : ''}.`;
  }
  if (name.length > maxClusterNameLength) {
    return `At most ${maxClusterNameLength} characters, so that the namespace "<name>-ns" fits 63; this has ${name.length}.`;
  }
  if (name.startsWith('-')) return 'Start with a lowercase letter or digit, not "-".';
  if (name.endsWith('-')) return 'End with a lowercase letter or digit, not "-".';
  if (name.startsWith('kube-')) return 'Names starting with "kube-" are reserved for Kubernetes system namespaces.';
  return undefined;
}

// kubernetes.io/metadata.name is the namespace's own name, set by the API.
const reservedLabelKeys = new Set([managedByLabel, clusterLabel, clusterNamespaceLabel, 'kubernetes.io/metadata.name']);
const labelNamePattern = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const dnsSubdomainPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function labelKeyError(key: string): string | undefined {
  if (key.length === 0) return 'A label needs a key before "=".';
  if (reservedLabelKeys.has(key)) return `"${key}" is set by CMP and cannot be overridden.`;
  const slash = key.lastIndexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return `Label key "${clip(key)}" has an empty prefix before "/".`;
    if (prefix.length > 253 || !dnsSubdomainPattern.test(prefix)) {
      return `Label key prefix "${clip(prefix)}" must be a lowercase DNS subdomain (like example.com).`;
    }
  }
  if (name.length === 0) return `Label key "${clip(key)}" needs a name after "/".`;
  if (name.length > 63) return `Label key name "${clip(name)}" is longer than 63 characters.`;
  if (!labelNamePattern.test(name)) {
    return `Label key "${clip(key)}" may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.`;
  }
  return undefined;
}

export function labelValueError(key: string, value: string): string | undefined {
  if (value.length > 63) return `Value of label "${clip(key)}" is longer than 63 characters.`;
  if (value.length > 0 && !labelNamePattern.test(value)) {
    return `Value of label "${clip(key)}" may use letters, digits, "-", "_" and ".", and must start and end with a letter or digit.`;
  }
  return undefined;
}

/** Parses "a=1, b=2" or one pair per line. */
export function parseLabels(text: string): { labels: Record<string, string>; error?: string } {
  // A Map, not an object: keys like "constructor" or "__proto__" are plain keys here.
  const labels = new Map<string, string>();
  const result = (error?: string) => ({ labels: Object.fromEntries(labels), ...(error ? { error } : {}) });
  if (text.length > maxLabelsText) return result(`The labels are ${text.length} characters; at most ${maxLabelsText}.`);
  const pairs = text.split(/[,\n]/).map((p) => p.trim()).filter((p) => p.length > 0);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 0) return result(`"${clip(pair)}" is not key=value.`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const error = labelKeyError(key) ?? labelValueError(key, value);
    if (error) return result(error);
    if (labels.has(key)) return result(`Label "${key}" is given twice.`);
    labels.set(key, value);
  }
  return result();
}

/** Room for a hundred long labels; more is not a label list. */
const maxLabelsText = 12_000;

/** Typed text quoted in a message, cut so the message stays readable. */
export function clip(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
