// A minimal stand-in for the `vscode` module, for the bench only: it lets activate(), the Session and
// the tree provider run in plain Node so their cost can be measured. The parts they rely on behave
// (events, settings, tree items); every other API is inert (returns a no-op that can be disposed).
// It is a measurement harness for activation and watch cost, not a model of VS Code's behaviour.

/** Settings the stand-in's getConfiguration() answers with, by full key ("cmp.kubeconfig"). */
export const standInSettings = new Map<string, unknown>();

type Listener<T> = (value: T) => unknown;

/** Anything not modelled: callable, disposable, never a thenable. */
function inert(): unknown {
  const target = () => undefined;
  return new Proxy(target, {
    get: (_t, key) => (key === 'then' || typeof key === 'symbol' ? undefined : key === 'dispose' ? () => undefined : inert()),
    apply: () => inert(),
  });
}

/** A namespace object whose unknown members are inert. */
function withFallback<T extends object>(known: T): T {
  return new Proxy(known, { get: (target, key) => (key in target ? (target as Record<string | symbol, unknown>)[key] : key === 'then' ? undefined : inert()) });
}

export class Disposable {
  constructor(private readonly release: () => void = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d.dispose()));
  }
  dispose(): void {
    this.release();
  }
}

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>, thisArg?: unknown, disposables?: Disposable[]): Disposable => {
    const bound: Listener<T> = thisArg === undefined ? listener : (value) => listener.call(thisArg, value);
    this.listeners.add(bound);
    const disposable = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(disposable);
    return disposable;
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static file(path: string): Uri {
    return new Uri('file', path);
  }
  static parse(text: string): Uri {
    const match = /^([a-z][\w+.-]*):(.*)$/i.exec(text);
    return match ? new Uri(match[1] as string, match[2] as string) : new Uri('file', text);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri(base.scheme, [base.path, ...parts].join('/').replace(/\/+/g, '/'));
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: { path?: string; scheme?: string }): Uri {
    return new Uri(change.scheme ?? this.scheme, change.path ?? this.path);
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class RelativePattern {
  constructor(readonly base: unknown, readonly pattern: string) {}
}

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}

export class MarkdownString {
  isTrusted = false;
  supportThemeIcons = false;
  supportHtml = false;
  constructor(public value = '', supportThemeIcons = false) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
    return this;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export enum TreeItemCollapsibleState { None = 0, Collapsed = 1, Expanded = 2 }
export enum ViewColumn { Active = -1, Beside = -2, One = 1, Two = 2, Three = 3 }
export enum ProgressLocation { SourceControl = 1, Window = 10, Notification = 15 }
export enum ConfigurationTarget { Global = 1, Workspace = 2, WorkspaceFolder = 3 }
export enum StatusBarAlignment { Left = 1, Right = 2 }
export enum LogLevel { Off = 0, Trace = 1, Debug = 2, Info = 3, Warning = 4, Error = 5 }
export enum EndOfLine { LF = 1, CRLF = 2 }
export enum ExtensionMode { Production = 1, Development = 2, Test = 3 }

export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: unknown;
  iconPath?: unknown;
  contextValue?: string;
  command?: unknown;
  accessibilityInformation?: unknown;
  constructor(readonly label: unknown, readonly collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None) {}
}

/** An event that never fires, and so keeps no listener (a shared emitter would keep them all alive). */
const noEvent = (): Disposable => new Disposable();

function outputChannel(name: string): Record<string, unknown> {
  const lines: string[] = [];
  const keep = (level: string) => (message: string) => {
    lines.push(`${level} ${message}`);
    if (lines.length > 200) lines.shift();
  };
  return withFallback({ name, lines, logLevel: LogLevel.Info, onDidChangeLogLevel: noEvent, trace: keep('trace'), debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error'), append: keep(''), appendLine: keep(''), show: () => undefined, hide: () => undefined, clear: () => undefined, dispose: () => undefined });
}

export const window = withFallback({
  createOutputChannel: outputChannel,
  createTreeView: () => withFallback({ visible: true, description: undefined, message: undefined, reveal: () => Promise.resolve(), dispose: () => undefined, onDidChangeVisibility: noEvent, onDidExpandElement: noEvent, onDidCollapseElement: noEvent, onDidChangeSelection: noEvent }),
  showInformationMessage: () => Promise.resolve(undefined),
  showWarningMessage: () => Promise.resolve(undefined),
  showErrorMessage: () => Promise.resolve(undefined),
  setStatusBarMessage: () => new Disposable(),
  // A plain object: the extension sets its name, text and tooltip.
  createStatusBarItem: () => withFallback({ show: () => undefined, hide: () => undefined, dispose: () => undefined }),
  withProgress: <R>(_options: unknown, task: (progress: { report(): void }, token: { isCancellationRequested: boolean; onCancellationRequested: typeof noEvent }) => Promise<R>) =>
    task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: noEvent }),
});

export const workspace = withFallback({
  isTrusted: true,
  workspaceFolders: undefined,
  textDocuments: [],
  getConfiguration: (section?: string) => withFallback({
    get: <T>(key: string, fallback?: T): T | undefined => {
      const full = section ? `${section}.${key}` : key;
      return standInSettings.has(full) ? (standInSettings.get(full) as T) : fallback;
    },
    has: (key: string) => standInSettings.has(`${section ? `${section}.` : ''}${key}`),
    update: () => Promise.resolve(),
    inspect: () => undefined,
  }),
  createFileSystemWatcher: () => withFallback({ onDidChange: noEvent, onDidCreate: noEvent, onDidDelete: noEvent, dispose: () => undefined }),
  onDidChangeConfiguration: noEvent,
  onDidGrantWorkspaceTrust: noEvent,
});

export const commands = withFallback({
  registerCommand: () => new Disposable(),
  executeCommand: () => Promise.resolve(undefined),
});

export const env = withFallback({ clipboard: { writeText: () => Promise.resolve(), readText: () => Promise.resolve('') } });
export const languages = withFallback({});
export const extensions = withFallback({});
export const version = '1.95.0';
