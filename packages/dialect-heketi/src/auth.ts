import { createHash, createSecretKey } from 'crypto';
import { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { Clock, CoreError, Principal } from '@rosetta/core';
import { dialectAuth } from '@rosetta/http';
import { heketiError } from './errors';

export interface HeketiAuthSettings {
  adminKey: string;
  userKey: string;
  iatLeewaySeconds: number;
}

const HMAC = new Set(['HS256', 'HS384', 'HS512']);
/** How many verified tokens are remembered (oldest forgotten first). */
const VERIFIED_TOKENS = 4096;
const CLAIM_TYPES: Record<string, 'int64' | 'string'> = { iss: 'string', qsh: 'string', sub: 'string', iat: 'int64', exp: 'int64', nbf: 'int64' };

/** time.Duration.String() for whole seconds, as golang-jwt prints "expired by". */
export function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h${m}m${s}s`;
  if (m) return `${m}m${s}s`;
  return `${s}s`;
}

/** qsh as Heketi's clients compute it: sha256 of METHOD&path, the path decoded, the query left out. */
export function qsh(method: string, path: string): string {
  return createHash('sha256').update(`${method}&${path}`).digest('hex');
}

function decodedPath(req: Request): string {
  const raw = req.originalUrl.split('?')[0];
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const invalid = (message: string): CoreError => {
  let text = `Invalid JWT token: ${message}`;
  if (message === 'signature is invalid') text += ' (client and server secrets may not match)';
  else if (message.includes('used before issued')) text += ' (client and server clocks may differ)';
  return heketiError(401, text);
};

function decodeSegment(segment: string): unknown {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(segment)) {
    const at = segment.search(/[^A-Za-z0-9_=-]/);
    throw invalid(`illegal base64 data at input byte ${at < 0 ? segment.length : at}`);
  }
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalid('invalid character looking for beginning of value');
  }
}

/** golang-jwt decodes claims into typed Go fields: a float or a string where int64 belongs is an error. */
function checkClaimTypes(claims: Record<string, unknown>): void {
  for (const [field, type] of Object.entries(CLAIM_TYPES)) {
    const value = claims[field];
    if (value === undefined || value === null) continue;
    const ok = type === 'string' ? typeof value === 'string' : typeof value === 'number' && Number.isInteger(value);
    if (!ok) {
      const what = typeof value === 'number' ? `number ${value}` : typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? 'array' : typeof value;
      throw invalid(`json: cannot unmarshal ${what} into Go struct field HeketiJwtClaims.${field} of type ${type}`);
    }
  }
}

/** HeketiJwtClaims.Valid: exp required, iat with leeway, nbf optional; the last failing check speaks. */
function claimsProblem(claims: Record<string, unknown>, now: number, leeway: number): string | undefined {
  let problem: string | undefined;
  const exp = typeof claims.exp === 'number' ? claims.exp : 0;
  if (now > exp) problem = `Token is expired by ${goDuration(now - exp)}`;
  if (typeof claims.iat === 'number' && now < claims.iat - leeway) problem = 'Token used before issued';
  if (typeof claims.nbf === 'number' && now < claims.nbf) problem = 'token is not valid yet';
  return problem;
}

/** Heketi's JWT middleware (middleware/jwt.go) as a passport scheme. */
export function heketiAuth(settings: HeketiAuthSettings, clock: Clock) {
  // Key objects made once: given a string, jsonwebtoken first tries (and fails) to parse it as a
  // PEM public key on every request, which costs more than the HMAC itself.
  const keys = { admin: createSecretKey(Buffer.from(settings.adminKey)), user: createSecretKey(Buffer.from(settings.userKey)) };
  // Tokens whose signature and claim types already checked out: a client reusing a token (or
  // signing the same path within the same second) costs no decoding and no HMAC again. The time
  // claims and qsh depend on the clock and the request, so they are checked every time.
  const verified = new Map<string, { iss: 'admin' | 'user'; claims: Record<string, unknown> }>();
  const remember = (token: string, entry: { iss: 'admin' | 'user'; claims: Record<string, unknown> }) => {
    if (verified.size >= VERIFIED_TOKENS) verified.delete(verified.keys().next().value!);
    verified.set(token, entry);
  };
  const auth = dialectAuth('heketi', async (req): Promise<Principal | null> => {
    const header = req.headers.authorization;
    if (!header) return null;
    const fields = header.trim().split(/\s+/);
    if (fields.length !== 2 || fields[0].toLowerCase() !== 'bearer') {
      throw heketiError(400, 'Authorization header format must be Bearer {token}');
    }
    const token = fields[1];
    const known = verified.get(token);
    if (known) return admit(req, known.iss, known.claims, Math.floor(clock.now().getTime() / 1000));
    const parts = token.split('.');
    if (parts.length !== 3) throw invalid('token contains an invalid number of segments');
    const head = decodeSegment(parts[0]) as Record<string, unknown> | null;
    const claims = (decodeSegment(parts[1]) ?? {}) as Record<string, unknown>;
    if (typeof claims !== 'object' || Array.isArray(claims)) throw invalid('json: cannot unmarshal into Go value of type api.HeketiJwtClaims');
    checkClaimTypes(claims);
    const alg = String(head?.alg ?? '');
    if (!HMAC.has(alg)) throw invalid(`Unexpected signing method: ${alg}`);
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    if (!iss) throw invalid('Token missing iss claim');
    if (iss !== 'admin' && iss !== 'user') throw invalid('Unknown user');
    const now = Math.floor(clock.now().getTime() / 1000);
    const problem = claimsProblem(claims, now, settings.iatLeewaySeconds);
    try {
      // Signature only: Heketi's own claim rules (above) replace jsonwebtoken's.
      jwt.verify(token, keys[iss], {
        algorithms: [alg as jwt.Algorithm],
        ignoreExpiration: true,
        ignoreNotBefore: true,
        clockTimestamp: now,
      });
    } catch (err) {
      if (err instanceof jwt.JsonWebTokenError && /signature/.test(err.message)) throw invalid('signature is invalid');
      if (!problem) throw invalid(err instanceof Error ? err.message : 'token is invalid');
    }
    if (problem) throw invalid(problem);
    remember(token, { iss, claims });
    return admit(req, iss, claims, now);
  });

  /** The checks that depend on the moment and the request: time claims, then qsh. */
  function admit(req: Request, iss: 'admin' | 'user', claims: Record<string, unknown>, now: number): Principal {
    const problem = claimsProblem(claims, now, settings.iatLeewaySeconds);
    if (problem) throw invalid(problem);
    // Under a mount prefix the Go client signs the full path and the Python client the path after
    // its configured base URL; at Heketi's own root the two are the same path.
    const full = decodedPath(req);
    const local = req.baseUrl && full.startsWith(req.baseUrl) ? full.slice(req.baseUrl.length) : full;
    if (claims.qsh !== qsh(req.method, full) && claims.qsh !== qsh(req.method, local)) throw heketiError(401, 'Invalid qsh claim in token');
    return { name: iss, roles: [iss], readOnly: false };
  }

  /** App.Auth: the user key opens exactly /volumes, nothing else (not even the queue). */
  const adminOnly = (req: Request, _res: Response, next: NextFunction): void => {
    if (req.principal?.name === 'user' && req.path !== '/volumes') {
      return next(new CoreError('PERMISSION_DENIED', 'administrator access required', { reason: 'role' }));
    }
    next();
  };
  return [auth.require(), adminOnly];
}
