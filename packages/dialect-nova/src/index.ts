export { createNovaIdentityRouter, createNovaComputeRouter } from './router';
export type { NovaRouterOptions } from './router';
