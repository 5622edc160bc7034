// @ts-check
// Packages the extension as `npm run package` does (production bundles, then @vscode/vsce with the
// flags in package.json), into a file of the caller's choice; used by `npm start` and the e2e suite.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs `npm run package -- --out <outFile>` in the repo and returns the .vsix's path and size.
 * Offline: --no-dependencies (in the script) keeps vsce from asking npm about dependencies.
 * @param {string} outFile
 * @returns {{ path: string, bytes: number, seconds: number }}
 */
export function packageVsix(outFile) {
  const started = Date.now();
  const path = resolve(outFile);
  mkdirSync(dirname(path), { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', '-s', 'package', '--', '--out', path], { cwd: repoDir, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new Error(`npm run package failed (${result.error ? result.error.message : `exit ${result.status}`}):\n${output}`);
  }
  return { path, bytes: statSync(path).size, seconds: (Date.now() - started) / 1000 };
}
