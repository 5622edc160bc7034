// @ts-check
// `npm test -- reliability`: the fault and bad-input suite. Runs its Node tests (mocha, through the
// fault proxy in front of the plane), then its extension-host part (bad input sent through the real
// extension in code-server), sums both parts' counts for test/runAll.mjs, and prints the figures
// they recorded as one table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const figures = join(process.cwd(), 'out', 'reliability-figures.jsonl');
mkdirSync(join(process.cwd(), 'out'), { recursive: true });
rmSync(figures, { force: true });
const countsDir = mkdtempSync(join(tmpdir(), 'cmp-reliability-counts-'));

/** Runs one part with its own counts file; a part that reports nothing counts as one failure. */
function part(/** @type {string} */ name, /** @type {string[]} */ command, /** @type {Record<string, string>} */ extraEnv = {}) {
  const counts = join(countsDir, `${name}.json`);
  const result = spawnSync(process.execPath, command, { stdio: 'inherit', env: { ...process.env, ...extraEnv, CMP_RELIABILITY_FIGURES: figures, CMP_TEST_COUNTS: counts } });
  const reported = existsSync(counts) ? JSON.parse(readFileSync(counts, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
  if (result.status !== 0 && reported.failed === 0) reported.failed = 1;
  return reported;
}

const parts = [
  part('node', ['node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', '--timeout', '180000', 'out/test/reliability/*.test.js']),
  part('extension-host', ['test/vscode/runExtensionTests.mjs'], { CMP_VSCODE_TESTS_INDEX: join('out', 'test', 'reliability', 'host', 'index.js') }),
];
const total = parts.reduce((sum, p) => ({ passed: sum.passed + p.passed, failed: sum.failed + p.failed, skipped: sum.skipped + (p.skipped ?? 0) }), { passed: 0, failed: 0, skipped: 0 });
if (process.env.CMP_TEST_COUNTS) writeFileSync(process.env.CMP_TEST_COUNTS, JSON.stringify(total));
rmSync(countsDir, { recursive: true, force: true });

const rows = existsSync(figures) ? readFileSync(figures, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
process.stdout.write('\nReliability figures\n\n| measure | result | goal | met? |\n| --- | --- | --- | --- |\n');
for (const row of rows) process.stdout.write(`| ${row.measure} | ${row.value} | ${row.goal} | ${row.met ? 'yes' : '**no**'} |\n`);
process.exit(total.failed > 0 || total.skipped > 0 ? 1 : 0);
