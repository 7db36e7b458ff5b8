import { createHash, timingSafeEqual } from 'crypto';
import { Request, Router } from 'express';
import { CoreError, Services } from '@rosetta/core';
import { KeystoneContext, REVOCATION_REALM, liveToken, resolveToken } from '../auth';
import { DEFAULT_DOMAIN, Directory, KeystoneUser } from '../identity-model';
import { CatalogUrls, identityVersion, tokenBody } from '../render';
import { NovaSettings } from '../settings';
import { signToken } from '../tokens';
import { selfBase, siblingBase } from '../urls';

const MALFORMED =
  'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

const expecting = (attribute: string, target: string): CoreError =>
  new CoreError('VALIDATION', `Expecting to find ${attribute} in ${target}. ${MALFORMED}`, { reason: 'nova' });

const denied = (): CoreError => new CoreError('UNAUTHENTICATED', 'The request you have made requires authentication.', { reason: 'bad_credentials' });

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The Default domain is the only one: given by id or by name. */
function inDefaultDomain(domain: unknown): boolean {
  if (domain === undefined) return true;
  if (!isObj(domain)) return false;
  if (domain.id !== undefined) return domain.id === DEFAULT_DOMAIN.id;
  return domain.name === DEFAULT_DOMAIN.name;
}

interface Scope {
  claim?: string;
}

function passwordUser(identity: Obj, directory: Directory): KeystoneUser {
  const password = identity.password;
  if (!isObj(password)) throw expecting('password', 'identity');
  const user = password.user;
  if (!isObj(user)) throw expecting('user', 'password');
  const secret = str(user.password);
  if (secret === undefined) throw denied();
  let found: KeystoneUser | undefined;
  if (user.id !== undefined) found = directory.userById(String(user.id));
  else if (user.name !== undefined) {
    if (!isObj(user.domain)) throw expecting('domain', 'user');
    if (inDefaultDomain(user.domain)) found = directory.userByName(String(user.name));
  } else throw expecting('id or name', 'user');
  if (!found || !constantTimeEqual(found.password, secret)) throw denied();
  return found;
}

/** Compares digests so the time taken says nothing about the password. */
function constantTimeEqual(a: string, b: string): boolean {
  const digest = (v: string): Buffer => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function scopeOf(body: Obj, user: KeystoneUser, directory: Directory): Scope {
  const scope = body.scope;
  if (scope === undefined || scope === 'unscoped') return {};
  if (!isObj(scope)) throw expecting('project, domain or system', 'scope');
  if (isObj(scope.project)) {
    const p = scope.project;
    const project = p.id !== undefined ? directory.projectById(String(p.id)) : inDefaultDomain(p.domain) && p.name !== undefined ? directory.projectByName(String(p.name)) : undefined;
    if (p.id === undefined && !isObj(p.domain)) throw expecting('domain', 'project');
    if (!project || project.id !== user.project.id) throw denied();
    return { claim: project.id };
  }
  if (isObj(scope.domain)) {
    if (!inDefaultDomain(scope.domain)) throw denied();
    return { claim: `domain:${DEFAULT_DOMAIN.id}` };
  }
  if (isObj(scope.system)) return { claim: 'system' };
  throw expecting('project, domain or system', 'scope');
}

/** Keystone v3, the part clients use to log in: discovery, password (and token) auth, validation. */
export function identityRoutes(router: Router, deps: { services: Services; settings: NovaSettings; directory: Directory }): void {
  const { services, settings, directory } = deps;
  const live = (token: string): Promise<KeystoneContext> => liveToken(token, settings.tokenSecret, directory, services.clock, services.revocations);
  const urls = (req: Request): CatalogUrls => {
    const compute = siblingBase(req, settings, 'compute');
    return { identity: `${selfBase(req)}/v3`, compute: `${compute}/v2.1`, image: `${compute}/image`, network: `${compute}/network` };
  };

  router.get('/', (req, res) => {
    res.status(300).json({ versions: { values: [identityVersion(selfBase(req))] } });
  });

  router.get(['/v3', '/v3/'], (req, res) => {
    res.json({ version: identityVersion(selfBase(req)) });
  });

  router.post('/v3/auth/tokens', async (req, res) => {
    const body = req.body as unknown;
    if (!isObj(body) || !isObj(body.auth)) throw expecting('auth', 'request body');
    const auth = body.auth;
    if (!isObj(auth.identity)) throw expecting('identity', 'auth');
    const methods = auth.identity.methods;
    if (!Array.isArray(methods) || methods.length === 0 || methods.some((m) => typeof m !== 'string')) throw expecting('methods', 'identity');
    let user: KeystoneUser;
    let previous: KeystoneContext | undefined;
    if (methods.includes('password')) user = passwordUser(auth.identity, directory);
    else if (methods.includes('token')) {
      const t = auth.identity.token;
      if (!isObj(t) || typeof t.id !== 'string') throw expecting('id', 'token');
      previous = await live(t.id);
      user = previous.user;
    } else throw denied();
    const scope = scopeOf(auth, user, directory);
    const now = services.clock.now().getTime();
    // A token got from a token never outlives the one it came from.
    const expires = previous ? Math.min(previous.claims.e, now + settings.tokenTtlSeconds * 1000) : now + settings.tokenTtlSeconds * 1000;
    const { token } = signToken(settings.tokenSecret, { u: user.id, s: scope.claim, i: now, e: expires });
    const ctx = resolveToken(token, settings.tokenSecret, directory, services.clock);
    const noCatalog = String(req.query.nocatalog ?? 'false') !== 'false' && req.query.nocatalog !== undefined;
    res.status(201).setHeader('X-Subject-Token', token);
    res.json(tokenBody(ctx, methods as string[], noCatalog ? null : urls(req), settings));
  });

  const validate = async (req: Request): Promise<{ caller: KeystoneContext; subject: KeystoneContext }> => {
    const auth = req.header('x-auth-token');
    if (!auth) throw denied();
    const caller = await live(auth);
    const subject = req.header('x-subject-token');
    if (!subject) throw new CoreError('NOT_FOUND', 'Could not find token: None.', { reason: 'nova' });
    try {
      return { caller, subject: await live(subject) };
    } catch {
      throw new CoreError('NOT_FOUND', `Could not find token: ${subject.slice(0, 16)}.`, { reason: 'nova' });
    }
  };

  router.get('/v3/auth/tokens', async (req, res) => {
    const ctx = (await validate(req)).subject;
    res.setHeader('X-Subject-Token', ctx.token);
    res.json(tokenBody(ctx, ['password'], req.query.nocatalog !== undefined ? null : urls(req), settings));
  });

  router.head('/v3/auth/tokens', async (req, res) => {
    const ctx = (await validate(req)).subject;
    res.setHeader('X-Subject-Token', ctx.token);
    res.status(200).end();
  });

  // identity:revoke_token is admin_required or token_subject: the owner or an admin revokes. Tokens got
  // from the revoked one (token method) carry their own audit id and stay valid.
  router.delete('/v3/auth/tokens', async (req, res) => {
    const { caller, subject } = await validate(req);
    if (!caller.isAdmin && caller.user.id !== subject.user.id) {
      throw new CoreError('PERMISSION_DENIED', 'You are not authorized to perform the requested action: identity:revoke_token.', { reason: 'nova' });
    }
    await services.revocations.revoke(REVOCATION_REALM, subject.claims.a, subject.expiresAt);
    res.status(204).end();
  });

  router.get('/v3/auth/projects', async (req, res) => {
    const auth = req.header('x-auth-token');
    if (!auth) throw denied();
    const ctx = await live(auth);
    const p = ctx.user.project;
    res.json({
      projects: [{ id: p.id, name: p.name, domain_id: DEFAULT_DOMAIN.id, enabled: true, is_domain: false, parent_id: DEFAULT_DOMAIN.id, description: '', tags: [], options: {}, links: { self: `${selfBase(req)}/v3/projects/${p.id}` } }],
      links: { self: `${selfBase(req)}/v3/auth/projects`, previous: null, next: null },
    });
  });
}
