// The reliability suite's figures: each test records what it measured (a count tried and held, a
// recovery time, a request rate) and the suite prints them as one table when it ends, the table
// README's Reliability section shows.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Figure {
  measure: string;
  value: string;
  goal: string;
  met: boolean;
}

// Compiled to out/test/reliability: out/reliability-figures.jsonl unless the runner names a file
// (the extension host runs with another working folder).
const file = (): string => process.env.CMP_RELIABILITY_FIGURES ?? join(__dirname, '..', '..', 'reliability-figures.jsonl');

export function recordFigure(figure: Figure): void {
  appendFileSync(file(), `${JSON.stringify(figure)}\n`);
}

export function readFigures(path = file()): Figure[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Figure);
}

export function figureTable(figures: Figure[]): string {
  const rows = figures.map((f) => `| ${f.measure} | ${f.value} | ${f.goal} | ${f.met ? 'yes' : '**no**'} |`);
  return ['| measure | result | goal | met? |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
