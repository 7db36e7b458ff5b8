export { startGateway } from './gateway';
export type { Gateway } from './gateway';
