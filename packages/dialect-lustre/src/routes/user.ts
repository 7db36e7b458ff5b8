import { Filter, LustreAccount, LustreAccountPatch } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileOrder, noContent } from '../tastypie';
import { GROUPS, hashPasswordAsync, passwordMatches } from '../auth';
import { groupId, renderUser, uri } from '../render';
import { LCtx, badPk, jsonBody, pkSeq } from './common';
import { renderSubscriptions } from './alert-subscription';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

/** Django 1.6's auth form messages, which IML's user validation returns. */
const REQUIRED = 'This field is required.';
const MISMATCH = "The two password fields didn't match.";
const USERNAME_CHARS = 'This value may contain only letters, numbers and @/./+/-/_ characters.';
const TAKEN = 'A user with that username already exists.';
const OLD_WRONG = 'Your old password was entered incorrectly. Please enter it again.';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

type Errors = Record<string, string[]>;
/** Tastypie's validation failure: the errors under the resource name. */
const invalid = (errors: Errors): TastypieReply => new TastypieReply(400, { user: errors });

const isSuperuser = (ctx: LCtx): boolean => Boolean(ctx.user?.groups.includes('superusers'));
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** Anonymous users see no accounts, superusers all of them, anyone else only their own. */
function visibility(ctx: LCtx): Filter | null {
  if (!ctx.user) return null;
  return isSuperuser(ctx) ? { all: [] } : { field: 'id', op: 'eq', value: ctx.user.id };
}

async function findVisible(ctx: LCtx, pk: string): Promise<LustreAccount | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const scope = visibility(ctx);
  if (!scope) return undefined;
  const account = await ctx.services.lustreAdmin.users.findBySeq(seq);
  return account && (isSuperuser(ctx) || account.id === ctx.user?.id) ? account : undefined;
}

function checkUsername(errors: Errors, username: unknown): void {
  const name = text(username);
  if (!name) errors.username = [REQUIRED];
  else if (name.length > 30) errors.username = [`Ensure this value has at most 30 characters (it has ${name.length}).`];
  else if (!/^[\w.@+-]+$/.test(name)) errors.username = [USERNAME_CHARS];
}

function checkEmail(errors: Errors, email: unknown): void {
  if (text(email) && !EMAIL.test(text(email))) errors.email = ['Enter a valid email address.'];
}

/** Group names from the URIs (or {"id"} objects) a client sends; null when one names no group. */
function groupNames(value: unknown): string[] | null {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const g of value) {
    const id = typeof g === 'string' ? /\/group\/(\d+)\/?$/.exec(g)?.[1] : g && typeof g === 'object' ? (g as { id?: unknown }).id : undefined;
    const name = GROUPS.find((n) => String(groupId(n)) === String(id));
    if (!name) return null;
    names.push(name);
  }
  return [...new Set(names)];
}

/** Accounts with their alert subscriptions (full, as IML nests them): one query for the lot. */
export async function renderUsers(ctx: LCtx, accounts: LustreAccount[]): Promise<Record<string, unknown>[]> {
  const subs = accounts.length ? await ctx.services.lustreAdmin.subscriptions.list({ filter: { field: 'userId', op: 'in', value: accounts.map((a) => a.id) }, order: [{ field: 'seq', direction: 'asc' }] }) : [];
  const rendered = await renderSubscriptions(ctx, subs);
  return accounts.map((a) => renderUser(ctx.base, a, rendered.filter((_r, i) => subs[i].userId === a.id)));
}
const render = async (ctx: LCtx, account: LustreAccount): Promise<Record<string, unknown>> => (await renderUsers(ctx, [account]))[0];

export const userResource: ResourceDef<LCtx> = {
  name: 'user',
  fields: {
    alert_subscriptions: { type: 'related', related: 'to_many', nullable: true, help: 'List of alert subscriptions (alerts for which this userwill be sent emails.  See alert_subscription resourcefor format' },
    email: { type: 'string', blank: true },
    first_name: { type: 'string', blank: true },
    full_name: { type: 'string', help: 'Human readable form derived from ``first_name`` and ``last_name``' },
    groups: { type: 'related', related: 'to_many', nullable: true, help: 'List of groups that this user is a member of.  May only be modified by superusers' },
    id: ID,
    is_superuser: { type: 'boolean', readonly: true, help: 'Is the user a superuser' },
    last_name: { type: 'string', blank: true },
    new_password1: { type: 'string', help: 'Used for modifying password (request must be made by the same user or by a superuser)' },
    new_password2: { type: 'string', help: 'Password confirmation, must match ``new_password1``' },
    password1: { type: 'string', help: 'Used when creating a user (request must be made by a superuser)' },
    password2: { type: 'string', help: 'Password confirmation, must match ``password1``' },
    resource_uri: URI,
    username: { type: 'string', unique: true, help: 'Required. 30 characters or fewer. Letters, numbers and @/./+/-/_ characters' },
  },
  ordering: ['username', 'email'],
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put', 'delete'],
  async list(ctx, q) {
    const scope = visibility(ctx);
    if (!scope) return { objects: [], total: 0 };
    const columns: Record<string, Column> = { username: { field: 'username', type: 'string' }, email: { field: 'email', type: 'string' } };
    const order = compileOrder(q.order, columns);
    const page = await ctx.services.lustreAdmin.users.pageSeeded({ filter: scope, order: order.length ? order : [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset }, ctx.sessions.seed);
    return { objects: await renderUsers(ctx, page.items), total: page.total };
  },
  detail: async (ctx, pk) => {
    const account = await findVisible(ctx, pk);
    return account && (await render(ctx, account));
  },
  async post(ctx) {
    if (!isSuperuser(ctx)) return new TastypieReply(401);
    const body = jsonBody(ctx);
    const errors: Errors = {};
    checkUsername(errors, body.username);
    if (!text(body.password1)) errors.password1 = [REQUIRED];
    if (!text(body.password2)) errors.password2 = [REQUIRED];
    else if (text(body.password1) && body.password1 !== body.password2) errors.password2 = [MISMATCH];
    checkEmail(errors, body.email);
    const groups = groupNames(body.groups);
    if (groups === null) errors.groups = ['Could not find the provided object via resource URI.'];
    if (!errors.username && (await ctx.services.lustreAdmin.users.count({ field: 'username', op: 'eq', value: text(body.username) }))) errors.username = [TAKEN];
    if (Object.keys(errors).length) return invalid(errors);
    try {
      const account = await ctx.services.lustreAdmin.users.create({
        username: text(body.username),
        passwordHash: await hashPasswordAsync(text(body.password1)),
        groups: groups ?? [],
        email: text(body.email),
        firstName: text(body.first_name),
        lastName: text(body.last_name),
      });
      const host = ctx.req.get('host') ?? 'localhost';
      return new TastypieReply(201, await render(ctx, account), { Location: `${ctx.req.protocol}://${host}${uri(ctx.base, 'user', account.seq)}` });
    } catch (err) {
      // Two creations of one name at once: the database's unique constraint decides.
      if ((err as { code?: string }).code === 'ALREADY_EXISTS') return invalid({ username: [TAKEN] });
      throw err;
    }
  },
  async put(ctx, pk) {
    const account = await findVisible(ctx, pk);
    if (!account) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.id === undefined) return invalid({ id: ['id attribute is mandatory'] });
    const patch: LustreAccountPatch = {};
    const errors: Errors = {};
    const self = account.id === ctx.user?.id;
    if (body.new_password1 != null || body.new_password2 != null) {
      // Non-superusers, and superusers changing their own password, must give the old one.
      if (!isSuperuser(ctx) || self) {
        if (!text(body.old_password)) errors.old_password = [REQUIRED];
        else if (!(await passwordMatches(text(body.old_password), account.passwordHash))) errors.old_password = [OLD_WRONG];
      }
      if (!text(body.new_password1)) errors.new_password1 = [REQUIRED];
      if (!text(body.new_password2)) errors.new_password2 = [REQUIRED];
      else if (text(body.new_password1) && body.new_password1 !== body.new_password2) errors.new_password2 = [MISMATCH];
      if (Object.keys(errors).length) return invalid(errors);
      patch.passwordHash = await hashPasswordAsync(text(body.new_password1));
    } else {
      checkUsername(errors, body.username ?? account.username);
      checkEmail(errors, body.email);
      const username = text(body.username ?? account.username);
      if (!errors.username && username !== account.username) {
        if (await ctx.services.lustreAdmin.users.count({ field: 'username', op: 'eq', value: username })) errors.username = [TAKEN];
        else patch.username = username;
      }
      if (Object.keys(errors).length) return invalid(errors);
    }
    if (body.groups !== undefined) {
      const groups = groupNames(body.groups);
      if (groups === null) return invalid({ groups: ['Could not find the provided object via resource URI.'] });
      const same = groups.length === account.groups.length && groups.every((g) => account.groups.includes(g));
      // Only superusers change memberships; anyone else sending other groups is refused outright.
      if (!same && !isSuperuser(ctx)) return new TastypieReply(403);
      if (!same) patch.groups = groups;
    }
    if (body.email !== undefined) patch.email = text(body.email);
    if (body.first_name !== undefined) patch.firstName = text(body.first_name);
    if (body.last_name !== undefined) patch.lastName = text(body.last_name);
    const updated = await ctx.services.lustreAdmin.users.update(account.id, patch);
    return new TastypieReply(200, await render(ctx, updated));
  },
  async delete(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    if (ctx.user && seq === ctx.user.seq) return new TastypieReply(400, { id: ['Cannot delete currently authenticated user'] });
    if (!isSuperuser(ctx)) return new TastypieReply(401);
    const account = await ctx.services.lustreAdmin.users.findBySeq(seq);
    if (!account) return new TastypieReply(404);
    await ctx.services.lustreAdmin.users.remove(account.id);
    return noContent();
  },
};
