// The measures the runner knows, in the order it runs them: the large fixture's measures last, so
// the deletion of its ten thousand pods (not waited for) disturbs no other measure.
import { measureActivation } from './activationBench';
import type { BenchContext, MeasureResult } from './benchTypes';
import { measureCreate } from './createBench';
import { measureIdle } from './idleBench';
import type { Fixture } from './fixture';
import { measureLoad } from './loadBench';
import { measureLogs } from './logBench';
import { measureScale } from './scaleBench';
import { measureStreams } from './streamBench';
import { measureWatch } from './watchBench';

export interface Measure {
  id: string;
  title: string;
  /** Measures on the large fixture share one load of it (P4, P3, P7 in a row). */
  usesFixture?: boolean;
  run: (ctx: BenchContext, fixture: Fixture) => Promise<MeasureResult>;
}

export const measures: Measure[] = [
  { id: 'P5', title: 'activation and bundle size', run: measureActivation },
  { id: 'P1', title: 'create a cluster (ours, kubectl, floor)', run: measureCreate },
  { id: 'P2', title: 'scale a cluster up and down (ours, kubectl, floor)', run: measureScale },
  { id: 'P6', title: 'log pipeline under a flood', run: measureLogs },
  { id: 'P8', title: 'terminal and port forward (ours, kubectl, floor)', run: measureStreams },
  { id: 'P4', title: 'initial load of many clusters into the tree', usesFixture: true, run: measureLoad },
  { id: 'P3', title: 'watch propagation to the tree', usesFixture: true, run: measureWatch },
  { id: 'P7', title: 'idle requests with the tree open', usesFixture: true, run: measureIdle },
];
