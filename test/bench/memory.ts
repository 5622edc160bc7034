// Heap readings after a full collection, without asking the runner for --expose-gc.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** Heap in use after two full collections, in MB. */
export function settledHeapMB(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed / 2 ** 20;
}
