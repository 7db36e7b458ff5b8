import { ClientMount, ClientMountState, CLIENT_MOUNT_STATES } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, accepted, compileFilters, noContent } from '../tastypie';
import { uri } from '../render';
import { naiveIso } from '../wire-json';
import { LCtx, ORIGIN, badPk, byIds, commandReply, jsonBody, pkSeq, seqColumn } from './common';

const S = { type: 'string' } as const;

export async function renderClientMounts(ctx: LCtx, mounts: ClientMount[]) {
  const hosts = await byIds(ctx.services.hosts, mounts.map((m) => m.hostId));
  const filesystems = await byIds(ctx.services.filesystems, mounts.map((m) => m.filesystemId));
  return mounts.map((m) => ({
    filesystem: uri(ctx.base, 'filesystem', filesystems.get(m.filesystemId)?.seq ?? 0),
    host: uri(ctx.base, 'host', hosts.get(m.hostId)?.seq ?? 0),
    id: m.seq,
    immutable_state: false,
    mountpoint: m.mountpoint,
    not_deleted: true,
    resource_uri: uri(ctx.base, 'client_mount', m.seq),
    state: m.state,
    state_modified_at: naiveIso(m.updatedAt),
  }));
}

async function findMount(ctx: LCtx, pk: string): Promise<ClientMount | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return ctx.services.lustre.clientMounts.findBySeq(seq);
}

/** A host or filesystem named by URI (or bare id), as Tastypie's related fields take them. */
const idOf = (value: unknown, resource: string): number | undefined => {
  const m = new RegExp(`(?:/${resource}/)?(\\d+)/?$`).exec(String(value ?? ''));
  return m ? Number(m[1]) : undefined;
};

/** LustreClientMount's states carry no verbs, so a state change is a plain PUT answered with a command. */
async function setState(ctx: LCtx, mount: ClientMount, state: unknown): Promise<TastypieReply> {
  if (typeof state !== 'string' || !CLIENT_MOUNT_STATES.includes(state as ClientMountState)) {
    return new TastypieReply(400, {
      state: `${String(state)} not legal state for <class 'chroma_core.models.client_mount.LustreClientMount'>, legal states are [${CLIENT_MOUNT_STATES.map((s) => `'${s}'`).join(', ')}]`,
    });
  }
  try {
    const job = await ctx.services.lustre.setClientMountState(mount.id, state as ClientMountState, ORIGIN);
    return job ? commandReply(ctx, job) : noContent();
  } catch (err) {
    if ((err as { code?: string }).code === 'INVALID_STATE') return new TastypieReply(400, { state: (err as Error).message });
    throw err;
  }
}

export const clientMountResource: ResourceDef<LCtx> = {
  name: 'client_mount',
  fields: {
    filesystem: { type: 'related', related: 'to_one' },
    host: { type: 'related', related: 'to_one' },
    id: { type: 'integer', readonly: true, unique: true },
    immutable_state: { type: 'boolean', default: false },
    mountpoint: S,
    not_deleted: { type: 'boolean', nullable: true, default: true },
    resource_uri: { type: 'string', readonly: true },
    state: S,
    state_modified_at: { type: 'datetime' },
  },
  filtering: { filesystem: ['exact'], host: ['exact'] },
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'post', 'put', 'delete', 'patch'],
  async list(ctx, q) {
    const columns: Record<string, Column> = { host: seqColumn('hostId', ctx.services.hosts), filesystem: seqColumn('filesystemId', ctx.services.filesystems) };
    const page = await ctx.services.lustre.clientMounts.page({ filter: await compileFilters(q.filters, columns), order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset });
    return { objects: await renderClientMounts(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const m = await findMount(ctx, pk);
    return m && (await renderClientMounts(ctx, [m]))[0];
  },
  async post(ctx) {
    const body = jsonBody(ctx);
    const errors: Record<string, string[]> = {};
    for (const key of ['host', 'filesystem', 'mountpoint']) if (body[key] === undefined || body[key] === null || body[key] === '') errors[key] = ['This field is mandatory'];
    if (Object.keys(errors).length) return new TastypieReply(400, errors);
    const hostSeq = idOf(body.host, 'host');
    const fsSeq = idOf(body.filesystem, 'filesystem');
    const host = hostSeq === undefined ? undefined : await ctx.services.hosts.findBySeq(hostSeq);
    const fs = fsSeq === undefined ? undefined : await ctx.services.filesystems.findBySeq(fsSeq);
    if (!host || host.lustreState === 'removed') errors.host = [`Host ${String(body.host)} not found`];
    if (!fs) errors.filesystem = [`Filesystem ${String(body.filesystem)} not found`];
    if (typeof body.mountpoint !== 'string' || !body.mountpoint.startsWith('/')) errors.mountpoint = ['Must be an absolute path'];
    if (Object.keys(errors).length || !host || !fs) return new TastypieReply(400, errors);
    try {
      const mount = await ctx.services.lustre.createClientMount({ hostId: host.id, filesystemId: fs.id, mountpoint: String(body.mountpoint) });
      return accepted({ client_mount: (await renderClientMounts(ctx, [mount]))[0] });
    } catch (err) {
      if ((err as { code?: string }).code === 'ALREADY_EXISTS') return new TastypieReply(400, { __all__: `${fs.name} is already mounted on ${host.name}` });
      throw err;
    }
  },
  async put(ctx, pk) {
    const m = await findMount(ctx, pk);
    if (!m) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.state === undefined) return new TastypieReply(200, (await renderClientMounts(ctx, [m]))[0]);
    return setState(ctx, m, body.state);
  },
  async delete(ctx, pk) {
    const m = await findMount(ctx, pk);
    if (!m) return new TastypieReply(404);
    const reply = await setState(ctx, m, 'removed');
    return reply.status === 400 ? new TastypieReply(400, { __all__: (reply.body as { state: string }).state }) : reply;
  },
};
