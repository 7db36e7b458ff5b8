import { Device, DeviceNode, Filter, Target } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, compileOrder } from '../tastypie';
import { PATH_NODE_BASE, nodeId, renderVolume, renderVolumeNode } from '../render';
import { LCtx, badPk, byIds, jsonBody, pkSeq, seqColumn } from './common';

const ID = { type: 'integer', readonly: true, unique: true } as const;
const URI = { type: 'string', readonly: true } as const;

/** Devices the hosts reach through path rows (shared LUNs): their nodes are those rows. */
async function sharedDeviceIds(ctx: LCtx): Promise<string[]> {
  return Object.keys(await ctx.services.lustre.devicePaths.countBy('deviceId'));
}

/** Device ids with a node on a host (optionally only primary or non-primary ones). */
async function devicesOnHost(ctx: LCtx, hostId: string, primary: boolean | null): Promise<Filter> {
  const paths = await ctx.services.lustre.devicePaths.list({
    filter: { all: [{ field: 'hostId', op: 'eq', value: hostId }, ...(primary === null ? [] : [{ field: 'primary', op: 'eq' as const, value: primary }])] },
  });
  const owned: Filter = { all: [{ field: 'hostId', op: 'eq', value: hostId }, { not: { field: 'id', op: 'in', value: await sharedDeviceIds(ctx) } }] };
  const viaPaths: Filter = { field: 'id', op: 'in', value: paths.map((p) => p.deviceId) };
  // An unshared device's one node is its owner's, and primary.
  return primary === false ? viaPaths : { any: [owned, viaPaths] };
}

/** category=usable|unused, host_id (with primary) and filesystem_id: IML's extra volume parameters. */
async function volumeExtras(ctx: LCtx, params: URLSearchParams): Promise<Filter> {
  const parts: Filter[] = [];
  const category = params.get('category');
  if (category !== null) {
    if (category !== 'usable' && category !== 'unused') throw new TastypieReply(400);
    parts.push({ field: 'usedBytes', op: 'eq', value: 0 });
  }
  const hostId = params.get('host_id');
  if (hostId !== null) {
    const host = /^\d+$/.test(hostId) ? await ctx.services.hosts.findBySeq(Number(hostId)) : undefined;
    const primary = params.get('primary');
    parts.push(host ? await devicesOnHost(ctx, host.id, primary === null ? null : ['true', 'True', '1'].includes(primary)) : { any: [] });
  }
  const fsId = params.get('filesystem_id');
  if (fsId !== null) {
    const fs = /^\d+$/.test(fsId) ? await ctx.services.filesystems.findBySeq(Number(fsId)) : undefined;
    const any: Filter[] = fs ? [{ field: 'filesystemId', op: 'eq', value: fs.id }, ...(fs.mgtId ? [{ field: 'id', op: 'eq' as const, value: fs.mgtId }] : [])] : [];
    const targets = any.length ? await ctx.services.filesystems.targets.list({ filter: { any } }) : [];
    parts.push({ field: 'id', op: 'in', value: targets.map((t) => t.deviceId) });
  }
  return { all: parts };
}

async function context(ctx: LCtx, devices: Device[]) {
  const nodes = await ctx.services.lustre.deviceNodes(devices);
  const hosts = await byIds(ctx.services.hosts, [...nodes.values()].flat().map((n) => n.hostId));
  return { nodes, hosts };
}

export async function renderVolumes(ctx: LCtx, devices: Device[]) {
  const { nodes, hosts } = await context(ctx, devices);
  const targets = devices.length ? await ctx.services.filesystems.targets.list({ filter: { field: 'deviceId', op: 'in', value: devices.map((d) => d.id) } }) : [];
  const byDevice = new Map<string, Target>(targets.map((t) => [t.deviceId, t]));
  return devices.map((d) => renderVolume(ctx.base, d, nodes.get(d.id)!, hosts, byDevice.get(d.id)));
}

async function findDevice(ctx: LCtx, pk: string): Promise<Device | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  return ctx.services.devices.findBySeq(seq);
}

export const volumeResource: ResourceDef<LCtx> = {
  name: 'volume',
  fields: {
    filesystem_type: { type: 'string', nullable: true },
    id: ID,
    kind: { type: 'string', help: "A human readable noun representing thetype of storage, e.g. 'Linux partition', 'LVM LV', 'iSCSI LUN'" },
    label: { type: 'string' },
    resource_uri: URI,
    size: { type: 'string', nullable: true },
    status: { type: 'string', help: 'A string representing the high-availability configuration status of the volume.' },
    storage_resource: { type: 'related', related: 'to_one', nullable: true, blank: true, help: 'The `storage_resource` corresponding to the device which this Volume represents' },
    usable_for_lustre: { type: 'boolean', readonly: true },
    volume_nodes: { type: 'related', related: 'to_many', nullable: true, help: 'Device nodes which point to this volume' },
  },
  filtering: { id: ['exact'], label: ['exact', 'endswith'] },
  ordering: ['label', 'size'],
  listAllowed: ['get'],
  detailAllowed: ['get', 'put'],
  async list(ctx, q) {
    const columns: Record<string, Column> = { id: { field: 'seq', type: 'int' }, label: { field: 'name', type: 'string' }, size: { field: 'sizeBytes', type: 'int' } };
    const filter = { all: [(await compileFilters(q.filters, columns)) ?? { all: [] }, await volumeExtras(ctx, q.params)] };
    const page = await ctx.services.devices.page({ filter, order: compileOrder(q.order, columns), limit: q.limit, offset: q.offset });
    return { objects: await renderVolumes(ctx, page.items), total: page.total };
  },
  async detail(ctx, pk) {
    const d = await findDevice(ctx, pk);
    return d ? (await renderVolumes(ctx, [d]))[0] : undefined;
  },
  /** IML's obj_update: set use/primary of the named nodes, clear the rest. */
  async put(ctx, pk) {
    const d = await findDevice(ctx, pk);
    if (!d) return new TastypieReply(404);
    const body = jsonBody(ctx);
    const nodes = (await ctx.services.lustre.deviceNodes([d])).get(d.id)!;
    const byWireId = new Map<number, DeviceNode>(nodes.map((n) => [nodeId(d, n), n]));
    const wanted = (Array.isArray(body.nodes) ? body.nodes : []).filter((n): n is Record<string, unknown> => Boolean(n) && typeof n === 'object');
    // Node ids that are not this volume's are passed over, as IML's id__in filter does.
    const flags = wanted
      .map((n) => ({ node: byWireId.get(Number(n.id)), primary: n.primary === true, use: n.use === true }))
      .filter((f): f is { node: DeviceNode; primary: boolean; use: boolean } => f.node !== undefined)
      .map((f) => ({ hostId: f.node.hostId, primary: f.primary, use: f.use }));
    try {
      await ctx.services.lustre.setDeviceNodes(d.id, flags);
    } catch (err) {
      const e = err as { code?: string; details?: { reason?: string } };
      // A volume in use trips an AssertionError in IML, which Django serves as a 500.
      if (e.code === 'CONFLICT') return new TastypieReply(500, { error_message: 'Sorry, this request could not be processed. Please try again later.' });
      if (e.details?.reason === 'across_clusters') {
        const hosts = await byIds(ctx.services.hosts, flags.map((f) => f.hostId));
        const message =
          `Attempt to set primary/secondary VolumeNodes across HA clusters for Volume ${d.seq}:${d.serial ?? d.name}\n` +
          `\nVolume Node Hosts ${[...hosts.values()].map((h) => h.name).join(', ')}\n`;
        return new TastypieReply(400, message, { 'Content-Type': 'text/html; charset=utf-8' });
      }
      if (e.details?.reason === 'multiple_primary') return new TastypieReply(400, 'Only one node can be identified as primary', { 'Content-Type': 'text/html; charset=utf-8' });
      throw err;
    }
    return new TastypieReply(200, (await renderVolumes(ctx, [d]))[0]);
  },
};

/** Nodes of unshared devices (one each, from the device row) then nodes stored as path rows. */
async function nodePage(ctx: LCtx, q: Parameters<NonNullable<ResourceDef<LCtx>['list']>>[1]) {
  const host = seqColumn('hostId', ctx.services.hosts);
  const unsharedFilter: Filter = {
    all: [(await compileFilters(q.filters, { host, path: { field: 'name', type: 'string' } })) ?? { all: [] }, { not: { field: 'id', op: 'in', value: await sharedDeviceIds(ctx) } }],
  };
  const pathFilter = await compileFilters(q.filters, { host, path: { field: 'path', type: 'string' } });
  const unsharedTotal = await ctx.services.devices.count(unsharedFilter);
  const pathTotal = await ctx.services.lustre.devicePaths.count(pathFilter);
  const devices = q.offset < unsharedTotal ? await ctx.services.devices.list({ filter: unsharedFilter, order: [{ field: 'seq', direction: 'asc' }], limit: q.limit, offset: q.offset }) : [];
  const room = q.limit - devices.length;
  const paths =
    room > 0 ? await ctx.services.lustre.devicePaths.list({ filter: pathFilter, order: [{ field: 'seq', direction: 'asc' }], limit: room, offset: Math.max(0, q.offset - unsharedTotal) }) : [];
  const owners = await byIds(ctx.services.devices, paths.map((p) => p.deviceId));
  const all = [...devices, ...owners.values()];
  const { nodes, hosts } = await context(ctx, all);
  const objects = [
    ...devices.map((d) => renderVolumeNode(ctx.base, d, nodes.get(d.id)![0], hosts.get(d.hostId))),
    ...paths.map((p) => {
      const d = owners.get(p.deviceId)!;
      const n = nodes.get(d.id)!.find((x) => x.pathSeq === p.seq)!;
      return renderVolumeNode(ctx.base, d, n, hosts.get(n.hostId));
    }),
  ];
  return { objects, total: unsharedTotal + pathTotal };
}

export const volumeNodeResource: ResourceDef<LCtx> = {
  name: 'volume_node',
  fields: {
    host: { type: 'related', related: 'to_one' },
    host_id: { type: 'integer' },
    host_label: { type: 'string' },
    id: ID,
    path: { type: 'string' },
    primary: { type: 'boolean', default: false },
    resource_uri: URI,
    use: { type: 'boolean', default: true },
    volume_id: { type: 'integer' },
  },
  filtering: { host: ['exact'], path: ['exact'] },
  listAllowed: ['get'],
  detailAllowed: ['get'],
  list: (ctx, q) => nodePage(ctx, q),
  async detail(ctx, pk) {
    const seq = pkSeq(pk);
    if (seq === undefined) throw badPk();
    if (seq >= PATH_NODE_BASE) {
      const path = await ctx.services.lustre.devicePaths.findBySeq(seq - PATH_NODE_BASE);
      const d = path && (await ctx.services.devices.find(path.deviceId));
      if (!path || !d) return undefined;
      const { nodes, hosts } = await context(ctx, [d]);
      const n = nodes.get(d.id)!.find((x) => x.pathSeq === path.seq)!;
      return renderVolumeNode(ctx.base, d, n, hosts.get(n.hostId));
    }
    const d = await ctx.services.devices.findBySeq(seq);
    if (!d) return undefined;
    const { nodes, hosts } = await context(ctx, [d]);
    const n = nodes.get(d.id)![0];
    // A shared device's nodes all live in path rows; its seq names no node.
    return n.pathSeq === null ? renderVolumeNode(ctx.base, d, n, hosts.get(n.hostId)) : undefined;
  },
};
