// Entry point of CMP Clusters: wiring only. Everything created here is owned by the extension
// context and disposed with it.
import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Wiring lands with the tree and commands.
}

export function deactivate(): void {
  // Nothing to release beyond context.subscriptions.
}
