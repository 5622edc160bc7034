// The two reference observers of P3: a raw watch on the floor client, and `kubectl get pods -A -w`
// printing one line per event. Both record when each object version reached this process.
import { spawn } from 'node:child_process';
import type { KubeObject } from '../../src/core/kubeTypes';
import { versionKey, type Arrivals } from './arrivals';
import type { BenchContext } from './benchTypes';
import { FloorClient } from './floorClient';

const selector = 'managed-by%3Dcmp';

export async function floorWatch(ctx: BenchContext, arrivals: Arrivals, signal: AbortSignal): Promise<void> {
  const floor = new FloorClient(ctx.credentials);
  const list = await floor.json<{ metadata: { resourceVersion: string } }>('GET', `/api/v1/pods?labelSelector=${selector}&limit=1`);
  let buffer = '';
  signal.addEventListener('abort', () => floor.close(), { once: true });
  void floor.stream(`/api/v1/pods?labelSelector=${selector}&watch=1&resourceVersion=${list.metadata.resourceVersion}`, (chunk) => {
    const at = performance.now();
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      const { metadata } = (JSON.parse(line) as { object: KubeObject }).object;
      arrivals.record(versionKey(metadata.namespace, metadata.name, metadata.resourceVersion), at);
    }
  }, signal).catch(() => undefined);
}

export function kubectlWatch(ctx: BenchContext, arrivals: Arrivals, signal: AbortSignal): void {
  const template = '{.metadata.namespace}{" "}{.metadata.name}{" "}{.metadata.resourceVersion}{"\\n"}';
  const child = spawn(ctx.plane.kubectl, ['--kubeconfig', ctx.plane.kubeconfig, 'get', 'pods', '-A', '-l', 'managed-by=cmp', '--watch-only', '-o', `jsonpath=${template}`], { stdio: ['ignore', 'pipe', 'ignore'] });
  let buffer = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const at = performance.now();
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const [namespace, name, version] = buffer.slice(0, newline).split(' ');
      buffer = buffer.slice(newline + 1);
      if (name) arrivals.record(versionKey(namespace, name, version), at);
    }
  });
  signal.addEventListener('abort', () => child.kill(), { once: true });
}
