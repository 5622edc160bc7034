// Child process of P5: loads one extension bundle against the vscode stand-in and calls activate(),
// timing each step, then exits before the deferred connect runs (and its kubeconfig does not exist,
// so no cluster call can happen). Prints {"loadMs":…,"activateMs":…} on stdout.
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { installVscodeStandIn, loadWithStandIn } from './vscodeHook';

function main(): void {
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: activationProbe <bundle.js>');
  installVscodeStandIn({ 'cmp.kubeconfig': join(__dirname, 'no-such-kubeconfig') });
  const standIn = loadWithStandIn<typeof vscode>('vscode');
  const memento = { keys: () => [], get: <T>(_key: string, fallback?: T) => fallback, update: () => Promise.resolve(), setKeysForSync: () => undefined };
  const root = standIn.Uri.file(join(__dirname, '..', '..', '..'));
  const context = { subscriptions: [], globalState: memento, workspaceState: memento, extensionUri: root, extensionPath: root.fsPath, asAbsolutePath: (p: string) => join(root.fsPath, p) } as unknown as vscode.ExtensionContext;
  const start = performance.now();
  const extension = loadWithStandIn<{ activate(context: vscode.ExtensionContext): unknown }>(bundle);
  const loaded = performance.now();
  extension.activate(context);
  const activated = performance.now();
  process.stdout.write(`${JSON.stringify({ loadMs: loaded - start, activateMs: activated - loaded })}\n`);
  process.exit(0);
}

try {
  main();
} catch (error) {
  process.stderr.write(`activation probe: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
}
