import { ConfigError } from './config';

/**
 * OmniStack (HPE SimpliVity) REST API settings. Users stand for the hypervisor management
 * system's accounts the appliance authenticates against; privileges follow them ("read-only
 * users can GET but not POST/PUT/DELETE"). Token expiry defaults are HPE's documented ones:
 * 10 minutes idle, 24 hours absolute.
 *
 * ROSETTA_OMNISTACK_USERS: comma-separated `name:password[:role]`, role `admin` (default),
 * `readonly` or `emergency` (the local svtcli account of grant_type=emergency).
 */
export interface OmniStackUserConfig {
  name: string;
  password: string;
  role: 'admin' | 'readonly' | 'emergency';
}

export interface OmniStackConfig {
  users: OmniStackUserConfig[];
  tokenIdleSeconds: number;
  tokenLifetimeSeconds: number;
  /** Enforce each operation's minimum vnd.simplivity version with 415 (the real clients break under it). */
  strictMediaTypes: boolean;
  /** What GET /api/version reports. */
  restApiVersion: string;
  svtfsVersion: string;
  /**
   * ROSETTA_OMNISTACK_PORT speaks HTTPS (HPE's Python SDK knows nothing else), with the configured
   * or generated certificate, even when ROSETTA_TLS is off; ROSETTA_OMNISTACK_HTTPS=false makes it
   * plain HTTP (the Go SDK accepts an http:// address).
   */
  ownPortHttps: boolean;
}

type Env = Record<string, string | undefined>;

const DEFAULT_USERS = 'administrator@vsphere.local:svtpassword:admin,readonly@vsphere.local:svtpassword:readonly,svtcli:svtpassword:emergency';
const ROLES = ['admin', 'readonly', 'emergency'] as const;

function parseUsers(raw: string): OmniStackUserConfig[] {
  const users = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const first = entry.indexOf(':');
      if (first <= 0) throw new ConfigError(`ROSETTA_OMNISTACK_USERS: ${JSON.stringify(entry.split(':')[0])} needs name:password[:role]`);
      const name = entry.slice(0, first);
      const rest = entry.slice(first + 1);
      const last = rest.lastIndexOf(':');
      const maybeRole = last >= 0 ? rest.slice(last + 1) : '';
      const role = (ROLES as readonly string[]).includes(maybeRole) ? (maybeRole as OmniStackUserConfig['role']) : 'admin';
      const password = role === 'admin' && maybeRole !== 'admin' ? rest : rest.slice(0, last);
      return { name, password, role };
    });
  if (users.length === 0) throw new ConfigError('ROSETTA_OMNISTACK_USERS names no user');
  return users;
}

function seconds(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${name} must be a positive whole number of seconds, got ${JSON.stringify(raw)}`);
  return n;
}

export function loadOmniStackConfig(env: Env): OmniStackConfig {
  const strict = env.ROSETTA_OMNISTACK_STRICT_MEDIA_TYPES;
  if (strict && !/^(1|true|yes|on|0|false|no|off)$/i.test(strict)) throw new ConfigError('ROSETTA_OMNISTACK_STRICT_MEDIA_TYPES must be true or false');
  const https = env.ROSETTA_OMNISTACK_HTTPS;
  if (https && !/^(1|true|yes|on|0|false|no|off)$/i.test(https)) throw new ConfigError('ROSETTA_OMNISTACK_HTTPS must be true or false');
  return {
    users: parseUsers(env.ROSETTA_OMNISTACK_USERS || DEFAULT_USERS),
    tokenIdleSeconds: seconds(env, 'ROSETTA_OMNISTACK_TOKEN_IDLE_SECONDS', 600),
    tokenLifetimeSeconds: seconds(env, 'ROSETTA_OMNISTACK_TOKEN_LIFETIME_SECONDS', 86_400),
    strictMediaTypes: /^(1|true|yes|on)$/i.test(strict ?? ''),
    restApiVersion: env.ROSETTA_OMNISTACK_REST_VERSION || '1.25',
    svtfsVersion: env.ROSETTA_OMNISTACK_SVTFS_VERSION || '5.3.1.132',
    ownPortHttps: !/^(0|false|no|off)$/i.test(https ?? ''),
  };
}
