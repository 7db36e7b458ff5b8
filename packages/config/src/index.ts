export { loadConfig, ConfigError } from './config';
export type { Config, DialectPorts } from './config';
