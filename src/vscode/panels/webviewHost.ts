// The one host of every webview panel (create and edit forms, Events, Logs): it makes the panel with
// the strict HTML shell, speaks the panel's protocol (each message checked by its schema's guard on
// arrival, each post cut to the protocol's bounds), posts only while the webview is loaded and has
// said it is ready (a hidden webview is unloaded and says ready again when shown), pairs requests
// with their replies, and offers the test seams (drive it with a webview's messages, record what it
// posts) only in ExtensionMode.Test. PanelRegistry keeps one panel per key.
import * as vscode from 'vscode';
import { refusalReason } from '../../protocol/guards';
import type { Logger } from '../logger';
import { assertTestMode } from './testSeam';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** What a panel's protocol gives its host: the guard of what comes in, its types, the bounds of what goes out. */
export interface PanelProtocol<In, Out> {
  guard: (value: unknown) => value is In;
  knownTypes: readonly string[];
  bound: (message: Out) => Out;
  readyType: string;
}

export interface WebviewHostDeps {
  extensionUri: vscode.Uri;
  logger: Logger;
  testMode: boolean;
}

export interface WebviewHostOptions<In, Out> {
  viewType: string;
  title: string;
  /** The built webview bundle in dist/webview (script and style). */
  bundle: string;
  /** Names the panel in the log line of a refused message. */
  paneName: string;
  protocol: PanelProtocol<In, Out>;
  /** The webview is loaded and listening (again, after it was hidden). */
  onReady: () => void | Promise<void>;
  onMessage: (message: In) => void | Promise<void>;
  /** The panel was closed (by the user or dispose()). */
  onDidDispose: () => void;
}

export class WebviewHost<In extends { type: string }, Out> implements vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  private loaded = false;
  private disposed = false;
  private requestCounter = 0;
  private readonly waiting = new Map<number, (reply: In) => void>();
  private readyWaiters: (() => void)[] = [];
  private readonly recorders = new Set<Out[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly deps: WebviewHostDeps, private readonly options: WebviewHostOptions<In, Out>) {
    this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, vscode.ViewColumn.Active, webviewOptions(deps.extensionUri));
    this.panel.iconPath = vscode.Uri.joinPath(deps.extensionUri, 'media', 'cmp.svg');
    this.disposables.push(
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.accept(message)),
      this.panel.onDidChangeViewState(() => {
        // Without retainContextWhenHidden the page is gone while hidden; it says ready again when shown.
        if (!this.panel.visible) this.loaded = false;
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
    this.panel.webview.html = webviewHtml(this.panel.webview, deps.extensionUri, options.bundle, options.title);
  }

  /** True while the webview is loaded and listening. */
  get ready(): boolean {
    return this.loaded;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Posts to the webview while it is loaded (a hidden one is resent in full when shown); tests' recorders see every post. */
  post(unbounded: Out): void {
    const message = this.options.protocol.bound(unbounded);
    this.recorders.forEach((posted) => posted.push(message));
    // A disposed webview throws on post: a pane closed mid-stream simply stops receiving.
    if (this.loaded && !this.disposed) void Promise.resolve().then(() => this.panel.webview.postMessage(message)).catch(() => undefined);
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

  /**
   * For tests: a message as the webview would send it, through the same guard, handled to the end.
   * Resolves with the reason when it was refused, and with what the host posted meanwhile.
   */
  async handle(message: unknown): Promise<{ refused?: string; posted: Out[] }> {
    assertTestMode(this.deps);
    const recording = this.record();
    try {
      const refused = this.refusal(message);
      if (refused) return { refused, posted: recording.posted };
      const accepted = message as In;
      await (accepted.type === this.options.protocol.readyType ? this.options.onReady() : this.options.onMessage(accepted));
      return { posted: recording.posted };
    } finally {
      recording.stop();
    }
  }

  /** For tests: collects what the host posts from now on (notices come outside any handled message) until stopped. */
  record(): { posted: Out[]; stop(): void } {
    assertTestMode(this.deps);
    const posted: Out[] = [];
    this.recorders.add(posted);
    return { posted, stop: () => this.recorders.delete(posted) };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.loaded = false;
    this.waiting.clear();
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.panel.dispose();
    this.options.onDidDispose();
  }

  /** Acts on a message from the webview, or refuses it and logs why; returns the reason of a refusal. */
  accept(message: unknown): string | undefined {
    const refused = this.refusal(message);
    if (refused) return refused;
    const accepted = message as In;
    const requestId = (accepted as { requestId?: unknown }).requestId;
    if (typeof requestId === 'number' && this.waiting.has(requestId)) {
      this.waiting.get(requestId)?.(accepted);
      this.waiting.delete(requestId);
      return undefined;
    }
    if (accepted.type === this.options.protocol.readyType) {
      this.loaded = true;
      this.readyWaiters.splice(0).forEach((resolve) => resolve());
      this.run(() => this.options.onReady());
      return undefined;
    }
    this.run(() => this.options.onMessage(accepted));
    return undefined;
  }

  private run(work: () => void | Promise<void>): void {
    void Promise.resolve().then(work).catch((error: unknown) => this.deps.logger.error(`the ${this.options.paneName} failed`, error));
  }

  private refusal(message: unknown): string | undefined {
    if (this.options.protocol.guard(message)) return undefined;
    const reason = `ignored a message from the ${this.options.paneName}: ${refusalReason(message, this.options.protocol.knownTypes)}`;
    this.deps.logger.warn(reason);
    return reason;
  }
}

/** One panel per key: showing a key again reveals its panel; a closed panel leaves the registry. */
export class PanelRegistry<P extends { reveal(): void; dispose(): void }> implements vscode.Disposable {
  private readonly panels = new Map<string, P>();

  /** Reveals the panel of `key`, or makes one with `make` (given the callback that removes it when closed). */
  show(key: string, make: (onDisposed: () => void) => P): P {
    const open = this.panels.get(key);
    if (open) {
      open.reveal();
      return open;
    }
    const panel = make(() => {
      if (this.panels.get(key) === panel) this.panels.delete(key);
    });
    this.panels.set(key, panel);
    return panel;
  }

  get(key: string): P | undefined {
    return this.panels.get(key);
  }

  values(): P[] {
    return [...this.panels.values()];
  }

  dispose(): void {
    this.values().forEach((p) => p.dispose());
  }
}
