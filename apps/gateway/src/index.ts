export { startGateway } from './gateway';
export type { Gateway } from './gateway';
export { DIALECTS } from './dialects';
export type { DialectMount } from './dialects';
