// The extension-host test index: the `run()` that VS Code calls inside its extension host, both
// under code-server (test/vscode/runExtensionTests.mjs) and desktop VS Code (test/vscode/runElectron.mjs).
import { runTestsIn } from '../support/extensionHostMocha';

export function run(): Promise<void> {
  return runTestsIn(__dirname);
}
