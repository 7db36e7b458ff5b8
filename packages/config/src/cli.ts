import { ConfigError } from './config';

type Env = Record<string, string | undefined>;

/** Where the `rosetta` CLI finds the control plane. */
export interface CliConfig {
  url: string;
  adminToken?: string;
}

export function loadCliConfig(env: Env): CliConfig {
  const url = env.ROSETTA_URL || 'http://127.0.0.1:8080';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`ROSETTA_URL must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigError(`ROSETTA_URL must be an http(s) URL, got ${JSON.stringify(url)}`);
  return { url: url.replace(/\/+$/, ''), adminToken: env.ROSETTA_ADMIN_TOKEN || undefined };
}
