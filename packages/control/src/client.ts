// The client side of the control plane without the router: `@rosetta/control/client` loads no
// express, prom-client or @rosetta/http, so the `rosetta` CLI starts as fast as it did on its own.
export { createControlClient } from './control-client';
export type { ControlClient, ClockView, SnapshotView, FaultRuleInput, Paged, Wire } from './control-client';
export { createControlTransport, ControlApiError, ControlUnreachableError } from './control-transport';
export type { ControlTransport, ControlQuery } from './control-transport';
