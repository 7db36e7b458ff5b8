import { Entity } from './entity';
import { ErrorCode } from '../errors';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type StepState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export const TERMINAL_JOB_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/**
 * Every kind of long-running mutation, `<entity>.<verb>`. The worker's definitions are a
 * Record<JobKind, JobDefinition>, so adding a kind here without its steps fails to compile.
 */
export type JobKind =
  | 'host.power_on'
  | 'host.power_off'
  | 'host.enter_maintenance'
  | 'host.exit_maintenance'
  | 'vm.power_on'
  | 'vm.power_off'
  | 'vm.move'
  | 'vm.clone'
  | 'volume.create'
  | 'volume.delete'
  | 'volume.expand'
  | 'filesystem.start'
  | 'filesystem.stop';

export interface AffectedObject {
  kind: string;
  id: string;
}

export interface JobStep {
  index: number;
  name: string;
  state: StepState;
  /** Planned duration on the clock, already scaled by the configured step speed. */
  seconds: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  error: string | null;
}

export interface Job extends Entity {
  kind: JobKind;
  state: JobState;
  /** Which dialect (or control plane) asked for it, for display only. */
  origin: string;
  input: Record<string, unknown>;
  result: Record<string, unknown>;
  affected: AffectedObject[];
  steps: JobStep[];
  errorCode: ErrorCode | null;
  errorMessage: string | null;
  attempts: number;
  cancelRequested: boolean;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewJob {
  id?: string;
  kind: JobKind;
  origin: string;
  input: Record<string, unknown>;
  affected?: AffectedObject[];
  steps: { name: string; seconds: number }[];
}

export type JobPatch = Partial<
  Pick<
    Job,
    'state' | 'result' | 'affected' | 'errorCode' | 'errorMessage' | 'attempts' | 'cancelRequested' | 'startedAt' | 'finishedAt'
  >
>;
