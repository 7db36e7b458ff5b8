import { createHmac, randomBytes, scrypt, scryptSync, timingSafeEqual } from 'crypto';
import { Request, Response } from 'express';
import { Clock, LustreAccount, LustreAdminService, NewLustreAccount, Principal } from '@rosetta/core';
import { dialectAuth, DialectAuth } from '@rosetta/http';

/** A configured account: written into the manager's (empty) user table, then managed through /api/user/. */
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

/**
 * Password hashes as `scrypt$N$salt$hash` (base64url): what a Django install keeps as pbkdf2, a
 * salted slow hash; the plain password is never stored, returned or logged.
 */
const SCRYPT_N = 16384;
export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('base64url');
  return `scrypt$${SCRYPT_N}$${salt}$${scryptSync(password, salt, 32, { N: SCRYPT_N }).toString('base64url')}`;
}

export async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(16).toString('base64url');
  const key = await new Promise<Buffer>((resolve, reject) => scrypt(password, salt, 32, { N: SCRYPT_N }, (err, k) => (err ? reject(err) : resolve(k))));
  return `scrypt$${SCRYPT_N}$${salt}$${key.toString('base64url')}`;
}

export async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, 32, { N: Number(n), maxmem: 64 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
  const expected = Buffer.from(hash, 'base64url');
  return expected.length === derived.length && timingSafeEqual(expected, derived);
}

export interface Sessions {
  /** A fresh session key, anonymous or for a user, valid for the configured time. */
  issue(username: string | null): string;
  /** The account a request's session belongs to, or null (anonymous, expired, forged or deleted). */
  user(req: Request): Promise<LustreAccount | null>;
  csrfTokens(req: Request): string[];
  /** IML's CsrfAuthentication: on POST, X-CSRFToken must equal the csrftoken cookie. */
  csrfOk(req: Request): boolean;
  setCookies(res: Response, sessionId: string, csrf: string): void;
  /** The configured accounts, hashed, for seeding an empty account table. */
  seed(): NewLustreAccount[];
  findUser(username: string, password: string): Promise<LustreAccount | null>;
  auth: DialectAuth;
}

export function principalOf(user: { username: string; groups: string[] }): Principal {
  return { name: user.username, roles: user.groups, readOnly: !user.groups.some((g) => WRITER_GROUPS.has(g)) };
}

/**
 * Sessions are signed cookies (payload.signature with an HMAC of the configured secret), so any
 * gateway on the same database and secret accepts them; expiry reads the domain clock.
 */
export function createSessions(settings: LustreSettings, clock: Clock, accounts: LustreAdminService['users']): Sessions {
  const sign = (payload: string): string => createHmac('sha256', settings.sessionSecret).update(payload).digest('base64url').slice(0, 32);
  let seed: NewLustreAccount[] | undefined;
  // Hashed once per process, only when an empty table needs them.
  const seedAccounts = (): NewLustreAccount[] =>
    (seed ??= settings.users.map((u) => ({
      username: u.username,
      passwordHash: hashPassword(u.password),
      groups: u.groups,
      email: u.email ?? '',
      firstName: u.firstName ?? '',
      lastName: u.lastName ?? '',
    })));
  const perRequest = new WeakMap<Request, Promise<LustreAccount | null>>();
  async function lookup(req: Request): Promise<LustreAccount | null> {
    for (const value of parseCookies(req.headers.cookie).get('sessionid') ?? []) {
      const [payload, signature] = value.split('.');
      if (!payload || !signature || !safeEqual(sign(payload), signature)) continue;
      let data: { u?: unknown; e?: unknown };
      try {
        data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { u?: unknown; e?: unknown };
      } catch {
        continue;
      }
      if (typeof data.e !== 'number' || data.e * 1000 <= clock.now().getTime() || typeof data.u !== 'string') continue;
      // A deleted account's sessions end with it, as Django's do.
      const account = await accounts.findByName(data.u, seedAccounts);
      if (account) return account;
    }
    return null;
  }
  const sessions: Sessions = {
    issue(username) {
      const expires = Math.floor(clock.now().getTime() / 1000) + settings.sessionTtlSeconds;
      const payload = Buffer.from(JSON.stringify({ u: username, e: expires, n: randomString(8, ALNUM) })).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    user(req) {
      // Identification (passport) and dispatch both ask; one lookup per request.
      let found = perRequest.get(req);
      if (!found) perRequest.set(req, (found = lookup(req)));
      return found;
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
    async findUser(username, password) {
      const account = await accounts.findByName(username, seedAccounts);
      return account && (await passwordMatches(password, account.passwordHash)) ? account : null;
    },
    seed: seedAccounts,
    auth: dialectAuth('lustre-session', async (req) => {
      const user = await sessions.user(req);
      return user ? principalOf(user) : null;
    }),
  };
  return sessions;
}
