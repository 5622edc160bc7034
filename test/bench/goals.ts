// The goals as verdicts on table rows.
import type { Row } from './benchTypes';
import { ratio } from './stats';

/** P1/P2 at N = 100: within 1.5× the floor and at least 10× faster than kubectl. Smaller N: no goal. */
export function goalAtScale(row: Row, n: number): Row {
  if (n < 100) return row;
  const overFloor = ratio(row.ours, row.floor);
  const underKubectl = ratio(row.kubectl, row.ours);
  return { ...row, goal: 'ours/floor ≤ 1.5, kubectl/ours ≥ 10', met: overFloor !== undefined && underKubectl !== undefined && overFloor <= 1.5 && underKubectl >= 10 };
}

export function goalAtMost(row: Row, limit: number, what: string): Row {
  return { ...row, goal: `${what} ≤ ${limit} ${row.unit}`, met: row.ours !== undefined && row.ours.median <= limit };
}
