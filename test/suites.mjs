// @ts-check
// The test suites `npm test` runs, in order. Each runs in its own process and reports its counts
// through test/support/countingReporter.cjs.

const mocha = (/** @type {string[]} */ ...globs) => [process.execPath, 'node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', ...globs];

/** @type {{ name: string, needsPlane: boolean, planes?: number, needsCodeServer?: boolean, command: string[] }[]} */
export const suites = [
  // Unit tests of the extension (TypeScript, built into out/) and of the repo's own scripts (.mjs).
  { name: 'unit', needsPlane: false, command: mocha('out/test/unit/**/*.test.js', 'test/unit/**/*.test.mjs') },
  { name: 'cluster', needsPlane: true, command: mocha('out/test/cluster/tests/**/*.test.js') },
  // Several contexts (the fleet) need a second, independent plane: `planes` says how many run.
  { name: 'integration', needsPlane: true, planes: 2, command: mocha('out/test/integration/**/*.test.js') },
  // Faults and bad input through a proxy in front of the plane; prints its figures.
  { name: 'reliability', needsPlane: true, needsCodeServer: true, command: [process.execPath, 'test/reliability/run.mjs'] },
  // The README's two commands on a copy of the checkout, each with a plane of its own.
  { name: 'commands', needsPlane: false, needsCodeServer: true, command: mocha('test/commands/*.test.mjs') },
  { name: 'extension-host', needsPlane: true, planes: 2, needsCodeServer: true, command: [process.execPath, 'test/vscode/runExtensionTests.mjs'] },
  // Packages the .vsix, installs it into a fresh code-server and drives the user's flows with Chromium.
  { name: 'e2e', needsPlane: true, planes: 2, needsCodeServer: true, command: [process.execPath, 'node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', '--require', 'test/e2e/hooks.mjs', '--timeout', '240000', 'test/e2e/*.e2e.mjs'] },
];
