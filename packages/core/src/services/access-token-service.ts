import { randomUUID } from 'crypto';
import { CoreError } from '../errors';
import { AccessToken } from '../model/access-token';
import { Principal } from '../model/principal';
import { and, eq } from '../ports/query';
import { ServiceDeps } from './deps';

export interface IssueTokenInput {
  realm: string;
  subject: string;
  principal: Principal;
  idleSeconds: number;
  lifetimeSeconds: number;
  /** Hand back the subject's live token instead of a new one (Spring OAuth2 token reuse). */
  reuse?: boolean;
}

export interface AccessTokenService {
  issue(input: IssueTokenInput): Promise<AccessToken>;
  /**
   * Accepts a presented token and records the use. A dead token fails UNAUTHENTICATED with
   * reason 'token_idle' (unused for idleSeconds), 'token_expired' (past its lifetime) or
   * 'token_unknown'; details.id carries the presented token so a dialect can quote it.
   */
  use(realm: string, token: string): Promise<AccessToken>;
  /** Forgets a token; unknown tokens are ignored, as revoking twice is not an error. */
  revoke(realm: string, token: string): Promise<void>;
}

/** How stale a token's recorded last use may be (the write throttle of use()). */
export const LAST_USE_GRANULARITY_MS = 5000;

/**
 * How long (real time) a process trusts a token row it read: a token revoked or removed by
 * another process is refused here at most this much later. Only rows that are alive and need
 * no last-use write are trusted; anything else reads the database again.
 */
export const TOKEN_RECHECK_MS = 1000;
const TRUSTED_TOKENS_MAX = 10_000;

const dead = (reason: string, token: string): CoreError =>
  new CoreError('UNAUTHENTICATED', `access token ${reason.replace('token_', '')}`, { kind: 'access_token', id: token, reason });

/** Tokens are secrets: always random, even when the rest of the domain uses seeded ids. */
export function createAccessTokenService({ store, clock }: ServiceDeps): AccessTokenService {
  const repo = () => store.repos.accessTokens;
  const idleDeadline = (t: AccessToken): number => t.lastUsedAt.getTime() + t.idleSeconds * 1000;
  // Recently read rows (and reads in flight, so a burst of requests with one token reads it once).
  const trusted = new Map<string, { at: number; row: Promise<AccessToken | undefined> }>();
  const read = (token: string): Promise<AccessToken | undefined> => {
    const hit = trusted.get(token);
    if (hit && Date.now() - hit.at < TOKEN_RECHECK_MS) return hit.row;
    if (trusted.size >= TRUSTED_TOKENS_MAX) trusted.clear();
    const row = repo().get(token);
    trusted.set(token, { at: Date.now(), row });
    row.catch(() => trusted.delete(token));
    return row;
  };
  const remember = (t: AccessToken): AccessToken => {
    trusted.set(t.id, { at: Date.now(), row: Promise.resolve(t) });
    return t;
  };
  return {
    async issue({ realm, subject, principal, idleSeconds, lifetimeSeconds, reuse }) {
      const now = clock.now();
      // Logins sweep a few dead tokens, so clients that log in per request do not grow the table forever.
      const dead = await repo().list({
        filter: and(eq('realm', realm), { any: [{ field: 'expiresAt', op: 'lte', value: now }, { field: 'lastUsedAt', op: 'lte', value: new Date(now.getTime() - idleSeconds * 1000) }] }),
        limit: 20,
      });
      for (const t of dead) await repo().delete(t.id).catch(() => undefined);
      if (reuse) {
        const [live] = await repo().list({
          filter: and(eq('realm', realm), eq('subject', subject), { field: 'expiresAt', op: 'gt', value: now }),
          order: [{ field: 'seq', direction: 'desc' }],
          limit: 5,
        });
        if (live && idleDeadline(live) > now.getTime()) return repo().update(live.id, { lastUsedAt: now });
      }
      return repo().insert({
        id: randomUUID(),
        realm,
        subject,
        principal,
        idleSeconds,
        lastUsedAt: now,
        expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
      });
    },
    async use(realm, token) {
      const cached = await read(token);
      const at = clock.now().getTime();
      // A trusted row serves only while it is alive and its last use needs no write; otherwise read again.
      if (cached && cached.realm === realm && at < cached.expiresAt.getTime() && at < idleDeadline(cached) && at - cached.lastUsedAt.getTime() < LAST_USE_GRANULARITY_MS) {
        return cached;
      }
      trusted.delete(token);
      const found = await repo().get(token);
      if (!found || found.realm !== realm) throw dead('token_unknown', token);
      const now = clock.now().getTime();
      // The absolute lifetime wins over inactivity, as it is the harder limit.
      const reason = now >= found.expiresAt.getTime() ? 'token_expired' : now >= idleDeadline(found) ? 'token_idle' : undefined;
      if (reason) {
        await repo().delete(found.id).catch(() => undefined);
        throw dead(reason, token);
      }
      // Idle time is kept to LAST_USE_GRANULARITY_MS: a busy client writes its token at most that
      // often instead of on every call, so a token may lapse up to that much before a full idle period.
      if (now - found.lastUsedAt.getTime() < LAST_USE_GRANULARITY_MS) return remember(found);
      return remember(await repo().update(found.id, { lastUsedAt: new Date(now) }));
    },
    async revoke(realm, token) {
      trusted.delete(token);
      const found = await repo().get(token);
      if (found && found.realm === realm) await repo().delete(found.id).catch(() => undefined);
    },
  };
}
