import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/ids';
import { Repositories } from '../ports/repositories';
import { Job } from '../model/job';

export interface StepContext {
  tx: Repositories;
  job: Job;
  clock: Clock;
  ids: IdGenerator;
  /** Merged into the job's result when the step commits. */
  result: Record<string, unknown>;
}

export interface StepDefinition {
  name: string;
  /** Realistic duration in seconds; scaled by configuration (0 = instant). */
  seconds: number;
  /**
   * The step's domain change. It runs in the same transaction that marks the step done, so a
   * worker dying mid-step leaves nothing behind and the retry runs the step again from scratch.
   */
  apply(ctx: StepContext): Promise<void>;
}

export interface JobDefinition {
  steps: StepDefinition[];
}

export const noop = async (): Promise<void> => undefined;
