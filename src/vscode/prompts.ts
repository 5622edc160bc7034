// The questions commands ask the user (modal confirmations, the count box), as one-line wrappers
// over vscode.window. Commands never skip one because of an argument; the extension-host tests
// answer them by replacing these functions through the test-only API (ExtensionMode.Test).
import * as vscode from 'vscode';
import { shownMessage } from '../core/inertText';

export interface Prompts {
  /** A modal warning with one action; true only when the user picked it. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
}

export function windowPrompts(): Prompts {
  return {
    confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(shownMessage(message), { modal: true, detail: shownMessage(detail) }, action)) === action,
    inputBox: async (options) => vscode.window.showInputBox(options),
  };
}
