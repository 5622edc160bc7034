// The extension's one log (a LogOutputChannel "CMP Clusters") and its one way of showing errors:
// a message with a "Show Logs" button, and the details in the log. Tokens never reach either, and
// control or bidi characters from a server are shown as visible marks in both.
import * as vscode from 'vscode';
import { shownMessage } from '../core/inertText';

export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('CMP Clusters', { log: true });
  }

  info(message: string): void {
    this.channel.info(shownMessage(message));
  }

  warn(message: string): void {
    this.channel.warn(shownMessage(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? error.message : error === undefined ? '' : String(error);
    this.channel.error(shownMessage(detail && !message.includes(detail) ? `${message}: ${detail}` : message));
  }

  /** Logs the error and shows it once, with a button to open the log; never waits for the user. */
  showError(message: string, error?: unknown): void {
    this.error(message, error);
    void vscode.window.showErrorMessage(shownMessage(message), 'Show Logs').then((choice) => {
      if (choice === 'Show Logs') this.channel.show(true);
    });
  }

  dispose(): void {
    this.channel.dispose();
  }
}
