// @ts-check
// Mocha root hooks of the e2e suite: one packaged extension, one code-server and one browser for
// the whole run; a screenshot of every open window when a test fails.
import { screenshotOpenWindows, startRun, stopRun } from './workbench.mjs';

export const mochaHooks = {
  /** @this {import('mocha').Context} */
  async beforeAll() {
    // The first run on a machine installs code-server (a few minutes); later runs reuse it.
    this.timeout(20 * 60_000);
    await startRun();
  },
  /** @this {import('mocha').Context} */
  async afterEach() {
    const test = this.currentTest;
    if (test?.state === 'failed') await screenshotOpenWindows(test.fullTitle());
  },
  /** @this {import('mocha').Context} */
  async afterAll() {
    this.timeout(60_000);
    await stopRun();
  },
};
