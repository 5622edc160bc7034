// The local control plane for the bench: started (or found running) through test/cluster/plane.mjs,
// and waited on when another suite restarts the API server under us.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FloorClient } from './floorClient';

export const repoRoot = join(__dirname, '..', '..', '..');

export interface Plane {
  kubeconfig: string;
  kubectl: string;
  server: string;
  version: string;
}

/** `node test/cluster/plane.mjs up` (quick when it already runs); the kubeconfig is its last line. */
export function ensurePlane(): Plane {
  const up = spawnSync(process.execPath, [join(repoRoot, 'test', 'cluster', 'plane.mjs'), 'up'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const line = up.stdout.trim().split('\n').pop() ?? '';
  if (up.status !== 0 || !line.startsWith('KUBECONFIG=')) throw new Error('the local control plane did not start: see the output above');
  const record = JSON.parse(readFileSync(join(repoRoot, '.cmp-dev', 'plane.json'), 'utf8')) as { binDir: string; server: string; version: string };
  return { kubeconfig: line.slice('KUBECONFIG='.length), kubectl: join(record.binDir, 'kubectl'), server: record.server, version: record.version };
}

/** Waits until /readyz answers 200 (other suites restart the API server now and then). */
export async function waitReady(floor: FloorClient, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const { status, text } = await floor.request('GET', '/readyz');
      if (status === 200) return;
      last = `HTTP ${status} ${text.slice(0, 100)}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      floor.close();
    }
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`the API server is not ready after ${timeoutMs / 1000} s: ${last}`);
}

/** Whether an error means the API server went away mid-run (worth waiting and retrying). */
export function isOutage(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { code?: string }).code ?? ''}` : String(error);
  return /ECONNREFUSED|ECONNRESET|Cannot reach|GOAWAY|ERR_HTTP2|socket hang up|HTTP 503|HTTP 429/i.test(text);
}
