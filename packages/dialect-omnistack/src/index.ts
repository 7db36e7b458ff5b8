export { createOmniStackRouter } from './router';
export type { OmniStackRouterOptions } from './router';
