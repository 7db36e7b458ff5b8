import { Config, ConfigError, loadConfig } from './config';

/** For process entry points: a bad variable ends the process with its name, not a stack trace. */
export function loadConfigOrExit(program: string): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${program}: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
