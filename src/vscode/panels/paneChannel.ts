// The host end of one pane's webview: posts only while the webview is loaded and has said it is
// ready (a hidden webview is unloaded and sends ready again when shown), validates what comes back,
// and pairs inspect requests with their replies.
import type * as vscode from 'vscode';
import { refusalReason } from '../../protocol/guards';
import type { Logger } from '../logger';

export interface PaneChannelOptions<In, Out> {
  /** The guard every incoming message must pass. */
  guard: (value: unknown) => value is In;
  /** The message types the guard knows, to say why a message was refused. */
  knownTypes: readonly string[];
  /** Names the pane in the log line of a refused message. */
  paneName: string;
  /** Cuts every outgoing message to the bounds the webview's guard checks. */
  bound: (message: Out) => Out;
  readyType: string;
  onReady: () => void;
  onMessage: (message: In) => void;
}

export class PaneChannel<In extends { type: string }, Out> implements vscode.Disposable {
  private loaded = false;
  private readonly disposables: vscode.Disposable[] = [];
  private requestCounter = 0;
  private readonly waiting = new Map<number, (reply: In) => void>();
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly panel: vscode.WebviewPanel, private readonly logger: Logger, private readonly options: PaneChannelOptions<In, Out>) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: unknown) => void this.accept(message)),
      panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden the page is gone while hidden; it says ready again when shown.
        if (!panel.visible) this.loaded = false;
      }),
    );
  }

  /** True while the webview is loaded and listening. */
  get ready(): boolean {
    return this.loaded;
  }

  post(message: Out): void {
    // A disposed webview throws on post: a pane closed mid-stream simply stops receiving.
    if (this.loaded) void Promise.resolve().then(() => this.panel.webview.postMessage(this.options.bound(message))).catch(() => undefined);
  }

  /** Resolves once the webview is ready (at once if it is). */
  whenReady(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Sends a request built with a fresh id and resolves with the reply carrying the same id. */
  async request(build: (requestId: number) => Out, timeoutMs = 10_000): Promise<In> {
    await this.whenReady();
    const requestId = ++this.requestCounter;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        reject(new Error(`the webview did not answer request ${requestId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.post(build(requestId));
    });
  }

  dispose(): void {
    this.loaded = false;
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.waiting.clear();
  }

  /** Acts on a message from the webview, or refuses it and logs why; returns the reason of a refusal. */
  accept(message: unknown): string | undefined {
    if (!this.options.guard(message)) {
      const reason = `ignored a message from the ${this.options.paneName}: ${refusalReason(message, this.options.knownTypes)}`;
      this.logger.warn(reason);
      return reason;
    }
    const requestId = (message as { requestId?: unknown }).requestId;
    if (typeof requestId === 'number' && this.waiting.has(requestId)) {
      this.waiting.get(requestId)?.(message);
      this.waiting.delete(requestId);
      return;
    }
    if (message.type === this.options.readyType) {
      this.loaded = true;
      this.options.onReady();
      this.readyWaiters.splice(0).forEach((resolve) => resolve());
      return;
    }
    this.options.onMessage(message);
    return undefined;
  }
}
