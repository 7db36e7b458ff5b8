import type { ClockState } from '../clock/controllable-clock';

/** How job runners treat steps: run freely, hold every step, or run one step per permit. */
export type JobExecutionMode = 'normal' | 'paused' | 'manual';

export const JOB_EXECUTION_MODES: readonly JobExecutionMode[] = ['normal', 'paused', 'manual'];

export interface SnapshotInfo {
  name: string;
  createdAt: Date;
  /** The last migration applied when the snapshot was taken: restore and import require the same schema. */
  schema: string;
  rowCounts: Record<string, number>;
  /**
   * Control state saved with the domain and put back by restore: how many fault rules, and the
   * clock (null = real time). Absent for snapshots taken before Rosetta recorded it; restoring
   * those leaves the current rules and clock alone.
   */
  control?: { faultRules: number; clock: ClockState | null };
}

/** A snapshot as a self-contained document (export and import). */
export interface SnapshotDocument {
  format: 'rosetta-snapshot';
  name: string;
  createdAt: string;
  schema: string;
  tables: Record<string, unknown[]>;
}

/** Control-plane state that lives in the database, shared by every gateway and worker. */
export interface ControlStore {
  /** Copies every domain table, from one consistent read, under a name. */
  saveSnapshot(name: string, options?: { replace?: boolean }): Promise<SnapshotInfo>;
  /** Replaces the domain with a snapshot in one transaction holding exclusive locks: readers see before or after. */
  restoreSnapshot(name: string): Promise<SnapshotInfo>;
  listSnapshots(): Promise<SnapshotInfo[]>;
  getSnapshot(name: string): Promise<SnapshotInfo | undefined>;
  deleteSnapshot(name: string): Promise<boolean>;
  /** The snapshot as a JSON document (text, so large snapshots are not parsed and re-serialised). */
  exportSnapshot(name: string): Promise<string | undefined>;
  importSnapshot(doc: SnapshotDocument, options?: { name?: string; replace?: boolean }): Promise<SnapshotInfo>;
  readJobMode(): Promise<JobExecutionMode>;
  writeJobMode(mode: JobExecutionMode): Promise<void>;
  /** Lets a job in manual mode run `count` more steps. */
  grantStepPermits(jobId: string, count: number): Promise<void>;
  /** Consumes one permit; false when the job has none. */
  takeStepPermit(jobId: string): Promise<boolean>;
}
