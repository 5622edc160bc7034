// The ownership guard: CMP only ever changes a namespace whose live object carries managed-by=cmp.
// Every write path reads the namespace fresh from the API and goes through here first.

import { resources, type KubeObject } from '../core/kubeTypes';
import { isManaged, managedSelector } from '../core/names';
import { ApiError } from './apiError';
import type { KubeClient } from './kubeClient';

export class NotManagedError extends Error {
  constructor(readonly namespace: string) {
    super(`Namespace "${namespace}" is not managed by CMP (it has no ${managedSelector} label); CMP will not change it.`);
    this.name = 'NotManagedError';
  }
}

export class NoSuchClusterError extends Error {
  constructor(readonly namespace: string) {
    super(`Namespace "${namespace}" does not exist (any more).`);
    this.name = 'NoSuchClusterError';
  }
}

/** The live namespace, if CMP manages it; throws otherwise. */
export async function readManagedNamespace(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<KubeObject> {
  let live: KubeObject;
  try {
    live = await client.get(resources.namespaces, undefined, namespace, signal);
  } catch (error) {
    if (error instanceof ApiError && error.isNotFound) throw new NoSuchClusterError(namespace);
    throw error;
  }
  if (!isManaged(live.metadata.labels)) throw new NotManagedError(namespace);
  return live;
}

/**
 * Proves the namespace is still the version just checked, right before a write inside it: a merge
 * patch that changes nothing, guarded by its resourceVersion (the API answers 409 if anything, a
 * label say, changed since). A user who may not patch namespaces (the edit role) goes unguarded.
 */
export async function provedUnchanged(client: KubeClient, live: KubeObject, signal?: AbortSignal): Promise<'unchanged' | 'changed' | 'unguarded'> {
  try {
    await client.mergePatch(resources.namespaces, undefined, live.metadata.name, { metadata: { resourceVersion: live.metadata.resourceVersion } }, signal);
    return 'unchanged';
  } catch (error) {
    if (error instanceof ApiError && error.isConflict) return 'changed';
    if (error instanceof ApiError && error.isForbidden) return 'unguarded';
    throw error;
  }
}
