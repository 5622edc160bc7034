// The real Session and ClusterTreeProvider, run in plain Node against the vscode stand-in: what the
// CMP Clusters view does when it is open, minus the rendering. P3, P4 and P7 measure through it.
import type * as vscode from 'vscode';
import type * as LoggerModule from '../../src/vscode/logger';
import type * as SessionModule from '../../src/vscode/session';
import type * as TreeModule from '../../src/vscode/tree/clusterTreeProvider';
import type { ClusterCache } from '../../src/kube/clusterCache';
import type { BenchContext } from './benchTypes';
import { installVscodeStandIn, loadWithStandIn } from './vscodeHook';

class MemoryMemento implements vscode.Memento {
  private readonly values = new Map<string, unknown>();
  keys(): readonly string[] {
    return [...this.values.keys()];
  }
  get<T>(key: string, fallback?: T): T | undefined {
    return this.values.has(key) ? (this.values.get(key) as T) : fallback;
  }
  update(key: string, value: unknown): Promise<void> {
    this.values.set(key, value);
    return Promise.resolve();
  }
}

export interface OpenTree {
  session: SessionModule.Session;
  tree: TreeModule.ClusterTreeProvider;
  /** The connected session's cache (throws before the session connected). */
  cache(): ClusterCache;
  dispose(): void;
}

interface TreeModules {
  Session: typeof SessionModule.Session;
  Logger: typeof LoggerModule.Logger;
  ClusterTreeProvider: typeof TreeModule.ClusterTreeProvider;
}

/** Loads the editor-side modules once, against the stand-in (not timed by any measure). */
export function treeModules(ctx: BenchContext): TreeModules {
  installVscodeStandIn({ 'cmp.kubeconfig': ctx.plane.kubeconfig, 'cmp.writeConcurrency': ctx.writeConcurrency });
  return {
    Session: loadWithStandIn<typeof SessionModule>('../../src/vscode/session').Session,
    Logger: loadWithStandIn<typeof LoggerModule>('../../src/vscode/logger').Logger,
    ClusterTreeProvider: loadWithStandIn<typeof TreeModule>('../../src/vscode/tree/clusterTreeProvider').ClusterTreeProvider,
  };
}

/** Builds the session and the tree on it, then connects (session.reload(), as activation does). */
export function openTree(ctx: BenchContext): OpenTree {
  const { Session, Logger, ClusterTreeProvider } = treeModules(ctx);
  const logger = new Logger();
  const session = new Session(new MemoryMemento(), logger);
  const tree = new ClusterTreeProvider(session);
  session.reload();
  return {
    session,
    tree,
    cache: () => {
      const state = session.state;
      if (state.kind !== 'connected') throw new Error(`the session is ${state.kind}: ${state.message}`);
      return state.cache;
    },
    dispose: () => {
      tree.dispose();
      session.dispose();
      logger.dispose();
    },
  };
}

/**
 * Resolves once the tree shows every cluster of the fixture with all its instances, checking after
 * each change event as VS Code would re-read it: getChildren() of the root, getTreeItem() of each.
 */
export function treeShows(open: OpenTree, namespacePrefix: string, clusters: number, instances: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let scheduled = false;
    const check = () => {
      scheduled = false;
      const state = open.session.state;
      if (state.kind !== 'connected' || state.cache.state.kind !== 'ready') return;
      let seenClusters = 0;
      let seenInstances = 0;
      for (const node of open.tree.getChildren()) {
        open.tree.getTreeItem(node);
        if (node.kind !== 'cluster' || !node.namespace.startsWith(namespacePrefix)) continue;
        seenClusters += 1;
        seenInstances += state.cache.cluster(node.namespace)?.instances.length ?? 0;
      }
      if (seenClusters === clusters && seenInstances === instances) finish();
    };
    const subscription = open.tree.onDidChangeElement(() => {
      if (!scheduled) setTimeout(check, 0);
      scheduled = true;
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`the tree did not show ${clusters} clusters with ${instances} instances within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    };
  });
}
