import { Filter, RegistrationToken } from '@rosetta/core';
import { ResourceDef, TastypieReply } from '../tastypie';
import { SERVER_PROFILES, uri } from '../render';
import { awareIso } from '../wire-json';
import { LCtx, badPk, jsonBody, pkSeq } from './common';

/** IML's RegistrationToken defaults. */
const DEFAULT_EXPIRY_SECONDS = 60;
const DEFAULT_CREDITS = 1;
const TOKEN_GROUPS = new Set(['superusers', 'filesystem_administrators']);

/** Only filesystem administrators and superusers see tokens (IML's TokenAuthorization). */
const mayUse = (ctx: LCtx): boolean => Boolean(ctx.user?.groups.some((g) => TOKEN_GROUPS.has(g)));

/** Only live tokens are listed: not cancelled, not expired on the domain clock, with credits left. */
const live = (ctx: LCtx): Filter => ({
  all: [
    { field: 'cancelled', op: 'eq', value: false },
    { field: 'expiresAt', op: 'gt', value: ctx.services.clock.now() },
    { field: 'credits', op: 'gt', value: 0 },
  ],
});

function render(ctx: LCtx, t: RegistrationToken) {
  const host = ctx.req.get('host') ?? 'localhost';
  return {
    cancelled: t.cancelled,
    credits: t.credits,
    expiry: awareIso(t.expiresAt),
    id: t.seq,
    profile: uri(ctx.base, 'server_profile', t.profile),
    register_command: `curl -k ${ctx.req.protocol}://${host}${ctx.base}/agent/setup/${t.secret}/ | python`,
    resource_uri: uri(ctx.base, 'registration_token', t.seq),
    secret: t.secret,
  };
}

async function findLive(ctx: LCtx, pk: string): Promise<RegistrationToken | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  if (!mayUse(ctx)) return undefined;
  const found = await ctx.services.lustreAdmin.tokens.list({ filter: { all: [{ field: 'seq', op: 'eq', value: seq }, live(ctx)] }, limit: 1 });
  return found[0];
}

export const registrationTokenResource: ResourceDef<LCtx> = {
  name: 'registration_token',
  fields: {
    cancelled: { type: 'boolean', default: false, help: 'Boolean, whether this token has been manually cancelled.  Once this is set, thetoken will no longer be accessible.  Initially false.' },
    credits: { type: 'integer', default: DEFAULT_CREDITS, help: `Integer, the number of servers which may register using this token before it expires (default ${DEFAULT_CREDITS})` },
    expiry: { type: 'datetime', help: `DateTime, at which time this token will expire.  Defaults to ${DEFAULT_EXPIRY_SECONDS} seconds in the future.` },
    id: { type: 'integer', readonly: true, unique: true },
    profile: { type: 'related', related: 'to_one', help: 'Server profile to be used when setting up servers using this token' },
    register_command: { type: 'string', help: 'Command line to run on a storage server to register it using this token' },
    resource_uri: { type: 'string', readonly: true },
    secret: { type: 'string', default: 'No default provided.' },
  },
  listAllowed: ['get', 'post'],
  detailAllowed: ['patch', 'get'],
  async list(ctx, q) {
    if (!mayUse(ctx)) return { objects: [], total: 0 };
    const page = await ctx.services.lustreAdmin.tokens.page({ filter: live(ctx), order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset });
    return { objects: page.items.map((t) => render(ctx, t)), total: page.total };
  },
  async detail(ctx, pk) {
    const t = await findLive(ctx, pk);
    return t && render(ctx, t);
  },
  async post(ctx) {
    if (!mayUse(ctx)) return new TastypieReply(401);
    const body = jsonBody(ctx);
    const errors: Record<string, string[]> = {};
    for (const key of Object.keys(body)) if (!['expiry', 'credits', 'profile'].includes(key)) errors[key] = ['Forbidden during creation'];
    if (!body.profile) errors.profile = ['Mandatory'];
    const profile = typeof body.profile === 'string' ? /\/server_profile\/([^/]+)\/?$/.exec(body.profile)?.[1] : undefined;
    if (body.profile && (!profile || !SERVER_PROFILES[profile])) errors.profile = [`Could not find the provided object via resource URI '${String(body.profile)}'.`];
    const credits = body.credits === undefined ? DEFAULT_CREDITS : Number(body.credits);
    if (!Number.isSafeInteger(credits) || credits < 0) errors.credits = ["'credits' value must be an integer."];
    const now = ctx.services.clock.now().getTime();
    const expiresAt = body.expiry === undefined ? new Date(now + DEFAULT_EXPIRY_SECONDS * 1000) : new Date(String(body.expiry));
    if (Number.isNaN(expiresAt.getTime())) errors.expiry = ["'expiry' value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."];
    if (Object.keys(errors).length || !profile) return new TastypieReply(400, { registration_token: errors });
    try {
      const token = await ctx.services.lustreAdmin.tokens.issue({ profile, credits, expiresAt });
      const host = ctx.req.get('host') ?? 'localhost';
      return new TastypieReply(201, render(ctx, token), { Location: `${ctx.req.protocol}://${host}${uri(ctx.base, 'registration_token', token.seq)}` });
    } catch (err) {
      if ((err as { code?: string }).code === 'VALIDATION') return new TastypieReply(400, { registration_token: { expiry: ['Must be in the future'] } });
      throw err;
    }
  },
  /** Only `cancelled` may change after creation. */
  async patch(ctx, pk) {
    const t = await findLive(ctx, pk);
    if (!t) return new TastypieReply(404);
    const body = jsonBody(ctx);
    const errors: Record<string, string[]> = {};
    const current: Record<string, unknown> = { secret: t.secret, credits: t.credits, expiry: awareIso(t.expiresAt) };
    for (const key of ['secret', 'expiry', 'credits']) if (key in body && body[key] !== current[key]) errors[key] = ['May not be modified after creation'];
    if (Object.keys(errors).length) return new TastypieReply(400, { registration_token: errors });
    const updated = body.cancelled === true ? await ctx.services.lustreAdmin.tokens.cancel(t.id) : t;
    return new TastypieReply(202, render(ctx, updated));
  },
};
