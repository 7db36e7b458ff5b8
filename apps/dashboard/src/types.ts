/**
 * Wire shapes of the control API (/_rosetta), as JSON delivers them (dates are ISO strings),
 * derived from the types the server renders. Type-only imports: the bundler erases them, so no
 * Node code enters the bundle.
 */
import type {
  Brick as CoreBrick,
  Cluster as CoreCluster,
  Device as CoreDevice,
  FaultRule as CoreFaultRule,
  FaultRuleEffect,
  Host as CoreHost,
  Job as CoreJob,
  JobExecutionMode,
  JobStep as CoreJobStep,
  PowerPoint as CorePowerPoint,
  Site as CoreSite,
  Target as CoreTarget,
  Vm as CoreVm,
} from '@rosetta/core';
import type { Paged, SnapshotView, Wire } from '@rosetta/control/client';

export type { ClockView } from '@rosetta/control/client';
export type { ErrorCode, HostState, JobState } from '@rosetta/core';
export type { JournalEntry } from '@rosetta/http';

export type Page<T> = Paged<T>;

export type Site = Wire<CoreSite>;
export type Cluster = Wire<CoreCluster>;
export type Host = Wire<CoreHost>;
export type Vm = Wire<CoreVm>;
export type Device = Wire<CoreDevice>;
export type Brick = Wire<CoreBrick>;
export type Target = Wire<CoreTarget>;
export type JobStep = Wire<CoreJobStep>;
export type Job = Wire<CoreJob>;
export type ExecutionMode = JobExecutionMode;
export type FaultEffect = FaultRuleEffect;
export type FaultRule = Wire<CoreFaultRule>;
/** A rule's counters as the events stream sends them on every tick. */
export type FaultHits = Pick<FaultRule, 'id' | 'hits' | 'evaluations' | 'remaining'>;
export type Snapshot = SnapshotView;
export type PowerPoint = Wire<CorePowerPoint>;
