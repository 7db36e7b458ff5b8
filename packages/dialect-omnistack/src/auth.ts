import { timingSafeEqual } from 'crypto';
import { NextFunction, Request, RequestHandler, Response } from 'express';
import { CoreError, Principal, Services } from '@rosetta/core';
import { DialectAuth, dialectAuth } from '@rosetta/http';
import { OmniStackSettings, OmniStackUser } from './settings';

export const REALM = 'omnistack';
/** The OAuth client every HPE client presents: `simplivity` with an empty secret. */
const CLIENT_ID = 'simplivity';
const CLIENT_SECRET = '';

const bearer = (req: Request): string | undefined => {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
  return m?.[1];
};

export function omnistackAuth(services: Services): DialectAuth {
  return dialectAuth('omnistack-bearer', async (req) => {
    const token = bearer(req);
    if (!token) return null;
    return (await services.accessTokens.use(REALM, token)).principal;
  });
}

export function principalOf(user: OmniStackUser): Principal {
  return { name: user.name, roles: [user.role], readOnly: user.role !== 'admin' };
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** HTTP Basic client credentials, or undefined when absent or unreadable. */
export function basicClient(req: Request): { id: string; secret: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.header('authorization') ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export const isSimplivityClient = (client: { id: string; secret: string }): boolean => same(client.id, CLIENT_ID) && same(client.secret, CLIENT_SECRET);

/** Finds the user a grant names; every user is checked so timing does not tell which names exist. */
export function checkUser(settings: OmniStackSettings, name: string, password: string, grant: 'password' | 'emergency'): OmniStackUser | undefined {
  let found: OmniStackUser | undefined;
  for (const user of settings.users) {
    const ok = same(user.name, name) && same(user.password, password);
    if (ok && !found) found = user;
  }
  if (!found) return undefined;
  return (grant === 'emergency') === (found.role === 'emergency') ? found : undefined;
}

/**
 * What an emergency-grant token may do: read hosts, clusters, backups, datastores and VMs,
 * and restore a backup (HPE's "request authentication by emergency grant").
 */
const EMERGENCY_ALLOWED: [string, RegExp][] = [
  ['GET', /^(\/api)?\/(hosts|omnistack_clusters|backups|datastores|virtual_machines)(\/[^/]+)?\/?$/],
  ['POST', /^(\/api)?\/backups\/[^/]+\/restore\/?$/],
  ['GET', /^(\/api)?\/tasks\/[^/]+\/?$/],
];

/** POSTs that change nothing (impact reports, a credentials check): read-only users may make them. */
const READ_ONLY_POSTS: RegExp[] = [
  /^(\/api)?\/policies\/[^/]+\/impact_report\/(create_rules|edit_rules)\/?$/,
  /^(\/api)?\/policies\/[^/]+\/rules\/[^/]+\/impact_report\/delete_rule\/?$/,
  /^(\/api)?\/virtual_machines\/policy_impact_report\/apply_policy\/?$/,
  /^(\/api)?\/virtual_machines\/[^/]+\/validate_backup_credentials\/?$/,
];

export function privileges(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const principal = req.principal;
    if (!principal) return next();
    if (principal.roles.includes('emergency')) {
      if (EMERGENCY_ALLOWED.some(([method, re]) => method === req.method && re.test(req.path))) return next();
      return next(new CoreError('PERMISSION_DENIED', `${principal.name} holds an emergency token`, { reason: 'emergency_token' }));
    }
    const reads = req.method === 'GET' || req.method === 'HEAD' || (req.method === 'POST' && READ_ONLY_POSTS.some((re) => re.test(req.path)));
    if (!reads && principal.readOnly) {
      return next(new CoreError('PERMISSION_DENIED', `${principal.name} may not modify`, { reason: 'read_only' }));
    }
    next();
  };
}
