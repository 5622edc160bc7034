// @ts-check
// First thing `npm start`, `npm test` and `npm run bench` do: on a fresh clone (or one whose
// node_modules no longer matches package-lock.json) run `npm ci`, saying so, instead of a stack trace.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkoutDrift } from './dependencies.mjs';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const minimumNode = [20, 19];

/** @param {string} label who is asking, e.g. "npm start" @param {string} message */
function stop(label, message) {
  process.stderr.write(`${label}: ${message}\n`);
  process.exit(1);
}

/** Installs the locked dependencies when they are missing or stale; exits with one clear line if it cannot. @param {string} label */
export function ensureDependencies(label) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < minimumNode[0] || (major === minimumNode[0] && minor < minimumNode[1])) {
    stop(label, `Node.js ${minimumNode.join('.')} or newer is needed, this is ${process.version}: install a newer Node.js (nodejs.org, or your package manager) and run it again`);
  }
  const drift = checkoutDrift(repoDir);
  if (!drift) return;
  process.stderr.write(`${label}: installing the locked dependencies first (npm ci, about 20 s), because ${drift}\n`);
  // Under npm, npm_execpath is the npm that runs us; otherwise the npm on PATH. Never through a shell.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli]] : ['npm', []];
  const result = spawnSync(command, [...args, 'ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repoDir, stdio: 'inherit' });
  if (result.error) stop(label, `could not run npm (${result.error.message}): install Node.js with npm, then run it again`);
  if (result.status !== 0) stop(label, `npm ci failed (exit ${result.status}, output above): check that the npm registry is reachable (npm ping), then run it again`);
  const still = checkoutDrift(repoDir);
  if (still) stop(label, `npm ci finished but node_modules still differs from package-lock.json (${still}); remove node_modules and run it again`);
  process.stderr.write(`${label}: dependencies installed\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureDependencies(process.argv[2] ?? join('npm', 'run'));
}
