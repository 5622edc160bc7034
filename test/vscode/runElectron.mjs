// @ts-check
// Runs the extension-host suite (out/test/suite/index.js) in a desktop VS Code through
// @vscode/test-electron, for machines that can download one (CMP_VSCODE_VERSION picks it, default
// the newest matching engines.vscode). Where it cannot be downloaded, says so in one line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests, TestRunFailedError } from '@vscode/test-electron';

const repoDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const version = process.env.CMP_VSCODE_VERSION;

/** Prints the download's stages briefly and keeps errors for one summary line. @type {import('@vscode/test-electron').ProgressReporter & { lastError?: unknown }} */
const reporter = {
  report(report) {
    if (report.stage === 'resolvedVersion') console.error(`VS Code ${report.version}`);
    else if (report.stage === 'newInstallComplete') console.error(`VS Code downloaded to ${report.downloadedPath}`);
    else if (report.stage === 'retrying') reporter.lastError = report.error;
  },
  error(error) {
    reporter.lastError = error;
  },
};

/** @param {unknown} error */
const messageOf = (error) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ ...(version ? { version } : {}), extensionDevelopmentPath: repoDir, reporter });
} catch (error) {
  const cause = reporter.lastError ? `: ${messageOf(reporter.lastError)}` : '';
  console.error(`test:electron: could not download desktop VS Code (${messageOf(error)}${cause}); this machine cannot reach the VS Code download service, run the same suite in code-server instead: node test/vscode/runExtensionTests.mjs`);
  process.exit(1);
}

const workspace = mkdtempSync(join(tmpdir(), 'cmp-vscode-workspace-'));
/** @type {number} */
let exitCode;
try {
  exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repoDir,
    extensionTestsPath: join(repoDir, 'out', 'test', 'suite', 'index.js'),
    // The same settings as under code-server: no trust prompt, no other extensions.
    // process.env is inherited, so CMP_TEST_* reach the extension host as under code-server.
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  if (error instanceof TestRunFailedError) {
    exitCode = error.code ?? 1;
  } else {
    console.error(`test:electron: VS Code did not run: ${messageOf(error)}`);
    exitCode = 1;
  }
} finally {
  rmSync(workspace, { recursive: true, force: true });
}
process.exit(exitCode);
