import { createHash } from 'crypto';
import { ConfigError } from './config';

/**
 * The Lustre manager (IML). Defaults follow IML's own: anonymous reads allowed
 * (ALLOW_ANONYMOUS_READ = True), Django's two-week sessions, the three factory groups, and the
 * accounts its documentation and test clusters use (admin/lustre as superuser, and the API guide's
 * example client debug/password).
 */
export interface LustreUserConfig {
  username: string;
  password: string;
  /** superusers, filesystem_administrators or filesystem_users. */
  groups: string[];
  email?: string;
  firstName?: string;
  lastName?: string;
}

export interface LustreConfig {
  users: LustreUserConfig[];
  allowAnonymousRead: boolean;
  /** HMAC key for session cookies: the same in every gateway sharing a database, so sessions travel between them. */
  sessionSecret: string;
  sessionTtlSeconds: number;
}

type Env = Record<string, string | undefined>;

const GROUPS = ['superusers', 'filesystem_administrators', 'filesystem_users'];

function users(env: Env): LustreUserConfig[] {
  const raw = env.ROSETTA_LUSTRE_USERS;
  if (raw === undefined || raw === '') {
    return [
      { username: 'admin', password: env.ROSETTA_LUSTRE_PASSWORD || 'lustre', groups: ['superusers'], email: 'admin@localhost' },
      { username: 'debug', password: 'password', groups: ['superusers'] },
    ];
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError('ROSETTA_LUSTRE_USERS must be a JSON array');
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new ConfigError('ROSETTA_LUSTRE_USERS must be a non-empty JSON array');
  return parsed.map((item: Record<string, unknown>, i) => {
    const field = (key: string): string => {
      const v = item?.[key];
      if (typeof v !== 'string' || v === '') throw new ConfigError(`ROSETTA_LUSTRE_USERS[${i}].${key} must be a non-empty string`);
      return v;
    };
    const groups = item.groups ?? ['filesystem_users'];
    if (!Array.isArray(groups) || groups.some((g) => !GROUPS.includes(g as string))) {
      throw new ConfigError(`ROSETTA_LUSTRE_USERS[${i}].groups must list only ${GROUPS.join(', ')}`);
    }
    const optional = (key: string): string | undefined => (typeof item[key] === 'string' ? (item[key] as string) : undefined);
    return { username: field('username'), password: field('password'), groups: groups as string[], email: optional('email'), firstName: optional('firstName'), lastName: optional('lastName') };
  });
}

export function loadLustreConfig(env: Env): LustreConfig {
  const list = users(env);
  const rawAnon = env.ROSETTA_LUSTRE_ANONYMOUS_READ;
  let allowAnonymousRead = true;
  if (rawAnon !== undefined && rawAnon !== '') {
    if (/^(1|true|yes|on)$/i.test(rawAnon)) allowAnonymousRead = true;
    else if (/^(0|false|no|off)$/i.test(rawAnon)) allowAnonymousRead = false;
    else throw new ConfigError(`ROSETTA_LUSTRE_ANONYMOUS_READ must be true or false, got ${JSON.stringify(rawAnon)}`);
  }
  const ttlRaw = env.ROSETTA_LUSTRE_SESSION_SECONDS;
  const sessionTtlSeconds = ttlRaw ? Number(ttlRaw) : 1209600;
  if (!Number.isSafeInteger(sessionTtlSeconds) || sessionTtlSeconds < 1) throw new ConfigError('ROSETTA_LUSTRE_SESSION_SECONDS must be a positive integer (seconds)');
  // Without an explicit secret, one derived from the configuration is shared by every gateway
  // configured alike; anyone able to derive it already holds the passwords.
  const sessionSecret =
    env.ROSETTA_LUSTRE_SESSION_SECRET ||
    createHash('sha256').update(`rosetta-lustre-session\u0000${JSON.stringify(list)}\u0000${env.DATABASE_URL ?? ''}`).digest('hex');
  return { users: list, allowAnonymousRead, sessionSecret, sessionTtlSeconds };
}
