import { createHmac, randomBytes, timingSafeEqual } from 'crypto';
import { Request, Response } from 'express';
import { Clock, Principal } from '@rosetta/core';
import { dialectAuth, DialectAuth } from '@rosetta/http';

export interface LustreUser {
  username: string;
  password: string;
  /** Factory group names: superusers, filesystem_administrators, filesystem_users. */
  groups: string[];
  email?: string;
  firstName?: string;
  lastName?: string;
}

export interface LustreSettings {
  users: LustreUser[];
  /** IML's ALLOW_ANONYMOUS_READ (true by default). */
  allowAnonymousRead: boolean;
  /** Signs session cookies, so every gateway sharing it accepts every other's sessions. */
  sessionSecret: string;
  sessionTtlSeconds: number;
}

export const GROUPS = ['superusers', 'filesystem_administrators', 'filesystem_users'] as const;
const WRITER_GROUPS = new Set(['superusers', 'filesystem_administrators']);

/** Cookie header -> every value of every name: clients send duplicates and all of them count. */
export function parseCookies(header: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (!name) continue;
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomString = (length: number, alphabet: string): string =>
  Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');

export const newCsrfToken = (): string => randomString(32, ALNUM);
export const isCsrfToken = (value: string): boolean => /^[A-Za-z0-9]{32}$/.test(value);

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export interface Sessions {
  /** A fresh session key, anonymous or for a user, valid for the configured time. */
  issue(username: string | null): string;
  /** The user a request's session belongs to, or null (anonymous, expired, forged or unknown). */
  user(req: Request): LustreUser | null;
  csrfTokens(req: Request): string[];
  /** IML's CsrfAuthentication: on POST, X-CSRFToken must equal the csrftoken cookie. */
  csrfOk(req: Request): boolean;
  setCookies(res: Response, sessionId: string, csrf: string): void;
  findUser(username: string, password: string): LustreUser | null;
  auth: DialectAuth;
}

export function principalOf(user: LustreUser): Principal {
  return { name: user.username, roles: user.groups, readOnly: !user.groups.some((g) => WRITER_GROUPS.has(g)) };
}

/**
 * Sessions are signed cookies (payload.signature with an HMAC of the configured secret), so any
 * gateway on the same database and secret accepts them; expiry reads the domain clock.
 */
export function createSessions(settings: LustreSettings, clock: Clock): Sessions {
  const sign = (payload: string): string => createHmac('sha256', settings.sessionSecret).update(payload).digest('base64url').slice(0, 32);
  const byName = new Map(settings.users.map((u) => [u.username, u]));
  const sessions: Sessions = {
    issue(username) {
      const expires = Math.floor(clock.now().getTime() / 1000) + settings.sessionTtlSeconds;
      const payload = Buffer.from(JSON.stringify({ u: username, e: expires, n: randomString(8, ALNUM) })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    user(req) {
      for (const value of parseCookies(req.headers.cookie).get('sessionid') ?? []) {
        const [payload, signature] = value.split('.');
        if (!payload || !signature || !safeEqual(sign(payload), signature)) continue;
        try {
          const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown };
          if (typeof data.e !== 'number' || data.e * 1000 <= clock.now().getTime()) continue;
          if (typeof data.u === 'string' && byName.has(data.u)) return byName.get(data.u)!;
        } catch {
          continue;
        }
      }
      return null;
    },
    csrfTokens: (req) => parseCookies(req.headers.cookie).get('csrftoken') ?? [],
    csrfOk(req) {
      const header = req.header('x-csrftoken');
      return Boolean(header) && sessions.csrfTokens(req).some((c) => safeEqual(c, header!));
    },
    setCookies(res, sessionId, csrf) {
      const now = clock.now().getTime();
      const expires = (seconds: number): string => new Date(now + seconds * 1000).toUTCString().replace(/ (\d{4}) /, '-$1 ').replace(/, (\d\d) (\w{3})-/, ', $1-$2-');
      res.append('Set-Cookie', `csrftoken=${csrf}; expires=${expires(31449600)}; Max-Age=31449600; Path=/`);
      res.append('Set-Cookie', `sessionid=${sessionId}; expires=${expires(settings.sessionTtlSeconds)}; Max-Age=${settings.sessionTtlSeconds}; Path=/`);
    },
    findUser(username, password) {
      const user = byName.get(username);
      return user && safeEqual(user.password, password) ? user : null;
    },
    auth: dialectAuth('lustre-session', async (req) => {
      const user = sessions.user(req);
      return user ? principalOf(user) : null;
    }),
  };
  return sessions;
}
