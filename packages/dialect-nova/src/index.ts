export { createNovaIdentityRouter, createNovaComputeRouter } from './router';
export type { NovaRouterOptions, NovaSettings } from './router';
