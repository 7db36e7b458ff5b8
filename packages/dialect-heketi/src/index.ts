export { createHeketiRouter } from './router';
export type { HeketiRouterOptions, HeketiSettings } from './router';
