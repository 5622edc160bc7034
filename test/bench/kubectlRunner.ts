// Runs the real kubectl as a user would: one process per step, argument arrays, never a shell.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../src/core/kubeTypes';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectl(binary: string, kubeconfig: string, args: readonly string[]): Promise<KubectlResult> {
  return new Promise((resolve) => {
    execFile(binary, ['--kubeconfig', kubeconfig, ...args], { maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs one step; retries while the quota controller has not yet filled in a new quota's status. */
export async function kubectlStep(binary: string, kubeconfig: string, args: readonly string[]): Promise<{ retries: number }> {
  for (let retries = 0; retries < 50; retries++) {
    const result = await kubectl(binary, kubeconfig, args);
    if (result.code === 0) return { retries };
    if (!/status unknown for quota|quota.*not.*ready/i.test(result.stderr)) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr.trim()}`);
  }
  throw new Error(`kubectl ${args.join(' ')} kept failing on the quota`);
}

/** Manifest files written ahead of a kubectl run, so file writing is not timed. */
export class ManifestFiles {
  readonly dir = mkdtempSync(join(tmpdir(), 'cmp-bench-'));
  private counter = 0;

  write(object: KubeObject): string {
    this.counter += 1;
    const file = join(this.dir, `${this.counter}-${object.kind.toLowerCase()}-${object.metadata.name}.json`);
    writeFileSync(file, JSON.stringify(object));
    return file;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs kubectl steps one process each and times them; the manifest files are removed afterwards. */
export async function timeKubectlSteps(binary: string, kubeconfig: string, steps: readonly string[][], files: ManifestFiles): Promise<number> {
  try {
    const start = performance.now();
    for (const step of steps) await kubectlStep(binary, kubeconfig, step);
    return performance.now() - start;
  } finally {
    files.dispose();
  }
}
