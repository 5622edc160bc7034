// The panels' test seams (inspect a webview's snapshot, drive a panel with a webview's messages)
// exist only in ExtensionMode.Test: in production they refuse.

export function assertTestMode(deps: { testMode: boolean }): void {
  if (!deps.testMode) throw new Error('inspecting or driving a panel is for the extension\'s own tests only');
}
