// Child process of P5: loads one extension bundle against the vscode stand-in and calls activate(),
// timing each step; then times the connect that activate() defers to the next tick (it reads a
// kubeconfig whose server is a closed local port, so no cluster is called) and exits.
// Prints {"loadMs":…,"activateMs":…,"deferredMs":…} on stdout.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { installVscodeStandIn, loadWithStandIn } from './vscodeHook';

const scratch = mkdtempSync(join(tmpdir(), 'cmp-bench-kc-'));
// The probe ends with process.exit, so its scratch folder goes on every exit.
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function main(): void {
  const bundle = process.argv[2];
  if (!bundle) throw new Error('usage: activationProbe <bundle.js>');
  const kubeconfig = join(scratch, 'config');
  writeFileSync(kubeconfig, ['apiVersion: v1', 'kind: Config', 'clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]', 'users: [{name: u, user: {token: t}}]', 'contexts: [{name: x, context: {cluster: c, user: u}}]', 'current-context: x', ''].join('\n'));
  installVscodeStandIn({ 'cmp.kubeconfig': kubeconfig });
  const standIn = loadWithStandIn<typeof vscode>('vscode');
  const memento = { keys: () => [], get: <T>(_key: string, fallback?: T) => fallback, update: () => Promise.resolve(), setKeysForSync: () => undefined };
  const root = standIn.Uri.file(join(__dirname, '..', '..', '..'));
  const context = { extensionMode: 1, subscriptions: [], globalState: memento, workspaceState: memento, extensionUri: root, extensionPath: root.fsPath, asAbsolutePath: (p: string) => join(root.fsPath, p) } as unknown as vscode.ExtensionContext;
  const start = performance.now();
  const extension = loadWithStandIn<{ activate(context: vscode.ExtensionContext): unknown }>(bundle);
  const loaded = performance.now();
  extension.activate(context);
  const activated = performance.now();
  // activate() queued the connect first, so this timer fires once that has run.
  setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ loadMs: loaded - start, activateMs: activated - loaded, deferredMs: performance.now() - activated })}\n`);
    process.exit(0);
  }, 0);
}

try {
  main();
} catch (error) {
  process.stderr.write(`activation probe: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
}
