export { createControlRouter } from './control-router';
export type { ControlOptions } from './control-router';
export { createControlClient, ControlApiError } from './control-client';
export type { ControlClient, ClockView, SnapshotView, FaultRuleInput, Paged, Wire } from './control-client';
