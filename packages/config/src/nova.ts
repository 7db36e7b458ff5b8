import { createHash } from 'crypto';
import { ConfigError } from './config';

/**
 * Nova and its Keystone subset. Defaults follow DevStack, the documented reference install:
 * users admin and demo (password "secret"), projects of the same names in the Default domain,
 * region RegionOne, one-hour tokens, the m1.* flavors and one CirrOS image.
 */
export interface NovaUserConfig {
  name: string;
  password: string;
  /** Project the user is a member of (the default scope). */
  project: string;
  roles: string[];
}

export interface NovaFlavorConfig {
  id: string;
  name: string;
  vcpus: number;
  ramMb: number;
  diskGb: number;
}

export interface NovaImageConfig {
  id: string;
  name: string;
  sizeBytes: number;
  minDiskGb: number;
  minRamMb: number;
}

export interface NovaConfig {
  users: NovaUserConfig[];
  region: string;
  tokenTtlSeconds: number;
  /** HMAC key for tokens: the same in every gateway sharing a database, so tokens travel between them. */
  tokenSecret: string;
  flavors: NovaFlavorConfig[];
  images: NovaImageConfig[];
}

type Env = Record<string, string | undefined>;

const DEFAULT_FLAVORS: NovaFlavorConfig[] = [
  { id: '1', name: 'm1.tiny', vcpus: 1, ramMb: 512, diskGb: 1 },
  { id: '2', name: 'm1.small', vcpus: 1, ramMb: 2048, diskGb: 20 },
  { id: '3', name: 'm1.medium', vcpus: 2, ramMb: 4096, diskGb: 40 },
  { id: '4', name: 'm1.large', vcpus: 4, ramMb: 8192, diskGb: 80 },
  { id: '5', name: 'm1.xlarge', vcpus: 8, ramMb: 16384, diskGb: 160 },
  { id: '42', name: 'm1.nano', vcpus: 1, ramMb: 128, diskGb: 1 },
  { id: '84', name: 'm1.micro', vcpus: 1, ramMb: 192, diskGb: 1 },
];

const DEFAULT_IMAGES: NovaImageConfig[] = [
  { id: '3a1f6e3c-5b0e-4f6a-9a53-1d2c6f0e8b21', name: 'cirros-0.6.2-x86_64-disk', sizeBytes: 21430272, minDiskGb: 0, minRamMb: 0 },
];

function jsonList<T>(env: Env, name: string, fallback: T[], check: (item: Record<string, unknown>, i: number) => T): T[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be a JSON array`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError(`${name} must be a non-empty JSON array`);
  return parsed.map((item, i) => {
    if (!item || typeof item !== 'object') throw new ConfigError(`${name}[${i}] must be an object`);
    return check(item as Record<string, unknown>, i);
  });
}

const str = (name: string, item: Record<string, unknown>, key: string, i: number): string => {
  const v = item[key];
  if (typeof v !== 'string' || v === '') throw new ConfigError(`${name}[${i}].${key} must be a non-empty string`);
  return v;
};

const int = (name: string, item: Record<string, unknown>, key: string, i: number, fallback?: number): number => {
  const v = item[key] ?? fallback;
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new ConfigError(`${name}[${i}].${key} must be a non-negative integer`);
  return v as number;
};

export function loadNovaConfig(env: Env): NovaConfig {
  const password = env.ROSETTA_NOVA_PASSWORD || 'secret';
  const users = jsonList<NovaUserConfig>(
    env,
    'ROSETTA_NOVA_USERS',
    [
      { name: 'admin', password, project: 'admin', roles: ['admin', 'member', 'reader'] },
      { name: 'demo', password, project: 'demo', roles: ['member', 'reader'] },
    ],
    (u, i) => {
      const roles = u.roles ?? ['member'];
      if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string' || r === '')) {
        throw new ConfigError(`ROSETTA_NOVA_USERS[${i}].roles must be an array of role names`);
      }
      return {
        name: str('ROSETTA_NOVA_USERS', u, 'name', i),
        password: str('ROSETTA_NOVA_USERS', u, 'password', i),
        project: str('ROSETTA_NOVA_USERS', u, 'project', i),
        roles: roles as string[],
      };
    },
  );
  const flavors = jsonList<NovaFlavorConfig>(env, 'ROSETTA_NOVA_FLAVORS', DEFAULT_FLAVORS, (f, i) => ({
    id: String(f.id ?? ''),
    name: str('ROSETTA_NOVA_FLAVORS', f, 'name', i),
    vcpus: int('ROSETTA_NOVA_FLAVORS', f, 'vcpus', i),
    ramMb: int('ROSETTA_NOVA_FLAVORS', f, 'ramMb', i),
    diskGb: int('ROSETTA_NOVA_FLAVORS', f, 'diskGb', i),
  }));
  if (flavors.some((f) => f.id === '')) throw new ConfigError('ROSETTA_NOVA_FLAVORS: every flavor needs an id');
  const images = jsonList<NovaImageConfig>(env, 'ROSETTA_NOVA_IMAGES', DEFAULT_IMAGES, (m, i) => ({
    id: str('ROSETTA_NOVA_IMAGES', m, 'id', i),
    name: str('ROSETTA_NOVA_IMAGES', m, 'name', i),
    sizeBytes: int('ROSETTA_NOVA_IMAGES', m, 'sizeBytes', i, 0),
    minDiskGb: int('ROSETTA_NOVA_IMAGES', m, 'minDiskGb', i, 0),
    minRamMb: int('ROSETTA_NOVA_IMAGES', m, 'minRamMb', i, 0),
  }));
  const ttlRaw = env.ROSETTA_NOVA_TOKEN_TTL;
  const tokenTtlSeconds = ttlRaw ? Number(ttlRaw) : 3600;
  if (!Number.isSafeInteger(tokenTtlSeconds) || tokenTtlSeconds < 1) throw new ConfigError('ROSETTA_NOVA_TOKEN_TTL must be a positive integer (seconds)');
  // Without an explicit secret, one derived from the credentials is shared by every gateway with
  // the same configuration; anyone able to derive it already holds the passwords.
  const tokenSecret =
    env.ROSETTA_NOVA_TOKEN_SECRET ||
    createHash('sha256').update(`rosetta-nova-token\u0000${JSON.stringify(users)}\u0000${env.DATABASE_URL ?? ''}`).digest('hex');
  return { users, region: env.ROSETTA_NOVA_REGION || 'RegionOne', tokenTtlSeconds, tokenSecret, flavors, images };
}
