// Shared by the Kubernetes-layer integration tests: API clients for the local plane, cluster specs,
// namespaces a test owns (deleted without waiting in after hooks), and kubectl reads parsed as JSON.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quotaFor, type ClusterSpec, type Isolation } from '../../src/core/clusterSpec';
import type { KubeObject } from '../../src/core/kubeTypes';
import { instanceIndexOf } from '../../src/core/names';
import { ApiTransport } from '../../src/kube/apiTransport';
import { KubeClient } from '../../src/kube/kubeClient';
import { adminKubeConfig, eventually, kubectl, tenantKubeConfig, uniqueName } from '../support/testPlane';

/** kwok never pulls images, so any well-formed reference runs. */
export const testImage = 'registry.invalid/cmp/app:1';

export const adminClient = (): KubeClient => new KubeClient(new ApiTransport(adminKubeConfig()));
export const tenantClient = (): KubeClient => new KubeClient(new ApiTransport(tenantKubeConfig()));

export const noGuardRails: Isolation = { resourceQuota: false, quotaCpu: 0, quotaMemoryGiB: 0, limitRange: false, networkPolicy: false, serviceAccount: false };

/** Every guard rail, with a quota that holds exactly `quotaInstances` instances of the given sizes. */
export function allGuardRails(cpu: number, memoryGiB: number, quotaInstances: number): Isolation {
  return { resourceQuota: true, ...quotaFor(cpu, memoryGiB, quotaInstances), limitRange: true, networkPolicy: true, serviceAccount: true };
}

/** A small container cluster with a unique name; overrides change any field. */
export function clusterSpec(prefix: string, overrides: Partial<ClusterSpec> = {}): ClusterSpec {
  return { name: uniqueName(prefix), instanceType: 'container', image: testImage, cpu: 0.25, memoryGiB: 0.25, count: 2, isolation: noGuardRails, labels: {}, ...overrides };
}

/** For clean-up steps: retries for a while, since other suites restart the shared plane's apiserver now and then. */
export async function retrying(what: string, step: () => Promise<unknown>): Promise<void> {
  await eventually(what, async () => {
    await step();
    return true;
  }, 45_000, 1000);
}

/** Namespaces a describe block made; run() deletes them all and does not wait for them to go. */
export class OwnedNamespaces {
  private readonly names = new Set<string>();

  add(namespace: string): string {
    this.names.add(namespace);
    return namespace;
  }

  async run(): Promise<void> {
    const names = [...this.names];
    this.names.clear();
    if (names.length > 0) await retrying(`deleting ${names.join(', ')}`, () => kubectl(['delete', 'namespace', '--ignore-not-found', '--wait=false', ...names]));
  }
}

export interface KubeList<T = KubeObject> {
  items: T[];
}

export interface PodObject extends KubeObject {
  spec: {
    serviceAccountName?: string;
    automountServiceAccountToken?: boolean;
    containers: { name: string; image: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[];
  };
  status?: { phase?: string };
}

/** `kubectl get ... -o json`, parsed. */
export async function kubectlJson<T>(args: string[], kubeconfig?: string): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'], kubeconfig)) as T;
}

/** One object through kubectl, or undefined when it does not exist. */
export async function kubectlFind<T = KubeObject>(args: string[]): Promise<T | undefined> {
  const text = await kubectl([...args, '--ignore-not-found', '-o', 'json']);
  return text.trim() ? (JSON.parse(text) as T) : undefined;
}

export function byIndex(a: string, b: string): number {
  return (instanceIndexOf(a) ?? -1) - (instanceIndexOf(b) ?? -1);
}

/** Names of the pods in a namespace that are not being deleted, instance order first. */
export async function livePodNames(namespace: string): Promise<string[]> {
  const pods = await kubectlJson<KubeList<PodObject>>(['get', 'pods', '-n', namespace]);
  return pods.items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name).sort(byIndex);
}

/** Names of the pods in a namespace, including terminating ones. */
export async function allPodNames(namespace: string): Promise<string[]> {
  const pods = await kubectlJson<KubeList<PodObject>>(['get', 'pods', '-n', namespace]);
  return pods.items.map((p) => p.metadata.name).sort(byIndex);
}

/** instance-0 … instance-(count-1). */
export function instanceRange(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `instance-${i}`);
}

/** Waits until exactly these pods exist in the namespace and all are Running. */
export function podsRunning(namespace: string, names: readonly string[], timeoutMs = 30_000): Promise<PodObject[]> {
  return eventually(`pods ${names.join(', ')} in ${namespace} to be exactly the ones there and Running`, async () => {
    const pods = await kubectlJson<KubeList<PodObject>>(['get', 'pods', '-n', namespace]);
    const present = pods.items.map((p) => p.metadata.name).sort(byIndex);
    if (present.join() !== [...names].sort(byIndex).join()) throw new Error(`pods are ${present.join(', ') || 'none'}`);
    const notRunning = pods.items.filter((p) => p.status?.phase !== 'Running').map((p) => `${p.metadata.name}: ${p.status?.phase ?? 'no phase'}`);
    if (notRunning.length > 0) throw new Error(`not Running yet: ${notRunning.join(', ')}`);
    return pods.items;
  }, timeoutMs);
}

/** Waits until the namespace no longer exists. */
export function namespaceGone(namespace: string, timeoutMs = 60_000): Promise<true> {
  return eventually(`namespace ${namespace} to be gone`, async () => ((await kubectlFind(['get', 'namespace', namespace])) === undefined ? true : undefined), timeoutMs);
}

/** Awaits a promise that must reject with the given error class, and returns the error. */
export async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return error;
  }
  throw new assert.AssertionError({ message: `expected ${type.name}, but the call succeeded` });
}

/** Creates a namespace with kubectl, as another tool would, with the given labels. */
export async function kubectlNamespace(name: string, labels: Record<string, string> = {}): Promise<KubeObject> {
  await kubectl(['create', 'namespace', name]);
  const pairs = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  if (pairs.length > 0) await kubectl(['label', 'namespace', name, ...pairs]);
  return kubectlJson<KubeObject>(['get', 'namespace', name]);
}

/**
 * Waits for the namespace's default service account, which pods without one of their own need:
 * the controller-manager makes it, and after an apiserver restart it may take a while to resume.
 */
export function defaultServiceAccount(namespace: string, timeoutMs = 120_000): Promise<true> {
  return eventually(`the default service account of ${namespace}`, async () => ((await kubectlFind(['get', 'serviceaccount', 'default', '-n', namespace])) ? true : undefined), timeoutMs, 250);
}

/** Creates objects with `kubectl create -f`, as another tool would. */
export async function kubectlCreate(...objects: unknown[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cmp-integration-'));
  const file = join(dir, 'objects.json');
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }));
  try {
    await kubectl(['create', '-f', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A pod as another tool might write it: labels and sizes given, no CMP manifest code involved. */
export function podObject(namespace: string, name: string, labels: Record<string, string>, sizes = { cpu: '250m', memory: '256Mi' }): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'app', image: testImage, resources: { requests: sizes, limits: sizes } }] },
  };
}
