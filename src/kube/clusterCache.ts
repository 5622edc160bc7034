// One live cache of CMP clusters for a context: namespaces labelled managed-by=cmp and their
// instances (Pods, and VirtualMachines when served), fed by list+watch. Changes are coalesced and
// reported per namespace so the tree refreshes only what changed. When the user may not list
// namespaces cluster-wide, it watches the namespaces it was told it can reach instead.

import { clusterView, type ClusterView } from '../core/clusterView';
import { resourcePath, resources, type KubeObject } from '../core/kubeTypes';
import { isManaged, managedSelector } from '../core/names';
import type { ApiError } from './apiError';
import type { KubeClient } from './kubeClient';
import { ListWatch } from './listWatch';

export interface CacheChange {
  /** Namespaces whose cluster or instances changed. */
  namespaces: Set<string>;
  /** True when clusters appeared or went away (the top level must refresh). */
  structural: boolean;
}

export type CacheState =
  | { kind: 'loading' }
  | { kind: 'ready'; scope: 'cluster' }
  | { kind: 'ready'; scope: 'namespaces'; namespaces: string[]; reason: string }
  | { kind: 'error'; error: ApiError; retryInMs: number };

export interface ClusterCacheOptions {
  /** Namespaces to watch one by one when listing namespaces cluster-wide is forbidden. */
  fallbackNamespaces: () => string[];
  coalesceMs?: number;
  onLog?: (message: string) => void;
}

type Listener<T> = (value: T) => void;
type InstanceKind = 'Pod' | 'VirtualMachine';

export class ClusterCache {
  private readonly namespaces = new Map<string, KubeObject>();
  private readonly instances = new Map<string, Map<string, KubeObject>>();
  private readonly views = new Map<string, ClusterView>();
  private readonly watches: ListWatch[] = [];
  private readonly changeListeners = new Set<Listener<CacheChange>>();
  private readonly stateListeners = new Set<Listener<CacheState>>();
  private pending: CacheChange = { namespaces: new Set(), structural: false };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private currentState: CacheState = { kind: 'loading' };
  private disposed = false;
  private vmServed = false;

  constructor(private readonly client: KubeClient, private readonly options: ClusterCacheOptions) {}

  get state(): CacheState {
    return this.currentState;
  }

  get virtualMachinesServed(): boolean {
    return this.vmServed;
  }

  async start(): Promise<void> {
    this.vmServed = await this.client.serves(resources.virtualMachines).catch(() => false);
    if (this.disposed) return;
    const namespaceWatch = new ListWatch(this.client.transport, { path: resourcePath(resources.namespaces), labelSelector: managedSelector, stopOn: (e) => e.isForbidden }, {
      onSync: (items) => {
        this.replaceNamespaces(items.map((o) => cached(o)));
        this.setState({ kind: 'ready', scope: 'cluster' });
      },
      onEvent: (type, object) => this.applyNamespace(type, cached(object)),
      onError: (error, retryInMs) => {
        if (error.isForbidden) void this.startNamespaced(error);
        else this.setState({ kind: 'error', error, retryInMs });
      },
    });
    this.watches.push(namespaceWatch);
    namespaceWatch.start();
    this.watchInstances('Pod', undefined);
    if (this.vmServed) this.watchInstances('VirtualMachine', undefined);
  }

  dispose(): void {
    this.disposed = true;
    for (const watch of this.watches) watch.dispose();
    this.watches.length = 0;
    if (this.timer) clearTimeout(this.timer);
    this.changeListeners.clear();
    this.stateListeners.clear();
  }

  onDidChange(listener: Listener<CacheChange>): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  onDidChangeState(listener: Listener<CacheState>): { dispose(): void } {
    this.stateListeners.add(listener);
    return { dispose: () => this.stateListeners.delete(listener) };
  }

  clusters(): ClusterView[] {
    return [...this.namespaces.keys()].map((ns) => this.cluster(ns)).filter((v): v is ClusterView => v !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  cluster(namespace: string): ClusterView | undefined {
    const object = this.namespaces.get(namespace);
    if (!object) return undefined;
    let view = this.views.get(namespace);
    if (!view) {
      view = clusterView(object, [...(this.instances.get(namespace)?.values() ?? [])]);
      this.views.set(namespace, view);
    }
    return view;
  }

  namespaceObject(namespace: string): KubeObject | undefined {
    return this.namespaces.get(namespace);
  }

  instanceObject(namespace: string, kind: InstanceKind, name: string): KubeObject | undefined {
    return this.instances.get(namespace)?.get(`${kind}/${name}`);
  }

  /** Where listing namespaces is forbidden: watch each reachable namespace on its own. */
  private async startNamespaced(cause: ApiError): Promise<void> {
    this.watches.splice(0).forEach((w) => w.dispose());
    const candidates = [...new Set(this.options.fallbackNamespaces())];
    const reachable: string[] = [];
    for (const name of candidates) {
      try {
        const object = await this.client.get(resources.namespaces, undefined, name);
        if (isManaged(object.metadata.labels)) {
          this.applyNamespace('ADDED', cached(object, 'Namespace', 'v1'));
          reachable.push(name);
        }
      } catch (error) {
        this.options.onLog?.(`cannot read namespace ${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (this.disposed) return;
    for (const name of reachable) {
      this.watchInstances('Pod', name);
      if (this.vmServed) this.watchInstances('VirtualMachine', name);
    }
    this.setState({ kind: 'ready', scope: 'namespaces', namespaces: reachable, reason: cause.message });
  }

  private watchInstances(kind: InstanceKind, namespace: string | undefined): void {
    const ref = kind === 'Pod' ? resources.pods : resources.virtualMachines;
    const path = namespace ? resourcePath(ref, namespace) : `${resourcePath({ ...ref, namespaced: false })}`;
    const watch = new ListWatch(this.client.transport, { path, labelSelector: managedSelector, stopOn: (e) => e.isForbidden || (kind === 'VirtualMachine' && e.isNotFound) }, {
      onSync: (items) => this.replaceInstances(kind, namespace, items.map((o) => cached(o, kind))),
      onEvent: (type, object) => this.applyInstance(type, cached(object, kind)),
      onError: (error) => this.options.onLog?.(`${kind} watch${namespace ? ` in ${namespace}` : ''}: ${error.message}`),
    });
    this.watches.push(watch);
    watch.start();
  }

  private replaceNamespaces(items: KubeObject[]): void {
    const next = new Map(items.map((o) => [o.metadata.name, o]));
    for (const name of this.namespaces.keys()) if (!next.has(name)) this.markChanged(name, true);
    for (const [name, object] of next) {
      const old = this.namespaces.get(name);
      if (!old) this.markChanged(name, true);
      else if (old.metadata.resourceVersion !== object.metadata.resourceVersion) this.markChanged(name, false);
    }
    this.namespaces.clear();
    for (const [name, object] of next) this.namespaces.set(name, object);
  }

  private applyNamespace(type: string, object: KubeObject): void {
    const name = object.metadata.name;
    if (type === 'DELETED' || !isManaged(object.metadata.labels)) {
      if (this.namespaces.delete(name)) this.markChanged(name, true);
      return;
    }
    const existed = this.namespaces.has(name);
    this.namespaces.set(name, object);
    this.markChanged(name, !existed);
  }

  private replaceInstances(kind: InstanceKind, namespace: string | undefined, items: KubeObject[]): void {
    for (const [ns, byKey] of this.instances) {
      if (namespace !== undefined && ns !== namespace) continue;
      for (const [key, object] of byKey) {
        if (object.kind === kind) {
          byKey.delete(key);
          this.markChanged(ns, false);
        }
      }
    }
    for (const item of items) this.applyInstance('ADDED', item);
  }

  private applyInstance(type: string, object: KubeObject): void {
    const ns = object.metadata.namespace ?? '';
    const key = `${object.kind}/${object.metadata.name}`;
    let byKey = this.instances.get(ns);
    if (type === 'DELETED') {
      byKey?.delete(key);
    } else {
      if (!byKey) this.instances.set(ns, (byKey = new Map()));
      byKey.set(key, object);
    }
    this.markChanged(ns, false);
  }

  private markChanged(namespace: string, structural: boolean): void {
    this.views.delete(namespace);
    this.pending.namespaces.add(namespace);
    this.pending.structural ||= structural;
    this.timer ??= setTimeout(() => this.flush(), this.options.coalesceMs ?? 30);
  }

  private flush(): void {
    this.timer = undefined;
    const change = this.pending;
    this.pending = { namespaces: new Set(), structural: false };
    for (const listener of this.changeListeners) listener(change);
  }

  private setState(state: CacheState): void {
    this.currentState = state;
    for (const listener of this.stateListeners) listener(state);
  }
}

/**
 * What the cache keeps of an object: all of it but metadata.managedFields, which nothing reads from the
 * cache and which is about 40% of a pod's JSON. With ten thousand instances that is tens of MB of heap.
 */
function cached(object: KubeObject, kind = object.kind, apiVersion = object.apiVersion): KubeObject {
  const metadata: KubeObject['metadata'] & { managedFields?: unknown } = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, kind, apiVersion, metadata };
}
