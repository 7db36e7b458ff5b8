import { ConfigError } from './config';

type Env = Record<string, string | undefined>;

/** The Heketi dialect's settings; defaults are Heketi's own (heketi.json sample and server defaults). */
export interface HeketiConfig {
  /** JWT on, as Heketi runs unless started with --disable-auth. */
  auth: boolean;
  /** Secrets: never logged. Defaults are the sample heketi.json's. */
  adminKey: string;
  userKey: string;
  /** How far in the future a token's iat may lie (HEKETI_JWT_IAT_LEEWAY_SECONDS). */
  iatLeewaySeconds: number;
  /** Operations in flight before new ones get 429 (max_inflight_operations). */
  maxInflightOperations: number;
  /** Size given to devices added through Heketi (HEKETI_MOCK_DEVICE_SIZE_GB). */
  deviceSizeGb: number;
  /** 'strict' keeps the bricks of a set in distinct zones (zone_checking). */
  zoneChecking: 'none' | 'strict';
  /** Admin state at start (default_state). */
  defaultState: 'normal' | 'read-only' | 'local-client';
  /** Comma-separated gluster options put before / after the client's (pre/post_request_volume_options). */
  preRequestVolumeOptions: string;
  postRequestVolumeOptions: string;
  /** Make a block-hosting volume when a block volume finds none with room (auto_create_block_hosting_volume). */
  autoCreateBlockHostingVolume: boolean;
  /** Size in GiB of those volumes (block_hosting_volume_size). */
  blockHostingVolumeSizeGb: number;
  /** File volumes a cluster may hold before it is no longer eligible (max_volumes_per_cluster); negative: no limit. */
  maxVolumesPerCluster: number;
}

function pick<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

function count(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer of at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(raw)}`);
}

export function loadHeketiConfig(env: Env): HeketiConfig {
  const config: HeketiConfig = {
    auth: flag(env, 'ROSETTA_HEKETI_AUTH', true),
    adminKey: env.ROSETTA_HEKETI_ADMIN_KEY ?? 'My Secret',
    userKey: env.ROSETTA_HEKETI_USER_KEY ?? 'My Secret',
    iatLeewaySeconds: count(env, 'ROSETTA_HEKETI_IAT_LEEWAY_SECONDS', 120, 0),
    maxInflightOperations: count(env, 'ROSETTA_HEKETI_MAX_INFLIGHT_OPERATIONS', 8, 1),
    deviceSizeGb: count(env, 'ROSETTA_HEKETI_DEVICE_SIZE_GB', 500, 1),
    zoneChecking: pick(env, 'ROSETTA_HEKETI_ZONE_CHECKING', ['none', 'strict'] as const, 'none'),
    defaultState: pick(env, 'ROSETTA_HEKETI_DEFAULT_STATE', ['normal', 'read-only', 'local-client'] as const, 'normal'),
    preRequestVolumeOptions: env.ROSETTA_HEKETI_PRE_REQUEST_VOLUME_OPTIONS ?? '',
    postRequestVolumeOptions: env.ROSETTA_HEKETI_POST_REQUEST_VOLUME_OPTIONS ?? '',
    autoCreateBlockHostingVolume: flag(env, 'ROSETTA_HEKETI_AUTO_CREATE_BLOCK_HOSTING_VOLUME', false),
    blockHostingVolumeSizeGb: count(env, 'ROSETTA_HEKETI_BLOCK_HOSTING_VOLUME_SIZE_GB', 1024, 1),
    // Heketi reads an unset (zero) max_volumes_per_cluster as its default.
    maxVolumesPerCluster: count(env, 'ROSETTA_HEKETI_MAX_VOLUMES_PER_CLUSTER', 1000, Number.MIN_SAFE_INTEGER) || 1000,
  };
  // Heketi refuses to start with auth on and a key missing.
  if (config.auth && (!config.adminKey || !config.userKey)) {
    throw new ConfigError('ROSETTA_HEKETI_ADMIN_KEY and ROSETTA_HEKETI_USER_KEY must be non-empty while ROSETTA_HEKETI_AUTH is on');
  }
  return config;
}
