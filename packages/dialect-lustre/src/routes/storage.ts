import { Filesystem, Filter, Host, Target, TargetKind, onlyMonitored } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, compileOrder } from '../tastypie';
import { hostNids, renderFilesystem, renderTarget, targetJobs, uri } from '../render';
import { LCtx, ORIGIN, activeLocks, badPk, byIds, changeState, commandReply, jsonBody, pkSeq, statefulExtras } from './common';
import { updateConfParams } from './conf-params';
import { STATEFUL_FIELDS } from './host';
import { parseFilesystem } from '../parse';
import { pyStr } from '../wire-json';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

async function findBySeq<E>(find: (seq: number) => Promise<E | undefined>, pk: string): Promise<E | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return find(seq);
}

export async function renderTargets(ctx: LCtx, targets: Target[]) {
  const locks = await activeLocks(ctx.services);
  const devices = await byIds(ctx.services.devices, targets.map((t) => t.deviceId));
  const nodes = await ctx.services.lustre.deviceNodes([...devices.values()]);
  const hosts = await byIds(ctx.services.hosts, [...targets.flatMap((t) => [t.hostId, t.failoverHostId, t.activeHostId]), ...[...nodes.values()].flat().map((n) => n.hostId)]);
  const filesystems = await byIds(ctx.services.filesystems, targets.map((t) => t.filesystemId));
  const mgts = targets.filter((t) => t.kind === 'MGT').map((t) => t.id);
  const served = mgts.length ? await ctx.services.filesystems.list({ filter: { field: 'mgtId', op: 'in', value: mgts } }) : [];
  return Promise.all(
    targets.map(async (t) =>
      renderTarget(
        ctx.base,
        t,
        {
          device: devices.get(t.deviceId),
          nodes: nodes.get(t.deviceId) ?? [],
          nodeHosts: hosts,
          active: hosts.get(t.activeHostId ?? t.hostId),
          host: hosts.get(t.hostId),
          failover: t.failoverHostId ? hosts.get(t.failoverHostId) : undefined,
          filesystem: t.filesystemId ? filesystems.get(t.filesystemId) : undefined,
          served: served.filter((f) => f.mgtId === t.id),
        },
        { ...(await statefulExtras(ctx, 'target', t, locks, onlyMonitored([hosts.get(t.hostId)].filter((h): h is Host => Boolean(h))))), jobs: targetJobs(t, hosts) },
      ),
    ),
  );
}

const TARGET_KINDS = ['MGT', 'MDT', 'OST'];

/** A new target as POST (or a bulk PATCH object) describes it, with IML's field errors. */
async function parseTargetSpec(ctx: LCtx, body: Record<string, unknown>): Promise<{ kind: TargetKind; deviceId: string; filesystemId: string | null; volumeSeq: number }> {
  const kind = typeof body.kind === 'string' ? body.kind.toUpperCase() : '';
  if (!TARGET_KINDS.includes(kind)) {
    throw new TastypieReply(400, { kind: [`Invalid target type '${pyStr(body.kind)}' (choose from [${TARGET_KINDS.map((k) => `'${k}'`).join(', ')}])`] });
  }
  const errors: Record<string, string[]> = {};
  const device = Number.isSafeInteger(Number(body.volume_id)) ? await ctx.services.devices.findBySeq(Number(body.volume_id)) : undefined;
  if (!device) errors.volume_id = [`Volume with ID ${pyStr(body.volume_id)} not found`];
  else if (device.usedBytes > 0) errors.volume_id = [`Volume ${device.seq} in use`];
  let filesystemId: string | null = null;
  if (kind !== 'MGT') {
    const fs = Number.isSafeInteger(Number(body.filesystem_id)) ? await ctx.services.filesystems.findBySeq(Number(body.filesystem_id)) : undefined;
    if (body.filesystem_id === undefined || body.filesystem_id === null) errors.filesystem_id = [`Mandatory for targets of kind '${kind}'`];
    else if (!fs) errors.filesystem_id = [`Filesystem with ID ${pyStr(body.filesystem_id)} not found`];
    else filesystemId = fs.id;
  }
  if (Object.keys(errors).length || !device) throw new TastypieReply(400, errors);
  return { kind: kind as TargetKind, deviceId: device.id, filesystemId, volumeSeq: device.seq };
}

export const targetResource: ResourceDef<LCtx> = {
  name: 'target',
  fields: {
    ...STATEFUL_FIELDS,
    active_host: { type: 'related', related: 'to_one', nullable: true, readonly: true },
    active_host_name: { type: 'string', readonly: true },
    conf_params: { type: 'dict', nullable: true },
    failover_server_name: { type: 'string', readonly: true },
    failover_servers: { type: 'list', nullable: true, readonly: true },
    filesystem: { type: 'related', related: 'to_one', nullable: true, readonly: true },
    filesystem_id: { type: 'integer', nullable: true },
    filesystem_name: { type: 'string', nullable: true, readonly: true },
    filesystems: { type: 'list', nullable: true, readonly: true },
    ha_label: { type: 'string', nullable: true, readonly: true },
    host_id: { type: 'integer', nullable: true, readonly: true },
    id: ID,
    index: { type: 'integer', nullable: true, readonly: true },
    inode_count: { type: 'string', nullable: true, readonly: true },
    inode_size: { type: 'integer', nullable: true, readonly: true },
    kind: { type: 'string', help: "Type of target, one of ['OST', 'MDT', 'MGT']" },
    name: { type: 'string', readonly: true },
    primary_server: { type: 'related', related: 'to_one', readonly: true },
    primary_server_name: { type: 'string', readonly: true },
    resource_uri: URI,
    uuid: { type: 'string', nullable: true, readonly: true },
    volume: { type: 'related', related: 'to_one' },
    volume_name: { type: 'string', readonly: true },
  },
  filtering: { filesystem_id: ['exact'], host_id: ['exact'], id: ['exact', 'in'], immutable_state: ['exact'], kind: ['exact'], name: ['exact'] },
  ordering: ['volume_name', 'name'],
  cacheList: true,
  listAllowed: ['get', 'post', 'patch'],
  detailAllowed: ['get', 'put', 'delete'],
  async list(ctx, q) {
    const columns: Record<string, Column> = { id: { field: 'seq', type: 'int' }, name: { field: 'name', type: 'string' } };
    const extra: Filter[] = [];
    for (const f of q.filters) {
      const value = Array.isArray(f.value) ? f.value : [f.value];
      if (f.path[0] === 'kind') extra.push({ field: 'kind', op: 'in', value: value.map((v) => String(v).toUpperCase()).filter((v) => TARGET_KINDS.includes(v)) });
      if (f.path[0] === 'immutable_state' && typeof f.value === 'boolean') {
        const monitored = (await ctx.services.hosts.list({ filter: { field: 'lustreState', op: 'eq', value: 'monitored' } })).map((h) => h.id);
        const onMonitored: Filter = { field: 'hostId', op: 'in', value: monitored };
        extra.push(f.value ? onMonitored : { not: onMonitored });
      }
      if (f.path[0] === 'filesystem_id' || f.path[0] === 'host_id') {
        const seq = value.map((v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN));
        if (seq.some(Number.isNaN)) throw new TastypieReply(400, { error: 'Invalid resource lookup data provided (mismatched type).' });
        if (f.path[0] === 'filesystem_id') {
          const fs = await ctx.services.filesystems.findBySeq(seq[0]);
          extra.push(fs ? { any: [{ field: 'filesystemId', op: 'eq', value: fs.id }, ...(fs.mgtId ? [{ field: 'id', op: 'eq', value: fs.mgtId } as Filter] : [])] } : { any: [] });
        } else {
          const host = await ctx.services.hosts.findBySeq(seq[0]);
          const hostFilter: Filter = host ? { any: [{ field: 'hostId', op: 'eq', value: host.id }] } : { any: [] };
          const primary = q.params.get('primary');
          extra.push(host && primary === null ? { any: [{ field: 'hostId', op: 'eq', value: host.id }] } : hostFilter);
        }
      }
    }
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, ...extra] };
    const page = await ctx.services.filesystems.targets.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderTargets(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const t = await findBySeq((s) => ctx.services.filesystems.targets.findBySeq(s), pk);
    return t ? (await renderTargets(ctx, [t]))[0] : undefined;
  },
  async post(ctx) {
    const spec = await parseTargetSpec(ctx, jsonBody(ctx));
    try {
      const { target, job } = await ctx.services.lustre.addTarget({ ...spec, origin: ORIGIN });
      return commandReply(ctx, job, { target: (await renderTargets(ctx, [target]))[0] });
    } catch (err) {
      if ((err as { code?: string }).code === 'CONFLICT') throw new TastypieReply(400, { volume_id: [`Volume ${spec.volumeSeq} in use`] });
      throw err;
    }
  },
  /** IML's bulk creation: every new target in `objects` brought up by one command. */
  async patchList(ctx) {
    const body = jsonBody(ctx);
    const objects = body.objects;
    if (!Array.isArray(objects) || objects.length === 0) throw new TastypieReply(400, { error: 'Invalid data sent.' });
    // Objects naming an existing target would be a plain Tastypie PATCH (field updates), which IML's targets do not take.
    if (objects.some((o) => o && typeof o === 'object' && ('id' in o || 'resource_uri' in o))) throw new TastypieReply(400, { error: 'Invalid data sent.' });
    const specs = [];
    for (const o of objects) specs.push(await parseTargetSpec(ctx, (o && typeof o === 'object' && !Array.isArray(o) ? o : {}) as Record<string, unknown>));
    const volumes = specs.map((s) => s.volumeSeq);
    const twice = volumes.find((v, i) => volumes.indexOf(v) !== i);
    if (twice !== undefined) throw new TastypieReply(400, { volume_id: [`Volume ${twice} in use`] });
    try {
      const { targets, job } = await ctx.services.lustre.addTargets(specs, ORIGIN);
      return commandReply(ctx, job, { targets: targets.map((t) => uri(ctx.base, 'target', t.seq)) });
    } catch (err) {
      const e = err as { code?: string; details?: { id?: string } };
      if (e.code === 'CONFLICT') throw new TastypieReply(400, { volume_id: [`Volume ${specs.find((s) => s.deviceId === e.details?.id)?.volumeSeq ?? ''} in use`.replace('  ', ' ')] });
      throw err;
    }
  },
  async put(ctx, pk) {
    const t = await findBySeq((s) => ctx.services.filesystems.targets.findBySeq(s), pk);
    if (!t) return new TastypieReply(404);
    const body = jsonBody(ctx);
    // As in IML, conf_params win over a state in the same PUT (HYD-1032); an MGT has none to set.
    if (body.conf_params !== undefined && t.kind !== 'MGT') {
      return updateConfParams(ctx, 'target', t, body.conf_params, async (fresh) => ({ target: (await renderTargets(ctx, [fresh as Target]))[0] }), () => ctx.services.filesystems.targets.get(t.id));
    }
    if (body.state === undefined) return new TastypieReply(200, (await renderTargets(ctx, [t]))[0]);
    return changeState(ctx, 'target', t, t.state, body.state, body.dry_run === true);
  },
  async delete(ctx, pk) {
    const t = await findBySeq((s) => ctx.services.filesystems.targets.findBySeq(s), pk);
    if (!t) return new TastypieReply(404);
    // IML's obj_delete: an object the manager only monitors is forgotten, anything else removed.
    const to = (await ctx.services.lustre.immutable('target', t)) ? 'forgotten' : 'removed';
    const reply = await changeState(ctx, 'target', t, t.state, to, false);
    return reply.status === 400 ? new TastypieReply(400, { __all__: (reply.body as { state: string }).state }) : reply;
  },
};

async function renderFilesystems(ctx: LCtx, list: Filesystem[]) {
  const locks = await activeLocks(ctx.services);
  const ids = list.map((f) => f.id);
  const own = ids.length ? await ctx.services.filesystems.targets.list({ filter: { field: 'filesystemId', op: 'in', value: ids }, order: [{ field: 'index', direction: 'asc' }] }) : [];
  const mgtList = [...(await byIds(ctx.services.filesystems.targets, list.map((f) => f.mgtId))).values()];
  const rendered = new Map((await renderTargets(ctx, [...mgtList, ...own.filter((t) => t.kind === 'MDT')])).map((r) => [r.id, r]));
  const devices = await byIds(ctx.services.devices, own.map((t) => t.deviceId));
  // Every server of the page's filesystems, for their immutable_state (monitored servers only).
  const mgsHosts = await byIds(ctx.services.hosts, [...mgtList, ...own].map((t) => t.hostId));
  const mounted = ids.length ? await ctx.services.lustre.clientMounts.countBy('filesystemId', { all: [{ field: 'filesystemId', op: 'in', value: ids }, { field: 'state', op: 'eq', value: 'mounted' }] }) : {};
  return Promise.all(
    list.map(async (f) => {
      const mine = own.filter((t) => t.filesystemId === f.id);
      const mgt = mgtList.find((t) => t.id === f.mgtId);
      const bytes = (kind: string) => mine.filter((t) => t.kind === kind).reduce((n, t) => n + (devices.get(t.deviceId)?.sizeBytes ?? 0), 0);
      const mgsHost = mgt ? mgsHosts.get(mgt.hostId) : undefined;
      return renderFilesystem(
        ctx.base,
        f,
        {
          mgt: mgt ? (rendered.get(mgt.seq) ?? null) : null,
          mdts: mine.filter((t) => t.kind === 'MDT').map((t) => rendered.get(t.seq)!),
          ostUris: mine.filter((t) => t.kind === 'OST').map((t) => uri(ctx.base, 'target', t.seq)),
          ostBytes: bytes('OST'),
          mdtBytes: bytes('MDT'),
          mgsNids: mgsHost ? hostNids(mgsHost) : [],
          clientCount: mounted[f.id] ?? 0,
        },
        await statefulExtras(ctx, 'filesystem', f, locks, onlyMonitored([...(mgt ? [mgt] : []), ...mine].map((t) => mgsHosts.get(t.hostId)).filter((h): h is Host => Boolean(h)))),
      );
    }),
  );
}

export const filesystemResource: ResourceDef<LCtx> = {
  name: 'filesystem',
  fields: {
    ...STATEFUL_FIELDS,
    bytes_free: { type: 'float', nullable: true, readonly: true },
    bytes_total: { type: 'float', nullable: true, readonly: true },
    client_count: { type: 'float', nullable: true, readonly: true },
    conf_params: { type: 'dict' },
    files_free: { type: 'float', nullable: true, readonly: true },
    files_total: { type: 'float', nullable: true, readonly: true },
    id: ID,
    mdts: { type: 'related', related: 'to_many', help: 'List of MDTs in this file system, should be at least 1 unless the file system is in the process of being deleted' },
    mgt: { type: 'related', related: 'to_one', help: 'The MGT on which this file system is registered' },
    mount_command: { type: 'string', nullable: true, readonly: true },
    mount_path: { type: 'string', nullable: true, readonly: true },
    name: { type: 'string', help: 'Lustre filesystem name, up to 8 characters' },
    osts: { type: 'related', related: 'to_many', help: 'List of OSTs which belong to this file system' },
    resource_uri: URI,
  },
  filtering: { id: ['exact', 'in'], name: ['exact'] },
  ordering: ['name'],
  cacheList: true,
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'delete', 'put'],
  async list(ctx, q) {
    const columns: Record<string, Column> = { id: { field: 'seq', type: 'int' }, name: { field: 'name', type: 'string' } };
    const page = await ctx.services.filesystems.page({ filter: await compileFilters(q.filters, columns), order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderFilesystems(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const f = await findBySeq((s) => ctx.services.filesystems.findBySeq(s), pk);
    return f ? (await renderFilesystems(ctx, [f]))[0] : undefined;
  },
  async post(ctx) {
    const input = await parseFilesystem(ctx, jsonBody(ctx));
    try {
      const { filesystem, job } = await ctx.services.lustre.createFilesystem({ ...input, origin: ORIGIN });
      return commandReply(ctx, job, { filesystem: (await renderFilesystems(ctx, [filesystem]))[0] });
    } catch (err) {
      const e = err as { code?: string; details?: { reason?: string; id?: string } };
      if (e.code === 'ALREADY_EXISTS') throw new TastypieReply(400, { mdts: {}, mgt: {}, name: [`A file system with name '${input.name}' already exists`], osts: {} });
      if (e.code === 'CONFLICT' && e.details?.reason === 'one_mgs_per_host') {
        const d = await ctx.services.devices.find(e.details.id ?? '');
        throw new TastypieReply(400, { mdts: {}, mgt: { volume_id: [`Volume ${d?.seq} cannot be used for MGS (only one MGS is allowed per server)`] }, osts: {} });
      }
      throw err;
    }
  },
  async put(ctx, pk) {
    const f = await findBySeq((s) => ctx.services.filesystems.findBySeq(s), pk);
    if (!f) return new TastypieReply(404);
    const body = jsonBody(ctx);
    if (body.conf_params !== undefined) {
      return updateConfParams(ctx, 'filesystem', f, body.conf_params, async (fresh) => ({ filesystem: (await renderFilesystems(ctx, [fresh as Filesystem]))[0] }), () => ctx.services.filesystems.get(f.id));
    }
    if (body.state === undefined) return new TastypieReply(200, (await renderFilesystems(ctx, [f]))[0]);
    return changeState(ctx, 'filesystem', f, f.state, body.state, body.dry_run === true);
  },
  async delete(ctx, pk) {
    const f = await findBySeq((s) => ctx.services.filesystems.findBySeq(s), pk);
    if (!f) return new TastypieReply(404);
    const to = (await ctx.services.lustre.immutable('filesystem', f)) ? 'forgotten' : 'removed';
    const reply = await changeState(ctx, 'filesystem', f, f.state, to, false);
    return reply.status === 400 ? new TastypieReply(400, { __all__: (reply.body as { state: string }).state }) : reply;
  },
};
