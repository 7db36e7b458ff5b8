import { ErrorCode } from './errors';

/**
 * The seam where fault injection and latency apply: one evaluation for requests (used by
 * the http package) and one for job steps (used by the job runner).
 */
export interface RequestContext {
  dialect: string;
  method: string;
  /** The path as the vendor sees it (relative to where the dialect is mounted). */
  path: string;
}

export interface StepFaultContext {
  kind: string;
  step: string;
}

export type FaultEffect =
  | { type: 'delay'; ms: number }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'drop' }
  | { type: 'fail_step'; message: string };

export interface FaultPolicy {
  forRequest(ctx: RequestContext): Promise<FaultEffect[]>;
  forStep(ctx: StepFaultContext): Promise<FaultEffect[]>;
  /** Cheap check (no hit is counted): could any step rule apply at all right now? */
  hasStepRules(): Promise<boolean>;
}

export const NO_FAULTS: FaultPolicy = {
  forRequest: async () => [],
  forStep: async () => [],
  hasStepRules: async () => false,
};
