import { VmLoad } from '../model/consolidation';
import { DatastoreSample, HostSample, PowerPoint, SampleSet, VmSample } from '../metrics/samples';

/** The stored time series of performance samples (see metrics/samples.ts). */
export interface SampleRepository {
  /**
   * Claims a sampling instant for the calling transaction: true for exactly one caller per
   * instant. A concurrent claimant waits until the first commits (then gets false) or rolls
   * back (then gets true), so an instant is written once and never half.
   */
  claim(at: Date): Promise<boolean>;
  /** Writes every sample of the set (batched, set-based); returns how many rows. */
  insert(set: SampleSet): Promise<number>;
  /** Deletes the runs and samples before `before` (retention) or after `after` (the clock was set back). */
  prune(before: Date, after: Date): Promise<number>;
  /** The newest sampling instant at or before `notAfter`, if any. */
  latestRun(notAfter: Date): Promise<Date | undefined>;
  /** Samples of one instant; every entity of the kind when ids is omitted. */
  hosts(at: Date, ids?: string[]): Promise<Map<string, HostSample>>;
  vms(at: Date, ids?: string[]): Promise<Map<string, VmSample>>;
  datastores(at: Date, ids?: string[]): Promise<Map<string, DatastoreSample>>;
  /** The site's current hosts' samples summed per instant in [since, until], ascending. */
  powerSeries(siteId: string, since: Date, until: Date): Promise<PowerPoint[]>;
  /** Every VM's load columns (what an instant is computed from), in one read. */
  vmLoads(): Promise<VmLoad[]>;
}
