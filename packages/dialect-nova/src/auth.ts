import { Request } from 'express';
import { Clock, CoreError, TokenRevocationService } from '@rosetta/core';
import { dialectAuth, DialectAuth } from '@rosetta/http';
import { Directory, KeystoneProject, KeystoneRole, KeystoneUser } from './identity-model';
import { TokenClaims, readToken } from './tokens';

/** Who a valid token speaks for, as Keystone would describe it. */
export interface KeystoneContext {
  token: string;
  claims: TokenClaims;
  user: KeystoneUser;
  project: KeystoneProject | null;
  /** 'project', 'domain', 'system' or 'unscoped' */
  scope: 'project' | 'domain' | 'system' | 'unscoped';
  roles: KeystoneRole[];
  isAdmin: boolean;
  expiresAt: Date;
  issuedAt: Date;
}

declare module 'express-serve-static-core' {
  interface Request {
    keystone?: KeystoneContext;
  }
}

const unauthenticated = (reason: string): CoreError => new CoreError('UNAUTHENTICATED', 'The request you have made requires authentication.', { reason });

/** The token's claims checked against the signature, the clock and the configured users. */
export function resolveToken(token: string, secret: string, directory: Directory, clock: Clock): KeystoneContext {
  const claims = readToken(secret, token);
  if (!claims) throw unauthenticated('token_unknown');
  if (claims.e <= clock.now().getTime()) throw unauthenticated('token_expired');
  const user = directory.userById(claims.u);
  if (!user) throw unauthenticated('token_unknown');
  let project: KeystoneProject | null = null;
  let scope: KeystoneContext['scope'] = 'unscoped';
  if (claims.s === 'system') scope = 'system';
  else if (claims.s?.startsWith('domain:')) scope = 'domain';
  else if (claims.s) {
    project = directory.projectById(claims.s) ?? null;
    if (!project || project.id !== user.project.id) throw unauthenticated('token_unknown');
    scope = 'project';
  }
  const roles = scope === 'unscoped' ? [] : user.roles;
  return {
    token,
    claims,
    user,
    project,
    scope,
    roles,
    isAdmin: roles.some((r) => r.name === 'admin'),
    expiresAt: new Date(claims.e),
    issuedAt: new Date(claims.i),
  };
}

/** The realm of Keystone token revocations; the key is the token's audit id. */
export const REVOCATION_REALM = 'keystone';

/** resolveToken, then refused if the token has been revoked (DELETE /v3/auth/tokens on any gateway). */
export async function liveToken(token: string, secret: string, directory: Directory, clock: Clock, revocations: TokenRevocationService): Promise<KeystoneContext> {
  const ctx = resolveToken(token, secret, directory, clock);
  if (await revocations.isRevoked(REVOCATION_REALM, ctx.claims.a)) throw unauthenticated('token_revoked');
  return ctx;
}

/** X-Auth-Token, checked as keystonemiddleware would before the request reaches Nova. */
export function keystoneTokenAuth(secret: string, directory: Directory, clock: Clock, revocations: TokenRevocationService): DialectAuth {
  return dialectAuth('keystone-token', async (req: Request) => {
    const token = req.header('x-auth-token');
    if (!token) return null;
    const ctx = await liveToken(token, secret, directory, clock, revocations);
    req.keystone = ctx;
    return { name: ctx.user.name, roles: ctx.roles.map((r) => r.name), readOnly: false };
  });
}
