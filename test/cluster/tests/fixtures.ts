// Shared by the plane's behaviour tests: admin API clients, namespaces a test owns and deletes,
// a minimal pod, narrowing of API errors, and running the harness CLI (plane.mjs) as a child.
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
import { adminKubeConfig, adminKubeconfigPath, eventually, uniqueName } from '../../support/testPlane';

/** The repository root (tests run from out/test/cluster/tests). */
export const repoRoot = resolve(__dirname, '..', '..', '..', '..');
export const planeScript = join(repoRoot, 'test', 'cluster', 'plane.mjs');

/** The state folder of the plane the tests talk to: the folder of its admin kubeconfig. */
export const planeStateDir = (): string => dirname(adminKubeconfigPath());

export const adminCore = (): CoreV1Api => adminKubeConfig().makeApiClient(CoreV1Api);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a nested field of an untyped object (custom resources), e.g. field(vm, 'status', 'ready'). */
export function field(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export interface ApiFailure {
  code: number;
  reason: string;
  message: string;
}

/** The HTTP code, reason and message of a refused API call; rethrows anything else. */
export function apiFailure(error: unknown): ApiFailure {
  if (!(error instanceof ApiException)) throw error;
  let body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  const text = (key: string): string => {
    const value = field(body, key);
    return typeof value === 'string' ? value : '';
  };
  return { code: error.code, reason: text('reason'), message: text('message') };
}

/** Awaits a call the API must refuse, and returns how it refused. */
export async function refusal(call: Promise<unknown>): Promise<ApiFailure> {
  try {
    await call;
  } catch (error) {
    return apiFailure(error);
  }
  throw new Error('expected the API to refuse the request, but it succeeded');
}

export function podManifest(name: string, spec: Partial<V1PodSpec> = {}): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'cmp-plane-test' } },
    spec: { containers: [{ name: 'app', image: 'registry.invalid/cmp/app:1' }], terminationGracePeriodSeconds: 1, ...spec },
  };
}

/** Polls a pod until it is Running; returns it. */
export function runningPod(core: CoreV1Api, namespace: string, name: string, timeoutMs = 15_000): Promise<V1Pod> {
  return eventually(`pod ${namespace}/${name} to be Running`, async () => {
    const pod = await core.readNamespacedPod({ namespace, name });
    return pod.status?.phase === 'Running' ? pod : undefined;
  }, timeoutMs);
}

/** Namespaces made by one describe block; deleteAll() in its after hook removes them. */
export class TestNamespaces {
  private readonly created: string[] = [];
  private client: CoreV1Api | undefined;

  private get core(): CoreV1Api {
    this.client ??= adminCore();
    return this.client;
  }

  /** Creates a fresh namespace and waits for its default ServiceAccount (pods need it to be admitted). */
  async create(prefix: string, timeoutMs = 15_000): Promise<string> {
    const name = uniqueName(prefix);
    await this.core.createNamespace({ body: { metadata: { name, labels: { 'cmp-dev/test': 'cluster' } } } });
    this.created.push(name);
    await eventually(`the default ServiceAccount in ${name}`, async () => {
      await this.core.readNamespacedServiceAccount({ namespace: name, name: 'default' });
      return true;
    }, timeoutMs);
    return name;
  }

  async deleteAll(): Promise<void> {
    for (const name of this.created.splice(0)) {
      try {
        await this.core.deleteNamespace({ name });
      } catch (error) {
        if (apiFailure(error).code !== 404) throw error;
      }
    }
  }
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node test/cluster/plane.mjs <args>` with the given environment; never throws on exit codes. */
export function runPlane(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<CliResult> {
  return new Promise((done) => {
    execFile(process.execPath, [planeScript, ...args], { env, timeout: timeoutMs, encoding: 'utf8', cwd: repoRoot }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}
