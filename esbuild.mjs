// @ts-check
// Builds everything with esbuild: the extension bundle (dist/extension.js, node, cjs, vscode
// external), one browser bundle per webview (dist/webview/*.js), and the test sources (out/).
// Type checking is separate: npm run typecheck.
import * as esbuild from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @param {string} dir @param {RegExp} pattern @returns {string[]} */
function filesUnder(dir, pattern) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return filesUnder(path, pattern);
    return pattern.test(entry) ? [path] : [];
  });
}

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    // The extension runs only in Node extension hosts. Bundled auth libraries (oauth4webapi,
    // openid-client) read navigator.userAgent at load, and VS Code's hosts on Node 22+ log a
    // PendingMigrationError for every read of that global; here it is simply absent.
    define: { navigator: 'undefined' },
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
  },
  {
    entryPoints: { clusterForm: 'webview-ui/src/clusterForm/main.ts', events: 'webview-ui/src/events/main.ts', logs: 'webview-ui/src/logs/main.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    outdir: 'dist/webview',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    logLevel: 'warning',
  },
  {
    // Tests run from out/ against the sources file by file, so failures point at real lines.
    entryPoints: [...filesUnder('src', /\.ts$/), ...filesUnder('test', /\.ts$/)],
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: 'out',
    outbase: '.',
    sourcemap: true,
    logLevel: 'warning',
  },
];

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
