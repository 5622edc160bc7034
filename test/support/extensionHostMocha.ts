// The `run()` that VS Code calls inside its extension host, for any folder of compiled tests: every
// *.test.js under it, in a stable order, with the counting reporter. test/suite and the reliability
// suite's host part each have an index that points it at their own folder.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** The reporter stays a source file under test/support; this file is compiled to out/test/support. */
const reporterPath = path.resolve(__dirname, '../../../test/support/countingReporter.cjs');

function testFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => path.join(dir, file));
}

export async function runTestsIn(dir: string, timeoutMs = 60_000): Promise<void> {
  // No colours: the output goes through the workbench's log channel to a pipe, not a terminal.
  const mocha = new Mocha({ ui: 'bdd', timeout: timeoutMs, slow: 2_000, reporter: reporterPath, color: false });
  for (const file of testFiles(dir)) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
