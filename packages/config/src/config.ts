import { NovaConfig, loadNovaConfig } from './nova';
import { LustreConfig, loadLustreConfig } from './lustre';
import { OmniStackConfig, loadOmniStackConfig } from './omnistack';
import { HeketiConfig, loadHeketiConfig } from './heketi';
import { Eco4CloudConfig, loadEco4CloudConfig } from './eco4cloud';
import { SamplesConfig, loadSamplesConfig } from './samples';
/**
 * The one reader of the environment. Everything is validated once, at start, and a bad
 * value stops the process with a message naming the variable.
 */
export interface DialectPorts {
  omnistack?: number;
  lustre?: number;
  novaIdentity?: number;
  novaCompute?: number;
  eco4cloud?: number;
  heketi?: number;
}

export interface Config {
  host: string;
  port: number;
  /** Unset: embedded PostgreSQL under dataDir. */
  databaseUrl?: string;
  /** Unset: jobs run in-process. */
  redisUrl?: string;
  /** Prefix of every Redis key, so several test runs or installations can share one Redis. */
  redisPrefix: string;
  dataDir: string;
  /** 'demo', 'empty', or a path to a fixture file. Loaded only into an empty database. */
  fixture: string;
  stepSeconds: number;
  tls?: { certFile?: string; keyFile?: string; generate: boolean };
  dialectPorts: DialectPorts;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  migrateOnBoot: boolean;
  workerConcurrency: number;
  /** PostgreSQL connections per process. */
  dbPoolMax: number;
  /** How long a worker's hold on a job lasts without renewal: a killed worker's job moves on after it. */
  workerLockMs: number;
  /** Longest request body accepted, in bytes. */
  bodyLimitBytes: number;
  adminToken?: string;
  /** Entries kept by the control plane's request journal (a per-process ring). */
  journalSize: number;
  /** Public base URL override, when the gateway sits behind a proxy. */
  publicUrl?: string;
  nova: NovaConfig;
  lustre: LustreConfig;
  omnistack: OmniStackConfig;
  heketi: HeketiConfig;
  eco4cloud: Eco4CloudConfig;
  /** Performance samples stored by workers (or the embedded gateway). */
  samples: SamplesConfig;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function int(env: Env, name: string, fallback: number | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function num(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name} must be a number of at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

function url(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')}`);
  return raw;
}

const port = (env: Env, name: string): number | undefined => int(env, name, undefined, 1, 65535);

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const certFile = env.ROSETTA_TLS_CERT || undefined;
  const keyFile = env.ROSETTA_TLS_KEY || undefined;
  if (Boolean(certFile) !== Boolean(keyFile)) throw new ConfigError('ROSETTA_TLS_CERT and ROSETTA_TLS_KEY must be set together');
  const tlsGenerate = bool(env, 'ROSETTA_TLS', false);
  return {
    host: env.HOST || '127.0.0.1',
    port: int(env, 'PORT', 8080, 0, 65535)!,
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    redisPrefix: env.ROSETTA_REDIS_PREFIX || 'rosetta',
    dataDir: env.ROSETTA_DATA_DIR || '.rosetta',
    fixture: env.ROSETTA_FIXTURE || 'demo',
    stepSeconds: num(env, 'ROSETTA_STEP_SECONDS', 1),
    tls: certFile || tlsGenerate ? { certFile, keyFile, generate: !certFile } : undefined,
    dialectPorts: {
      omnistack: port(env, 'ROSETTA_OMNISTACK_PORT'),
      lustre: port(env, 'ROSETTA_LUSTRE_PORT'),
      novaIdentity: port(env, 'ROSETTA_NOVA_IDENTITY_PORT'),
      novaCompute: port(env, 'ROSETTA_NOVA_COMPUTE_PORT'),
      eco4cloud: port(env, 'ROSETTA_ECO4CLOUD_PORT'),
      heketi: port(env, 'ROSETTA_HEKETI_PORT'),
    },
    logLevel,
    migrateOnBoot: bool(env, 'ROSETTA_MIGRATE', true),
    workerConcurrency: int(env, 'ROSETTA_WORKER_CONCURRENCY', 16, 1, 1000)!,
    dbPoolMax: int(env, 'ROSETTA_DB_POOL_MAX', 10, 1, 500)!,
    workerLockMs: int(env, 'ROSETTA_WORKER_LOCK_MS', 30_000, 1000)!,
    bodyLimitBytes: int(env, 'ROSETTA_BODY_LIMIT', 1024 * 1024, 1)!,
    adminToken: env.ROSETTA_ADMIN_TOKEN || undefined,
    journalSize: int(env, 'ROSETTA_JOURNAL_SIZE', 10_000, 1, 10_000_000)!,
    publicUrl: url(env, 'ROSETTA_PUBLIC_URL', ['http:', 'https:']),
    nova: loadNovaConfig(env),
    lustre: loadLustreConfig(env),
    omnistack: loadOmniStackConfig(env),
    heketi: loadHeketiConfig(env),
    eco4cloud: loadEco4CloudConfig(env),
    samples: loadSamplesConfig(env),
  };
}
