import { Device, Filesystem, Filter, Target, TargetKind } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, compileOrder } from '../tastypie';
import { hostNids, renderFilesystem, renderTarget, renderVolume, renderVolumeNode, uri } from '../render';
import { LCtx, ORIGIN, activeLocks, badPk, byIds, changeState, commandReply, jsonBody, pkSeq, seqColumn, statefulExtras } from './common';
import { STATEFUL_FIELDS } from './host';
import { parseFilesystem } from '../parse';
import { pyStr } from '../wire-json';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

function deviceColumns(ctx: LCtx): Record<string, Column> {
  return {
    id: { field: 'seq', type: 'int' },
    label: { field: 'name', type: 'string' },
    size: { field: 'sizeBytes', type: 'int' },
    path: { field: 'name', type: 'string' },
    host: seqColumn('hostId', ctx.services.hosts),
  };
}

/** category=usable|unused, host_id and filesystem_id: IML's extra volume parameters. */
async function deviceExtras(ctx: LCtx, params: URLSearchParams): Promise<Filter | TastypieReply> {
  const parts: Filter[] = [];
  const category = params.get('category');
  if (category !== null) {
    if (category !== 'usable' && category !== 'unused') return new TastypieReply(400);
    parts.push({ field: 'usedBytes', op: 'eq', value: 0 });
  }
  const hostId = params.get('host_id');
  if (hostId !== null) {
    const host = /^\d+$/.test(hostId) ? await ctx.services.hosts.findBySeq(Number(hostId)) : undefined;
    parts.push({ field: 'hostId', op: 'in', value: host ? [host.id] : [] });
  }
  const fsId = params.get('filesystem_id');
  if (fsId !== null) {
    const fs = /^\d+$/.test(fsId) ? await ctx.services.filesystems.findBySeq(Number(fsId)) : undefined;
    const targets = fs ? await filesystemTargets(ctx, fs) : [];
    parts.push({ field: 'id', op: 'in', value: targets.map((t) => t.deviceId) });
  }
  return { all: parts };
}

async function filesystemTargets(ctx: LCtx, fs: Filesystem): Promise<Target[]> {
  const any: Filter[] = [{ field: 'filesystemId', op: 'eq', value: fs.id }];
  if (fs.mgtId) any.push({ field: 'id', op: 'eq', value: fs.mgtId });
  return ctx.services.filesystems.targets.list({ filter: { any } });
}

async function renderVolumes(ctx: LCtx, devices: Device[], asNode = false) {
  const hosts = await byIds(ctx.services.hosts, devices.map((d) => d.hostId));
  const targets = devices.length ? await ctx.services.filesystems.targets.list({ filter: { field: 'deviceId', op: 'in', value: devices.map((d) => d.id) } }) : [];
  const byDevice = new Map(targets.map((t) => [t.deviceId, t]));
  return devices.map((d) => (asNode ? renderVolumeNode(ctx.base, d, hosts.get(d.hostId)) : renderVolume(ctx.base, d, hosts.get(d.hostId), byDevice.get(d.id))));
}

async function findBySeq<E>(find: (seq: number) => Promise<E | undefined>, pk: string): Promise<E | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return find(seq);
}

export const volumeResource: ResourceDef<LCtx> = {
  name: 'volume',
  fields: {
    filesystem_type: { type: 'string', nullable: true },
    id: ID,
    kind: { type: 'string', readonly: true },
    label: { type: 'string' },
    resource_uri: URI,
    size: { type: 'string', nullable: true },
    status: { type: 'string', readonly: true },
    storage_resource: { type: 'related', related: 'to_one', nullable: true, readonly: true },
    usable_for_lustre: { type: 'boolean', readonly: true },
    volume_nodes: { type: 'related', related: 'to_many', readonly: true },
  },
  filtering: { id: ['exact'], label: ['exact', 'endswith'] },
  ordering: ['label', 'size'],
  listAllowed: ['get'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const columns = deviceColumns(ctx);
    const extras = await deviceExtras(ctx, q.params);
    if (extras instanceof TastypieReply) throw extras;
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, extras] };
    const page = await ctx.services.devices.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderVolumes(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const d = await findBySeq((s) => ctx.services.devices.findBySeq(s), pk);
    return d ? (await renderVolumes(ctx, [d]))[0] : undefined;
  },
  async put(ctx, pk) {
    const d = await findBySeq((s) => ctx.services.devices.findBySeq(s), pk);
    if (!d) return new TastypieReply(404);
    const body = jsonBody(ctx);
    const nodes = Array.isArray(body.nodes) ? (body.nodes as Record<string, unknown>[]) : [];
    // A device is reached from one host here, so its one node is always primary and used.
    if (nodes.some((n) => n.id !== d.seq || n.primary === false || n.use === false)) {
      return new TastypieReply(400, 'Volume node changes are not possible: the volume has a single node', { 'Content-Type': 'text/html; charset=utf-8' });
    }
    return new TastypieReply(200, (await renderVolumes(ctx, [d]))[0]);
  },
};

export const volumeNodeResource: ResourceDef<LCtx> = {
  name: 'volume_node',
  fields: {
    host: { type: 'related', related: 'to_one' },
    host_id: { type: 'integer', readonly: true },
    host_label: { type: 'string', readonly: true },
    id: ID,
    path: { type: 'string' },
    primary: { type: 'boolean' },
    resource_uri: URI,
    use: { type: 'boolean' },
    volume_id: { type: 'integer', readonly: true },
  },
  filtering: { host: ['exact'], path: ['exact'] },
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    const columns = deviceColumns(ctx);
    const page = await ctx.services.devices.page({ filter: await compileFilters(q.filters, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderVolumes(ctx, page.items, true), total: page.total };
  },
  async detail(ctx, pk) {
    const d = await findBySeq((s) => ctx.services.devices.findBySeq(s), pk);
    return d ? (await renderVolumes(ctx, [d], true))[0] : undefined;
  },
};

export async function renderTargets(ctx: LCtx, targets: Target[]) {
  const locks = await activeLocks(ctx.services);
  const devices = await byIds(ctx.services.devices, targets.map((t) => t.deviceId));
  const hosts = await byIds(ctx.services.hosts, targets.flatMap((t) => [t.hostId, t.failoverHostId]));
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
          host: hosts.get(t.hostId),
          failover: t.failoverHostId ? hosts.get(t.failoverHostId) : undefined,
          filesystem: t.filesystemId ? filesystems.get(t.filesystemId) : undefined,
          served: served.filter((f) => f.mgtId === t.id),
        },
        await statefulExtras(ctx, 'target', t, locks),
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
      if (f.path[0] === 'immutable_state' && f.value === true) extra.push({ any: [] });
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
    if (body.state === undefined) return new TastypieReply(200, (await renderTargets(ctx, [t]))[0]);
    return changeState(ctx, 'target', t, t.state, body.state, body.dry_run === true);
  },
  async delete(ctx, pk) {
    const t = await findBySeq((s) => ctx.services.filesystems.targets.findBySeq(s), pk);
    if (!t) return new TastypieReply(404);
    const reply = await changeState(ctx, 'target', t, t.state, 'removed', false);
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
  const mgsHosts = await byIds(ctx.services.hosts, mgtList.map((t) => t.hostId));
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
        },
        await statefulExtras(ctx, 'filesystem', f, locks),
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
    if (body.state === undefined) return new TastypieReply(200, (await renderFilesystems(ctx, [f]))[0]);
    return changeState(ctx, 'filesystem', f, f.state, body.state, body.dry_run === true);
  },
  async delete(ctx, pk) {
    const f = await findBySeq((s) => ctx.services.filesystems.findBySeq(s), pk);
    if (!f) return new TastypieReply(404);
    const reply = await changeState(ctx, 'filesystem', f, f.state, 'removed', false);
    return reply.status === 400 ? new TastypieReply(400, { __all__: (reply.body as { state: string }).state }) : reply;
  },
};
