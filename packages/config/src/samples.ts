import { ConfigError } from './config';

type Env = Record<string, string | undefined>;

/**
 * Performance sampling: how often workers store a sample of every host, VM and datastore, and for
 * how long. In milliseconds of clock time, the core's SamplingSettings.
 */
export interface SamplesConfig {
  /** Between two sampling instants; 0 = no sampling (readers compute the current minute). */
  intervalMs: number;
  /** Samples older than this (on the domain clock) are deleted at each sampling instant. */
  retentionMs: number;
}

function number(env: Env, name: string, fallback: number, min: number, max: number, integer: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new ConfigError(`${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

/** ROSETTA_SAMPLE_SECONDS (default 300, 0 = off) and ROSETTA_SAMPLE_RETENTION_HOURS (default 24). */
export function loadSamplesConfig(env: Env): SamplesConfig {
  const intervalSeconds = number(env, 'ROSETTA_SAMPLE_SECONDS', 300, 0, 86_400, true);
  if (intervalSeconds > 0 && intervalSeconds < 10) throw new ConfigError(`ROSETTA_SAMPLE_SECONDS must be 0 (off) or at least 10, got ${JSON.stringify(env.ROSETTA_SAMPLE_SECONDS)}`);
  const retentionHours = number(env, 'ROSETTA_SAMPLE_RETENTION_HOURS', 24, 0.1, 24 * 366, false);
  return { intervalMs: intervalSeconds * 1000, retentionMs: retentionHours * 3_600_000 };
}
