export { createEco4CloudRouter } from './router';
export type { Eco4CloudRouterOptions } from './router';
