// The extension-host test index: the `run()` that VS Code calls inside its extension host, both
// under code-server (test/vscode/runExtensionTests.mjs) and desktop VS Code (test/vscode/runElectron.mjs).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// Compiled to out/test/suite/index.js; the reporter stays a source file under test/support.
const reporterPath = path.resolve(__dirname, '../../../test/support/countingReporter.cjs');

/** Every compiled *.test.js under this folder, in a stable order. */
function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}

export async function run(): Promise<void> {
  // No colours: the output goes through the workbench's log channel to a pipe, not a terminal.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, slow: 2_000, reporter: reporterPath, color: false });
  for (const file of testFiles(__dirname)) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
