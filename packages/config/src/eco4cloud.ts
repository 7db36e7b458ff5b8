import { createHash } from 'crypto';
import { ConfigError } from './config';

type Env = Record<string, string | undefined>;

export interface Eco4CloudUserConfig {
  name: string;
  /** A secret: never logged. */
  password: string;
  /** May read (get) but not change settings (set). */
  readOnly: boolean;
}

/** The Eco4Cloud dialect's settings. */
export interface Eco4CloudConfig {
  users: Eco4CloudUserConfig[];
  /** How long a login ticket is accepted, on the domain clock (the appliance: 60 minutes). */
  ticketMinutes: number;
  /**
   * Key that signs tickets, so every gateway sharing the configuration accepts every other's
   * tickets. Unset: derived from the users' credentials, which such gateways share anyway.
   */
  ticketSecret: string;
}

/** ROSETTA_ECO4CLOUD_USERS: comma-separated `name:password` or `name:password:ro`. */
function parseUsers(raw: string): Eco4CloudUserConfig[] {
  const users = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const first = entry.indexOf(':');
      if (first <= 0) throw new ConfigError(`ROSETTA_ECO4CLOUD_USERS entries must be name:password[:ro], got ${JSON.stringify(entry.split(':')[0])}`);
      let rest = entry.slice(first + 1);
      let readOnly = false;
      if (rest.endsWith(':ro')) {
        readOnly = true;
        rest = rest.slice(0, -3);
      }
      if (!rest) throw new ConfigError(`ROSETTA_ECO4CLOUD_USERS: user ${entry.slice(0, first)} has an empty password`);
      return { name: entry.slice(0, first), password: rest, readOnly };
    });
  if (!users.length) throw new ConfigError('ROSETTA_ECO4CLOUD_USERS must name at least one user');
  return users;
}

export function loadEco4CloudConfig(env: Env): Eco4CloudConfig {
  const users = parseUsers(env.ROSETTA_ECO4CLOUD_USERS || 'admin:admin');
  const rawMinutes = env.ROSETTA_ECO4CLOUD_TICKET_MINUTES;
  const ticketMinutes = rawMinutes === undefined || rawMinutes === '' ? 60 : Number(rawMinutes);
  if (!Number.isInteger(ticketMinutes) || ticketMinutes < 1) {
    throw new ConfigError(`ROSETTA_ECO4CLOUD_TICKET_MINUTES must be a positive integer, got ${JSON.stringify(rawMinutes)}`);
  }
  const ticketSecret =
    env.ROSETTA_ECO4CLOUD_TICKET_SECRET ||
    createHash('sha256')
      .update(`rosetta-eco4cloud-ticket:${users.map((u) => `${u.name}:${u.password}`).join(',')}`)
      .digest('hex');
  return { users, ticketMinutes, ticketSecret };
}
