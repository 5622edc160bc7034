// @ts-check
// Mocha root hooks of the e2e suite: one packaged extension, one code-server and one browser for
// the whole run; a screenshot of every open window when a test fails.
import { screenshotOpenWindows, startRun, stopRun } from './workbench.mjs';

// The suite takes about 2 minutes; a broken workbench would make every step wait out its timeout,
// so past this budget the remaining tests are not started (CI has 90 minutes for everything).
const budgetMs = Number(process.env.CMP_E2E_BUDGET_MS) || 12 * 60_000;
let startedAt = 0;

export const mochaHooks = {
  /** @this {import('mocha').Context} */
  async beforeAll() {
    // The first run on a machine installs code-server (a few minutes); later runs reuse it.
    this.timeout(20 * 60_000);
    await startRun();
    startedAt = Date.now();
  },
  beforeEach() {
    const spent = Date.now() - startedAt;
    if (spent > budgetMs) throw new Error(`the e2e suite has run ${Math.round(spent / 60_000)} minutes, past its budget of ${Math.round(budgetMs / 60_000)}: the remaining tests are not started`);
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
