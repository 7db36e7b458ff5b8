import { AlertSubscription, Filter } from '@rosetta/core';
import { ResourceDef, TastypieReply, noContent } from '../tastypie';
import { uri } from '../render';
import { ALERT_TYPES, renderAlertType } from './alert';
import { LCtx, badPk, byIds, jsonBody, pkSeq } from './common';

const isSuperuser = (ctx: LCtx): boolean => Boolean(ctx.user?.groups.includes('superusers'));

/** IML's AlertSubscriptionAuthorization: nothing for anonymous users, everything for superusers, else one's own. */
function scope(ctx: LCtx): Filter | null {
  if (!ctx.user) return null;
  return isSuperuser(ctx) ? { all: [] } : { field: 'userId', op: 'eq', value: ctx.user.id };
}

export async function renderSubscriptions(ctx: LCtx, subs: AlertSubscription[]) {
  const users = await byIds(ctx.services.lustreAdmin.users, subs.map((s) => s.userId));
  return subs.map((s) => ({
    alert_type: renderAlertType(ctx.base, s.alertType),
    id: s.seq,
    resource_uri: uri(ctx.base, 'alert_subscription', s.seq),
    user: uri(ctx.base, 'user', users.get(s.userId)?.seq ?? 0),
  }));
}

async function findVisible(ctx: LCtx, pk: string): Promise<AlertSubscription | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const filter = scope(ctx);
  if (!filter) return undefined;
  return (await ctx.services.lustreAdmin.subscriptions.list({ filter: { all: [{ field: 'seq', op: 'eq', value: seq }, filter] }, limit: 1 }))[0];
}

const invalid = (errors: Record<string, string[]>): TastypieReply => new TastypieReply(400, { alert_subscription: errors });

export const alertSubscriptionResource: ResourceDef<LCtx> = {
  name: 'alert_subscription',
  fields: {
    alert_type: { type: 'related', related: 'to_one', help: "Content-type id for this subscription's alert class" },
    id: { type: 'integer', readonly: true, unique: true },
    resource_uri: { type: 'string', readonly: true },
    user: { type: 'related', related: 'to_one', help: 'User to which this subscription belongs' },
  },
  listAllowed: ['get', 'post', 'patch'],
  detailAllowed: ['get', 'delete', 'put'],
  async list(ctx, q) {
    const filter = scope(ctx);
    if (!filter) return { objects: [], total: 0 };
    const page = await ctx.services.lustreAdmin.subscriptions.page({ filter, order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset });
    return { objects: await renderSubscriptions(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const s = await findVisible(ctx, pk);
    return s && (await renderSubscriptions(ctx, [s]))[0];
  },
  /** AlertSubscriptionValidation: a user URI, one's own unless a superuser; an alert type that exists. */
  async post(ctx) {
    if (!ctx.user) return new TastypieReply(401);
    const body = jsonBody(ctx);
    const userSeq = /\/user\/(\d+)\/?$/.exec(String(body.user ?? ''))?.[1];
    if (!userSeq) return invalid({ user: ['Missing or malformed user parameter'] });
    if (Number(userSeq) !== ctx.user.seq && !isSuperuser(ctx)) return invalid({ user: ["Only superusers may change other users' subscriptions."] });
    const user = await ctx.services.lustreAdmin.users.findBySeq(Number(userSeq));
    const typeId = /\/alert_type\/([^/]+)\/?$/.exec(String(body.alert_type ?? ''))?.[1];
    const alertType = Object.keys(ALERT_TYPES).find((n) => n.toLowerCase() === typeId);
    const errors: Record<string, string[]> = {};
    if (!user) errors.user = [`Could not find the provided object via resource URI '${String(body.user)}'.`];
    if (!alertType) errors.alert_type = [`Could not find the provided object via resource URI '${String(body.alert_type ?? '')}'.`];
    if (Object.keys(errors).length || !user || !alertType) return invalid(errors);
    try {
      const sub = await ctx.services.lustreAdmin.subscriptions.create({ userId: user.id, alertType });
      const host = ctx.req.get('host') ?? 'localhost';
      return new TastypieReply(201, undefined, { Location: `${ctx.req.protocol}://${host}${uri(ctx.base, 'alert_subscription', sub.seq)}` });
    } catch (err) {
      if ((err as { code?: string }).code === 'ALREADY_EXISTS') return invalid({ __all__: ['Alert subscription with this User and Alert type already exists.'] });
      throw err;
    }
  },
  async delete(ctx, pk) {
    const s = await findVisible(ctx, pk);
    if (!s) return new TastypieReply(404);
    await ctx.services.lustreAdmin.subscriptions.remove(s.id);
    return noContent();
  },
};
