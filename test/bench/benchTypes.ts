// The shapes every measure returns and the runner prints and stores: one row per line of the
// table, with ours, kubectl and the raw-request floor where each applies, and the goal verdict.
import type { KubeConfig } from '@kubernetes/client-node';
import type { BenchNamespaces } from './benchNamespaces';
import type { Plane } from './benchPlane';
import type { Credentials, FloorClient } from './floorClient';
import type { Summary } from './stats';

export type Unit = 'ms' | 'lines/s' | 'req/min' | 'MB' | 'KB' | 'MB/s';

export interface Row {
  /** Short measure id (P1 … P7) and the line's label. */
  id: string;
  measure: string;
  unit: Unit;
  ours?: Summary;
  kubectl?: Summary;
  floor?: Summary;
  /** The goal in words, and whether ours met it; undefined when the row has no goal. */
  goal?: string;
  met?: boolean;
  note?: string;
}

export type Size = 'small' | 'full';

/** What every measure receives: where the plane is, the size, and the write bound under test. */
export interface BenchContext {
  size: Size;
  /** Repeated runs per measure (at least 5). */
  runs: number;
  plane: Plane;
  /** cmp.writeConcurrency's declared default and maximum, read from package.json. */
  writeConcurrency: number;
  writeConcurrencyMax: number;
  credentials: Credentials;
  /** For setup, settling and cleanup; timed floor runs make their own client. */
  floor: FloorClient;
  namespaces: BenchNamespaces;
  /** A freshly loaded KubeConfig of the plane, as the extension would load it. */
  kubeConfig: () => KubeConfig;
  log: (message: string) => void;
}

export interface MeasureResult {
  rows: Row[];
  /** Anything else worth keeping in the JSON (breakdowns, counts, caveats). */
  details?: Record<string, unknown>;
}
