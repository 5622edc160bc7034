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
];
