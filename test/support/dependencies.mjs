// @ts-check
// Whether node_modules holds exactly what package-lock.json locks, read from npm's own record of
// what it installed (node_modules/.package-lock.json). Node built-ins only: it runs before any install.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @typedef {{ version?: string, optional?: boolean, link?: boolean }} LockEntry */
/** @typedef {{ packages?: Record<string, LockEntry> }} Lockfile */

/** @param {string} file @returns {Lockfile | undefined} */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Why the installed tree differs from the lock, or undefined when it does not. An optional package
 * (another platform's esbuild, say) may be absent; every installed one must be locked at its version.
 * @param {Lockfile | undefined} locked @param {Lockfile | undefined} installed
 * @returns {string | undefined}
 */
export function dependencyDrift(locked, installed) {
  if (!locked?.packages) return 'package-lock.json is missing or unreadable';
  if (!installed?.packages) return 'node_modules is missing or was not installed by npm';
  const lockedPackages = locked.packages;
  const want = Object.entries(lockedPackages).filter(([path]) => path.startsWith('node_modules/'));
  for (const [path, entry] of want) {
    const have = installed.packages[path];
    if (!have) {
      if (entry.optional) continue;
      return `${path.slice('node_modules/'.length)} is not installed`;
    }
    if (!entry.link && have.version !== entry.version) return `${path.slice('node_modules/'.length)} is ${have.version}, the lock says ${entry.version}`;
  }
  const extra = Object.keys(installed.packages).find((path) => !(path in lockedPackages));
  return extra ? `${extra.slice('node_modules/'.length)} is installed but not in the lock` : undefined;
}

/** The drift of the checkout at `dir`, or undefined when node_modules matches its lock. @param {string} dir */
export function checkoutDrift(dir) {
  return dependencyDrift(readJson(join(dir, 'package-lock.json')), readJson(join(dir, 'node_modules', '.package-lock.json')));
}
