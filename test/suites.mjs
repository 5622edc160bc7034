// @ts-check
// The test suites `npm test` runs, in order. Each runs in its own process and reports its counts
// through test/support/countingReporter.cjs.

const mocha = (/** @type {string} */ glob) => [process.execPath, 'node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', glob];

/** @type {{ name: string, needsPlane: boolean, command: string[] }[]} */
export const suites = [
  { name: 'unit', needsPlane: false, command: mocha('out/test/unit/**/*.test.js') },
  { name: 'cluster', needsPlane: true, command: mocha('out/test/cluster/tests/**/*.test.js') },
  { name: 'integration', needsPlane: true, command: mocha('out/test/integration/**/*.test.js') },
  { name: 'extension-host', needsPlane: true, command: [process.execPath, 'test/vscode/runExtensionTests.mjs'] },
  // Packages the .vsix, installs it into a fresh code-server and drives the user's flows with Chromium.
  { name: 'e2e', needsPlane: true, command: [process.execPath, 'node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', '--require', 'test/e2e/hooks.mjs', '--timeout', '240000', 'test/e2e/*.e2e.mjs'] },
];
