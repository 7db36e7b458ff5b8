import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

/**
 * Self-validating tokens: the claims, then an HMAC-SHA256 over them with the configured secret.
 * Every gateway with the same secret accepts them, nothing is stored, and expiry is checked
 * against the domain clock by the caller. Claims use short keys to keep the header small.
 */
export interface TokenClaims {
  /** user id */
  u: string;
  /** scope: project id, 'domain:<id>', 'system', or absent (unscoped) */
  s?: string;
  /** issued at, ms */
  i: number;
  /** expires at, ms */
  e: number;
  /** audit id */
  a: string;
}

const b64 = (buf: Buffer): string => buf.toString('base64url');

export function signToken(secret: string, claims: Omit<TokenClaims, 'a'>): { token: string; claims: TokenClaims } {
  const full: TokenClaims = { ...claims, a: b64(randomBytes(16)).slice(0, 22) };
  const payload = b64(Buffer.from(JSON.stringify(full)));
  const mac = b64(createHmac('sha256', secret).update(payload).digest());
  return { token: `${payload}.${mac}`, claims: full };
}

/** Claims of an authentic token, or undefined; expiry is the caller's business (it owns the clock). */
export function readToken(secret: string, token: string): TokenClaims | undefined {
  if (token.length > 2048) return undefined;
  const dot = token.indexOf('.');
  if (dot < 1) return undefined;
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = createHmac('sha256', secret).update(payload).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    if (typeof claims.u !== 'string' || typeof claims.e !== 'number' || typeof claims.i !== 'number') return undefined;
    return claims;
  } catch {
    return undefined;
  }
}
