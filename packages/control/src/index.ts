export { createControlRouter } from './control-router';
export type { ControlOptions } from './control-router';
