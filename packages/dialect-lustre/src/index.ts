export { createLustreRouter } from './router';
export type { LustreRouterOptions } from './router';
