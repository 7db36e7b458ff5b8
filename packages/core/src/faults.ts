import { ErrorCode } from './errors';

/**
 * The seam where fault injection and latency apply: one evaluation for requests (used by
 * the http package) and one for job steps (used by the job runner).
 */
export interface RequestContext {
  dialect: string;
  method: string;
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
  forRequest(ctx: RequestContext): FaultEffect[];
  forStep(ctx: StepFaultContext): FaultEffect[];
}

export const NO_FAULTS: FaultPolicy = {
  forRequest: () => [],
  forStep: () => [],
};
