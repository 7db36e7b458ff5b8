import { ResourceDef, TastypieReply, memoryPage, noContent } from '../tastypie';
import { GROUPS, isCsrfToken, newCsrfToken } from '../auth';
import { renderGroup, renderUser, groupId } from '../render';
import { LCtx, badPk, jsonBody, pkSeq } from './common';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

/** The csrftoken a client already holds is kept across login, so clients that cached it keep working. */
const currentCsrf = (ctx: LCtx): string => ctx.sessions.csrfTokens(ctx.req).find(isCsrfToken) ?? newCsrfToken();

const userId = (ctx: LCtx, username: string): number => ctx.settings.users.findIndex((u) => u.username === username) + 1;

function visibleUsers(ctx: LCtx) {
  const me = ctx.user;
  if (!me) return [];
  const all = ctx.settings.users.map((u, i) => renderUser(ctx.base, u, i + 1));
  return me.groups.includes('superusers') ? all : all.filter((u) => u.username === me.username);
}

export const sessionResource: ResourceDef<LCtx> = {
  name: 'session',
  fields: {
    read_enabled: { type: 'boolean', readonly: true },
    resource_uri: URI,
    user: { type: 'related', related: 'to_one', nullable: true, readonly: true },
  },
  listAllowed: ['get', 'post', 'delete'],
  detailAllowed: [],
  rawList: true,
  async list(ctx) {
    const user = ctx.user;
    const sessionId = ctx.sessions.issue(user?.username ?? null);
    ctx.sessions.setCookies(ctx.res, sessionId, currentCsrf(ctx));
    const body = {
      read_enabled: ctx.settings.allowAnonymousRead || user !== null,
      resource_uri: `${ctx.base}/api/session/`,
      user: user ? renderUser(ctx.base, user, userId(ctx, user.username)) : null,
    };
    return { objects: [body], total: 1 };
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    const errors: Record<string, string[]> = {};
    if (typeof body.username !== 'string' || !body.username) errors.username = ['This field is mandatory'];
    if (typeof body.password !== 'string' || !body.password) errors.password = ['This field is mandatory'];
    if (Object.keys(errors).length) return new TastypieReply(400, errors);
    const user = ctx.sessions.findUser(String(body.username), String(body.password));
    if (!user) return new TastypieReply(403, { __all__: 'Authentication Failed.' });
    ctx.sessions.setCookies(ctx.res, ctx.sessions.issue(user.username), currentCsrf(ctx));
    const host = ctx.req.get('host') ?? 'localhost';
    return new TastypieReply(201, undefined, { Location: `${ctx.req.protocol}://${host}${ctx.base}/api/session/` });
  },
  async deleteList(ctx) {
    ctx.sessions.setCookies(ctx.res, ctx.sessions.issue(null), currentCsrf(ctx));
    return noContent();
  },
};

export const userResource: ResourceDef<LCtx> = {
  name: 'user',
  fields: {
    alert_subscriptions: { type: 'related', related: 'to_many', nullable: true },
    email: { type: 'string', blank: true },
    first_name: { type: 'string', blank: true },
    full_name: { type: 'string', readonly: true },
    groups: { type: 'related', related: 'to_many' },
    id: ID,
    is_superuser: { type: 'boolean', readonly: true },
    last_name: { type: 'string', blank: true },
    new_password1: { type: 'string', nullable: true, help: 'Used for modifying password (request is PUT)' },
    new_password2: { type: 'string', nullable: true, help: 'Password confirmation, must match new_password1' },
    password1: { type: 'string', nullable: true, help: 'Used when creating a user (request is POST)' },
    password2: { type: 'string', nullable: true, help: 'Password confirmation, must match password1' },
    resource_uri: URI,
    username: { type: 'string', unique: true, help: 'Required. 30 characters or fewer. Letters, numbers and @/./+/-/_ characters' },
  },
  ordering: ['username', 'email'],
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put', 'delete'],
  async list(ctx, q) {
    return memoryPage(visibleUsers(ctx), q);
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    return visibleUsers(ctx).find((u) => u.id === seq);
  },
  async post() {
    return new TastypieReply(400, { username: ['Users are defined in the manager configuration'] });
  },
  async put() {
    return new TastypieReply(400, { username: ['Users are defined in the manager configuration'] });
  },
  async delete(ctx, pk) {
    if (ctx.user && pkSeq(pk) === userId(ctx, ctx.user.username)) return new TastypieReply(400, { id: ['Cannot delete currently authenticated user'] });
    return new TastypieReply(400, { id: ['Users are defined in the manager configuration'] });
  },
};

export const groupResource: ResourceDef<LCtx> = {
  name: 'group',
  fields: { id: ID, name: { type: 'string', unique: true }, resource_uri: URI },
  filtering: { name: ['exact', 'iexact'] },
  ordering: ['name'],
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    return memoryPage(GROUPS.map((g) => renderGroup(ctx.base, g)), q);
  },
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    const name = GROUPS.find((g) => groupId(g) === seq);
    return name ? renderGroup(ctx.base, name) : undefined;
  },
};

