// Typed CRUD over the API transport for the objects CMP touches. Every write carries the field
// manager `cmp-clusters`; dry runs go through the same calls with dryRun=All.

import { refOfKind, resourcePath, type KubeObject, type ResourceRef } from '../core/kubeTypes';
import { fieldManager } from '../core/names';
import type { ApiTransport } from './apiTransport';

export interface WriteOptions {
  dryRun?: boolean;
  signal?: AbortSignal;
}

export class KubeClient {
  constructor(readonly transport: ApiTransport) {}

  get server(): string {
    return this.transport.server;
  }

  get<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, signal?: AbortSignal): Promise<T> {
    return this.transport.request<T>({ method: 'GET', path: resourcePath(ref, namespace, name), signal, timeoutMs: 30_000 });
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace?: string, labelSelector?: string, signal?: AbortSignal, accept?: string): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined;
    do {
      const page = await this.transport.request<{ items: T[] | null; metadata: { continue?: string } }>({
        method: 'GET',
        path: resourcePath(ref, namespace),
        query: { labelSelector, limit: 500, continue: next },
        accept,
        signal,
        timeoutMs: 60_000,
      });
      items.push(...(page.items ?? [])); // an empty PartialObjectMetadataList says items: null
      next = page.metadata.continue || undefined;
    } while (next);
    return items;
  }

  /**
   * Like list, but only each object's metadata (PartialObjectMetadata): about half the bytes of a pod
   * list to send and parse. A server that cannot answer so falls back to the full objects.
   */
  listMetadata(ref: ResourceRef, namespace?: string, labelSelector?: string, signal?: AbortSignal): Promise<KubeObject[]> {
    return this.list(ref, namespace, labelSelector, signal, 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json');
  }

  create<T extends KubeObject = KubeObject>(object: KubeObject, options: WriteOptions = {}): Promise<T> {
    const ref = refOfKind(object.kind);
    return this.transport.request<T>({
      method: 'POST',
      path: resourcePath(ref, object.metadata.namespace),
      query: { fieldManager, dryRun: options.dryRun ? 'All' : undefined },
      body: object,
      signal: options.signal,
      timeoutMs: 60_000,
    });
  }

  /**
   * Deletes one object; with a uid the API refuses (409) if the name now belongs to another object,
   * with a resourceVersion if the object changed at all since it was read; with dryRun only checked.
   */
  delete(ref: ResourceRef, namespace: string | undefined, name: string, options: { uid?: string; resourceVersion?: string; signal?: AbortSignal; propagation?: 'Background' | 'Foreground'; dryRun?: boolean } = {}): Promise<unknown> {
    const preconditions = { ...(options.uid ? { uid: options.uid } : {}), ...(options.resourceVersion ? { resourceVersion: options.resourceVersion } : {}) };
    return this.transport.request({
      method: 'DELETE',
      path: resourcePath(ref, namespace, name),
      // The API reads a DELETE's options from its body when there is one, the query's dryRun then ignored.
      body: {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        propagationPolicy: options.propagation ?? 'Background',
        ...(options.dryRun ? { dryRun: ['All'] } : {}),
        ...(Object.keys(preconditions).length ? { preconditions } : {}),
      },
      signal: options.signal,
      timeoutMs: 60_000,
    });
  }

  /** JSON merge patch, optionally guarded by a resourceVersion in the patch body; with dryRun the server only answers what it would store. */
  mergePatch<T extends KubeObject = KubeObject>(ref: ResourceRef, namespace: string | undefined, name: string, patch: unknown, signal?: AbortSignal, dryRun = false): Promise<T> {
    return this.transport.request<T>({
      method: 'PATCH',
      path: resourcePath(ref, namespace, name),
      query: { fieldManager, dryRun: dryRun ? 'All' : undefined },
      body: patch,
      contentType: 'application/merge-patch+json',
      signal,
      timeoutMs: 30_000,
    });
  }

  /** Whether the server serves a resource, from its API group discovery. */
  async serves(ref: ResourceRef): Promise<boolean> {
    const path = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
    try {
      const list = await this.transport.request<{ resources?: { name: string }[] }>({ method: 'GET', path, timeoutMs: 15_000 });
      return (list.resources ?? []).some((r) => r.name === ref.plural);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return false;
      throw error;
    }
  }
}
