import { ResourceDef, TastypieReply, memoryPage, noContent } from '../tastypie';
import { GROUPS, isCsrfToken, newCsrfToken } from '../auth';
import { renderGroup, groupId } from '../render';
import { renderUsers } from './user';
import { LCtx, badPk, jsonBody, pkSeq } from './common';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

/** The csrftoken a client already holds is kept across login, so clients that cached it keep working. */
const currentCsrf = (ctx: LCtx): string => ctx.sessions.csrfTokens(ctx.req).find(isCsrfToken) ?? newCsrfToken();

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
      user: user ? (await renderUsers(ctx, [user]))[0] : null,
    };
    return { objects: [body], total: 1 };
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    const errors: Record<string, string[]> = {};
    if (typeof body.username !== 'string' || !body.username) errors.username = ['This field is mandatory'];
    if (typeof body.password !== 'string' || !body.password) errors.password = ['This field is mandatory'];
    if (Object.keys(errors).length) return new TastypieReply(400, errors);
    const user = await ctx.sessions.findUser(String(body.username), String(body.password));
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

