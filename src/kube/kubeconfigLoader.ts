// Finds and loads the kubeconfig the way kubectl does: an explicit path, else every file in
// KUBECONFIG merged (first file wins for each name and for current-context), else ~/.kube/config.

import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import type { Cluster, Context, KubeConfig, User } from '@kubernetes/client-node';
import { redact } from '../core/redact';
import { clientLibrary } from './clientLibrary';

export type KubeconfigOrigin = 'setting' | 'KUBECONFIG' | 'default';

export interface KubeconfigLocation {
  paths: string[];
  origin: KubeconfigOrigin;
}

export class KubeconfigError extends Error {
  constructor(readonly kind: 'missing' | 'invalid' | 'no-context', message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export function locateKubeconfig(setting: string | undefined, env: NodeJS.ProcessEnv = process.env, home: string = homedir()): KubeconfigLocation {
  const expand = (p: string) => (p.startsWith('~/') ? join(home, p.slice(2)) : p);
  if (setting && setting.trim()) return { paths: [expand(setting.trim())], origin: 'setting' };
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).map((p) => p.trim()).filter(Boolean).map(expand);
  if (fromEnv.length > 0) return { paths: [...new Set(fromEnv)], origin: 'KUBECONFIG' };
  return { paths: [join(home, '.kube', 'config')], origin: 'default' };
}

export interface LoadedKubeconfig {
  kc: KubeConfig;
  /** Files that were read (missing ones in KUBECONFIG are skipped, like kubectl). */
  files: string[];
}

export function loadKubeconfig(location: KubeconfigLocation): LoadedKubeconfig {
  const files = location.paths.filter((p) => existsSync(p));
  if (files.length === 0) {
    const where = location.origin === 'setting' ? 'setting cmp.kubeconfig' : location.origin === 'KUBECONFIG' ? 'KUBECONFIG' : 'the default location';
    throw new KubeconfigError('missing', `No kubeconfig found at ${location.paths.join(', ')} (${where}).`);
  }
  const clusters = new Map<string, Cluster>();
  const users = new Map<string, User>();
  const contexts = new Map<string, Context>();
  let currentContext = '';
  for (const file of files) {
    const one = new (clientLibrary().KubeConfig)();
    try {
      one.loadFromString(readFileSync(file, 'utf8'));
      one.makePathsAbsolute(dirname(isAbsolute(file) ? file : join(process.cwd(), file)));
    } catch (error) {
      throw new KubeconfigError('invalid', `Cannot read kubeconfig ${file}: ${parseFailure(error)}`);
    }
    for (const c of one.getClusters()) if (!clusters.has(c.name)) clusters.set(c.name, c);
    for (const u of one.getUsers()) if (!users.has(u.name)) users.set(u.name, u);
    for (const c of one.getContexts()) if (!contexts.has(c.name)) contexts.set(c.name, c);
    if (!currentContext) currentContext = one.getCurrentContext() ?? '';
  }
  const kc = new (clientLibrary().KubeConfig)();
  kc.loadFromOptions({ clusters: [...clusters.values()], users: [...users.values()], contexts: [...contexts.values()], currentContext });
  return { kc, files };
}

/** A copy of the kubeconfig pointed at one context, so the user's files are never rewritten. */
export function forContext(kc: KubeConfig, contextName: string | undefined): KubeConfig {
  const name = contextName && kc.getContextObject(contextName) ? contextName : kc.getCurrentContext();
  if (!name || !kc.getContextObject(name)) {
    throw new KubeconfigError('no-context', kc.getContexts().length === 0 ? 'The kubeconfig has no contexts.' : 'The kubeconfig has no current context: pick one with "CMP: Switch Context".');
  }
  const copy = new (clientLibrary().KubeConfig)();
  copy.loadFromOptions({ clusters: kc.getClusters(), users: kc.getUsers(), contexts: kc.getContexts(), currentContext: name });
  return copy;
}

/** The namespace the context names, if any: where a user without cluster-wide rights may look. */
export function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

/**
 * Why a context cannot be connected as the kubeconfig defines it (kubectl's own checks): it names a
 * cluster or a user the merged files do not define (a cluster without a server is refused on load). Undefined when sound.
 */
export function contextProblem(kc: KubeConfig, contextName: string): string | undefined {
  const context = kc.getContextObject(contextName);
  if (!context) return `The kubeconfig has no context ${contextName}.`;
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) return `Context ${contextName} names cluster "${context.cluster}", which the kubeconfig does not define.`;
  if (context.user && !kc.getUser(context.user)) return `Context ${contextName} names user "${context.user}", which the kubeconfig does not define.`;
  return undefined;
}

/**
 * Everything a context's connection is made of (the context, its cluster and its user), as text:
 * equal fingerprints across two loads mean the context needs no new connection. It holds
 * credentials, so it is compared, never shown or logged.
 */
export function contextFingerprint(kc: KubeConfig, contextName: string): string {
  const context = kc.getContextObject(contextName);
  return JSON.stringify([context, context ? kc.getCluster(context.cluster) : null, context?.user ? kc.getUser(context.user) : null]);
}

/**
 * What went wrong reading a kubeconfig, without the file's text: the YAML parser quotes the lines
 * around an error, and those may hold a token or a key. Only the reason and the place are kept.
 */
export function parseFailure(error: unknown): string {
  const yaml = error as { name?: string; reason?: string; mark?: { line?: number; column?: number } };
  if (yaml.name === 'YAMLException' && yaml.reason) {
    const at = yaml.mark?.line === undefined ? '' : ` at line ${yaml.mark.line + 1}, column ${(yaml.mark.column ?? 0) + 1}`;
    return `not valid YAML: ${yaml.reason}${at}`;
  }
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return redact(first.slice(0, 300));
}
