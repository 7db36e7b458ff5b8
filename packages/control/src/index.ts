export { createControlRouter } from './control-router';
export type { ControlOptions } from './control-router';
export { createControlClient } from './control-client';
export { createControlTransport, ControlApiError, ControlUnreachableError } from './control-transport';
export type { ControlTransport, ControlQuery } from './control-transport';
export type { ControlClient, ClockView, SnapshotView, FaultRuleInput, Paged, Wire } from './control-client';
