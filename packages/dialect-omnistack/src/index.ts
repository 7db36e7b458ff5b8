export { createOmniStackRouter } from './router';
export type { OmniStackRouterOptions, OmniStackSettings, OmniStackUser } from './router';
