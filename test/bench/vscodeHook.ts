// Makes `require('vscode')` resolve to the bench's stand-in (vscodeStandIn.ts), through Node's module
// resolver. Only the bench installs it, and only before loading code that imports vscode.
import Module, { createRequire } from 'node:module';
import { standInSettings } from './vscodeStandIn';

interface Resolver {
  _resolveFilename(this: unknown, request: string, parent: unknown, isMain: boolean, options?: unknown): string;
}

const hooked = { done: false };

export function installVscodeStandIn(settings: Record<string, unknown>): void {
  standInSettings.clear();
  for (const [key, value] of Object.entries(settings)) standInSettings.set(key, value);
  if (hooked.done) return;
  const resolver = Module as unknown as Resolver;
  const original = resolver._resolveFilename;
  const standIn = require.resolve('./vscodeStandIn');
  resolver._resolveFilename = function resolveVscode(this: unknown, request: string, parent: unknown, isMain: boolean, options?: unknown): string {
    return request === 'vscode' ? standIn : original.call(this, request, parent, isMain, options);
  };
  hooked.done = true;
}

/**
 * Loads a module (relative to this folder) that imports vscode, after installVscodeStandIn. It goes
 * through require, not import(): the ESM loader would bypass the resolver hook.
 */
export function loadWithStandIn<T>(path: string): T {
  return createRequire(__filename)(path) as T;
}
