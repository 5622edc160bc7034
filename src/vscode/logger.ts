// The extension's one log (a LogOutputChannel "CMP Clusters") and its one way of showing errors:
// a message with a "Show Logs" button, and the details in the log. Tokens never reach either.
import * as vscode from 'vscode';
import { redact } from '../core/redact';

export class Logger implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('CMP Clusters', { log: true });
  }

  info(message: string): void {
    this.channel.info(redact(message));
  }

  warn(message: string): void {
    this.channel.warn(redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error instanceof Error ? error.message : error === undefined ? '' : String(error);
    this.channel.error(redact(detail && !message.includes(detail) ? `${message}: ${detail}` : message));
  }

  /** Logs the error and shows it once, with a button to open the log; never waits for the user. */
  showError(message: string, error?: unknown): void {
    this.error(message, error);
    void vscode.window.showErrorMessage(redact(message), 'Show Logs').then((choice) => {
      if (choice === 'Show Logs') this.channel.show(true);
    });
  }

  dispose(): void {
    this.channel.dispose();
  }
}
