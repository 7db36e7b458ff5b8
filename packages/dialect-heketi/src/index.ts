export { createHeketiRouter } from './router';
export type { HeketiRouterOptions } from './router';
