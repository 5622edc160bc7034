// @ts-check
// `npm test -- reliability`: the fault and bad-input suite. Runs its Node tests (mocha, through the
// fault proxy in front of the plane) and then prints the figures they recorded as one table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const figures = join(process.cwd(), 'out', 'reliability-figures.jsonl');
mkdirSync(join(process.cwd(), 'out'), { recursive: true });
rmSync(figures, { force: true });
const env = { ...process.env, CMP_RELIABILITY_FIGURES: figures };
const mocha = spawnSync(process.execPath, ['node_modules/mocha/bin/mocha.js', '--config', 'test/.mocharc.json', '--timeout', '180000', 'out/test/reliability/**/*.test.js'], { stdio: 'inherit', env });

const rows = existsSync(figures) ? readFileSync(figures, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
process.stdout.write('\nReliability figures\n\n| measure | result | goal | met? |\n| --- | --- | --- | --- |\n');
for (const row of rows) process.stdout.write(`| ${row.measure} | ${row.value} | ${row.goal} | ${row.met ? 'yes' : '**no**'} |\n`);
process.exit(mocha.status ?? 1);
