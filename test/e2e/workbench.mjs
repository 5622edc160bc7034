// @ts-check
// The e2e suite's real VS Code: packages the extension into a .vsix, installs it into a fresh
// code-server extensions folder, starts code-server and Chromium once per run, and opens one
// workbench window per spec, with helpers for the parts of the workbench the specs drive.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URLSearchParams } from 'node:url';
import { chromium } from 'playwright-core';
import { assertAptPackages, ensureCodeServer, installExtension, startCodeServer } from '../vscode/codeServer.mjs';
import { packageVsix, repoDir } from '../vscode/packageVsix.mjs';
import { kubeconfigPath } from './kube.mjs';

/** Screenshots of every run; the README's copies live in media/screenshots. */
export const resultsDir = join(repoDir, 'test-results', 'e2e');
const chromiumPath = process.env.CMP_CHROMIUM || '/usr/bin/chromium';
const viewport = { width: 1200, height: 760 };

/** User settings of the test profile, over codeServer.mjs's own (no trust prompt, no telemetry). */
const settings = {
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  // Fewer parallel writes than the default 16, so the progress notification stays up long enough
  // for a person watching (and the spec) to see it.
  'cmp.writeConcurrency': 1,
  // The DOM renderer, so the terminal's text is in the page for the specs to read.
  'terminal.integrated.gpuAcceleration': 'off',
};

/**
 * @typedef {object} Run
 * @property {Awaited<ReturnType<typeof startCodeServer>>} server
 * @property {import('playwright-core').Browser} browser
 * @property {string} workspace
 * @property {string} dir the run's temp folder (extensions, user data, workspace)
 * @property {{ path: string, bytes: number, seconds: number }} vsix
 */

/** @type {Run | undefined} */
let run;
/** @type {Set<Workbench>} */
const openWindows = new Set();

/** @param {string} message */
const log = (message) => process.stderr.write(`e2e: ${message}\n`);

/** Packages the extension, installs it into a fresh extensions folder, starts code-server and Chromium. */
export async function startRun() {
  if (run) return run;
  assertAptPackages();
  await ensureCodeServer();
  const kubeconfig = kubeconfigPath();
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'cmp-e2e-'));
  try {
    const vsix = packageVsix(join(dir, 'cmp-clusters.vsix'));
    log(`packaged ${Math.round(vsix.bytes / 1024)} KiB in ${vsix.seconds.toFixed(1)} s`);
    const extensionsDir = join(dir, 'extensions');
    const userDataDir = join(dir, 'user-data');
    await installExtension(vsix.path, extensionsDir, userDataDir);
    const workspace = join(dir, 'workspace');
    mkdirSync(workspace);
    writeMachineSettings(userDataDir, { 'cmp.kubeconfig': kubeconfig });
    const server = await startCodeServer({ folder: workspace, extensionsDir, userDataDir, settings });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage', '--disable-crash-reporter'],
    }).catch(async (error) => {
      await server.stop();
      throw error;
    });
    run = { server, browser, workspace, dir, vsix };
    return run;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Writes the remote machine's settings of a code-server user-data folder. cmp.kubeconfig is
 * machine-overridable: in code-server's remote window VS Code drops such settings from the
 * browser-side user settings once the extension's schema is known, and reads them from here.
 * @param {string} userDataDir @param {Record<string, unknown>} values
 */
export function writeMachineSettings(userDataDir, values) {
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), `${JSON.stringify(values, null, 2)}\n`);
}

/**
 * Points the run's code-server at another kubeconfig (its machine settings, which the extension
 * reloads on change), as a user who switches to another file would. @param {string} kubeconfig
 */
export function useKubeconfig(kubeconfig) {
  useSettings({ 'cmp.kubeconfig': kubeconfig });
}

/** Replaces the run's machine settings (cmp.kubeconfig, cmp.contexts, …), which the extension follows. @param {Record<string, unknown>} values */
export function useSettings(values) {
  if (!run) throw new Error('the e2e run has not started');
  writeMachineSettings(join(run.dir, 'user-data'), values);
}

export async function stopRun() {
  const current = run;
  run = undefined;
  if (!current) return;
  for (const window of openWindows) await window.close();
  // A hung browser never answers close(); Playwright's exit hook kills it when we exit anyway.
  await Promise.race([current.browser.close().catch(() => undefined), new Promise((done) => setTimeout(done, 10_000))]);
  await current.server.stop();
  rmSync(current.dir, { recursive: true, force: true });
}

/** Screenshots every open window of a failed test, named after it. @param {string} title */
export async function screenshotOpenWindows(title) {
  const base = `failed-${title.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}`;
  let n = 0;
  for (const window of openWindows) await window.screenshot(`${base}${n++ ? `-${n}` : ''}`).catch(() => undefined);
}

/** Escapes text for use inside a RegExp. @param {string} text */
export const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One browser window on the workbench: its own browser context, so no UI state carries over. */
export class Workbench {
  /** @param {import('playwright-core').BrowserContext} context @param {import('playwright-core').Page} page */
  constructor(context, page) {
    this.context = context;
    this.page = page;
    /** Console errors of the page and its webviews, e.g. CSP violations. @type {string[]} */
    this.consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
  }

  /** Opens a window on the run's workspace and waits for the CMP Clusters container to be there. */
  static async open() {
    if (!run) throw new Error('the e2e run has not started: the root hook in test/e2e/hooks.mjs starts it');
    const context = await run.browser.newContext({ viewport });
    // Generous: on a busy 2-core machine pods may take a while to turn ready.
    context.setDefaultTimeout(90_000);
    const page = await context.newPage();
    // Every notification text ever shown, even one up for less than a poll interval.
    // (A string: this module is type-checked without the DOM library.)
    await page.addInitScript({
      content: `(() => {
        const seen = new Set();
        Object.defineProperty(window, '__cmpNotifications', { value: seen });
        new MutationObserver(() => {
          for (const node of document.querySelectorAll('.notification-list-item-message')) seen.add(node.textContent ?? '');
        }).observe(document, { subtree: true, childList: true, characterData: true });
      })();`,
    });
    const window = new Workbench(context, page);
    openWindows.add(window);
    await page.goto(`${run.server.url}?${new URLSearchParams({ folder: run.workspace })}`);
    await page.locator('.activitybar .action-item a[aria-label^="CMP Clusters"]').waitFor({ timeout: 60_000 });
    return window;
  }

  /** Opens the CMP Clusters view container (a click on an open one would close it). */
  async showClusters() {
    const item = this.page.locator('.activitybar .action-item a[aria-label^="CMP Clusters"]');
    const open = this.page.locator('.activitybar .action-item.checked a[aria-label^="CMP Clusters"]');
    if ((await open.count()) === 0) await item.click();
    await this.widenSidebar();
    // With no clusters the view shows its welcome content instead of the tree.
    await this.tree.or(this.page.locator('.welcome-view-content', { hasText: 'CMP' })).first().waitFor({ timeout: 30_000 })
      .catch(async (error) => {
        // Hook failures get no afterEach screenshot: take one here.
        await this.screenshot('failed-show-clusters');
        throw error;
      });
  }

  /** Drags the sidebar's edge to the right once, so cluster descriptions fit in screenshots. */
  async widenSidebar() {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= 440) return;
    const x = box.x + box.width;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(x + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(x + 180, y, { steps: 5 });
    await this.page.mouse.up();
  }

  get tree() {
    return this.page.getByRole('tree', { name: 'CMP Clusters' });
  }

  /** A cluster row: its accessible name is "Cluster <name>, <description>". @param {string} name */
  cluster(name) {
    return this.tree.getByRole('treeitem', { name: new RegExp(`^Cluster ${literal(name)},`) });
  }

  /**
   * The row of cluster `name` below the row of context `context` (several contexts shown: the same
   * cluster name may be under each), found by row order; re-find it before each use.
   * @param {string} context @param {string} name
   */
  async clusterUnder(context, name) {
    const rows = await this.tree.locator('[role="treeitem"]').evaluateAll((items) => items.map((item) => ({
      index: Number(item.getAttribute('data-index')),
      level: item.getAttribute('aria-level'),
      label: item.getAttribute('aria-label') ?? '',
    })));
    rows.sort((a, b) => a.index - b.index);
    const start = rows.findIndex((row) => row.level === '1' && row.label.startsWith(`Context ${context},`));
    if (start < 0) throw new Error(`no row of context ${context} is rendered`);
    for (const row of rows.slice(start + 1)) {
      if (row.level === '1') break;
      if (row.level === '2' && row.label.startsWith(`Cluster ${name},`)) return this.tree.locator(`[role="treeitem"][data-index="${row.index}"]`);
    }
    throw new Error(`no cluster ${name} is rendered under context ${context}`);
  }

  /** Instance rows ("instance-<n> <description>") under expanded clusters. @param {string} name */
  instance(name) {
    return this.tree.locator(`[role="treeitem"][aria-level="2"][aria-label^="${name} "]`);
  }

  /**
   * Names of the instance rows rendered below a cluster's row, in the tree's order: the list
   * reuses row elements, so order by their index, and stop at the next cluster.
   * @param {string} cluster
   */
  async instanceNames(cluster) {
    const rows = await this.tree.locator('[role="treeitem"]').evaluateAll((items) => items.map((item) => ({
      index: Number(item.getAttribute('data-index')),
      level: item.getAttribute('aria-level'),
      label: item.getAttribute('aria-label') ?? '',
      name: item.querySelector('.label-name')?.textContent?.trim() ?? '',
    })));
    if (rows.some((row) => !Number.isInteger(row.index))) throw new Error('a tree row without data-index: the workbench renders rows differently now');
    rows.sort((a, b) => a.index - b.index);
    const start = rows.findIndex((row) => row.level === '1' && row.label.startsWith(`Cluster ${cluster},`));
    if (start < 0) return [];
    const names = [];
    for (const row of rows.slice(start + 1)) {
      if (row.level !== '2') break;
      names.push(row.name);
    }
    return names;
  }

  /** Expands a cluster row unless it is expanded (a click toggles). @param {string} name */
  async expand(name) {
    const row = this.cluster(name);
    const expanded = row.and(this.page.locator('[aria-expanded="true"]'));
    // A click can land on a row that just moved up (see focusRow): retry while still collapsed.
    for (let attempt = 0; attempt < 5 && !(await expanded.count()); attempt++) {
      await row.click();
      await expanded.waitFor({ timeout: 2000 }).catch(() => undefined);
    }
    await expanded.waitFor({ timeout: 5000 });
  }

  /**
   * Selects a cluster row without toggling it (a right-click selects; Escape closes the menu) and
   * walks the focus down `rows` rows and back: the tree renders only rows in view, and moving the
   * focus scrolls the rows below the cluster into view, however many clusters sort before it.
   * @param {string} name @param {number} rows
   */
  async revealBelow(name, rows) {
    await this.focusRow(this.cluster(name));
    await this.page.keyboard.press('Escape');
    for (let i = 0; i < rows; i++) await this.page.keyboard.press('ArrowDown');
    for (let i = 0; i < rows; i++) await this.page.keyboard.press('ArrowUp');
  }

  /**
   * Right-clicks a tree row until its context menu is open for that very row. The tree is live:
   * when a row above disappears between finding this row and the click, the click lands on the
   * row that moved up, so check that this row took the focus, and else close the menu and retry.
   * @param {import('playwright-core').Locator} row
   */
  async focusRow(row) {
    // A row re-rendered between press and release may also swallow the click: no menu then.
    const menu = this.page.locator('.context-view .monaco-menu');
    for (let attempt = 0; ; attempt++) {
      await row.click({ button: 'right' });
      const opened = await menu.waitFor({ timeout: 3000 }).then(() => true, () => false);
      if (opened && (await row.and(this.page.locator('.focused')).count())) return;
      if (attempt === 5) throw new Error(opened ? 'a right-click kept landing on another tree row' : 'a right-click on the row opened no context menu');
      if (opened) await this.page.keyboard.press('Escape');
      await this.page.waitForTimeout(200);
    }
  }

  /** Runs a command from the palette by its title. @param {string} title */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await input.press('Enter');
  }

  /**
   * Right-clicks a tree row and picks a context-menu entry, with a screenshot of the open menu if named.
   * @param {import('playwright-core').Locator} row @param {string} entry @param {string} [screenshot]
   */
  async contextMenu(row, entry, screenshot) {
    await this.focusRow(row);
    const item = this.page.getByRole('menuitem', { name: entry });
    const menu = this.page.locator('.context-view .monaco-menu');
    // The menu ignores a click that comes right after it opened (a guard against the right
    // button's own release), so hover first, and click again while the menu is still up.
    await item.hover();
    if (screenshot) await this.page.waitForTimeout(250).then(() => this.page.screenshot({ path: join(resultsDir, `${screenshot}.png`) }));
    for (let attempt = 0; attempt < 5; attempt++) {
      await this.page.waitForTimeout(150);
      await item.click();
      if (await menu.waitFor({ state: 'hidden', timeout: 1000 }).then(() => true, () => false)) return;
    }
    throw new Error(`the context menu stayed open after choosing ${entry}`);
  }

  /** The open input box or quick pick. */
  get quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Types into the open input box and accepts it. @param {string} value */
  async answerInput(value) {
    const input = this.quickInput.locator('input');
    await input.fill(value);
    await input.press('Enter');
    if (await this.quickInput.waitFor({ state: 'hidden', timeout: 30_000 }).then(() => true, () => false)) return;
    // Say what stayed open (another quick pick, a validation message, the value typed).
    const shown = await this.quickInput.evaluate((widget, typed) => {
      const text = (/** @type {string} */ selector) => [...widget.querySelectorAll(selector)].map((e) => e.textContent?.trim()).filter(Boolean).join(' | ');
      return `title "${text('.quick-input-title')}", message "${text('.quick-input-message')}", value "${widget.querySelector('input')?.value}" (typed "${typed}"), rows "${text('.monaco-list-row')}"`;
    }, value);
    throw new Error(`the input stayed open after Enter: ${shown}`);
  }

  /** The modal dialog (showWarningMessage with modal: true). */
  get dialog() {
    return this.page.locator('.monaco-dialog-box');
  }

  /** Notification toasts shown now. */
  get toasts() {
    return this.page.locator('.notifications-toasts .notification-list-item-message');
  }

  /** Every notification text shown since the window opened. @returns {Promise<string[]>} */
  async notificationsSeen() {
    return /** @type {Promise<string[]>} */ (this.page.evaluate('[...window.__cmpNotifications]'));
  }

  /** Closes every notification toast shown now. */
  async clearNotifications() {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  /**
   * The content frame of the visible webview (the iframes carry no title: one webview shows at a
   * time in these specs, and its tab must be the active one).
   */
  webview() {
    return this.page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
  }

  /** An editor tab by its title. @param {string} title */
  tab(title) {
    return this.page.locator('.tabs-container .tab', { hasText: title });
  }

  /** Saves test-results/e2e/<name>.png. @param {string} name */
  async screenshot(name) {
    // Away from rows and buttons, so no hover or tooltip covers what the picture is of.
    await this.page.mouse.move(viewport.width - 40, viewport.height - 60);
    await this.page.locator('.monaco-hover, .custom-hover').first().waitFor({ state: 'hidden', timeout: 2000 }).catch(() => undefined);
    // Quick inputs, menus and toasts fade in; let them settle.
    await this.page.waitForTimeout(250);
    await this.page.screenshot({ path: join(resultsDir, `${name}.png`) });
  }

  /** Console errors that are CSP violations. */
  cspViolations() {
    return this.consoleErrors.filter((text) => /Content Security Policy/i.test(text));
  }

  async close() {
    openWindows.delete(this);
    await this.context.close().catch(() => undefined);
  }
}
