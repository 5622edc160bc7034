// The reliability suite's extension-host part (bad input through the real extension, with the
// fault proxy counting writes): test/reliability/run.mjs starts it in code-server with this index.
import { runTestsIn } from '../../support/extensionHostMocha';

export function run(): Promise<void> {
  return runTestsIn(__dirname, 10 * 60_000);
}
