// The webview's handle on the host: postMessage, and getState/setState so the form survives being
// hidden and shown again. acquireVsCodeApi may be called only once per page.

interface WebviewApi<State> {
  postMessage(message: unknown): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): WebviewApi<State>;

export function vscodeApi<State>(): WebviewApi<State> {
  return acquireVsCodeApi<State>();
}
