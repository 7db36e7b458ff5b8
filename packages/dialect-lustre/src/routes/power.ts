import { Host } from '@rosetta/core';
import { Column, ResourceDef, TastypieReply, compileFilters, memoryPage, ok } from '../tastypie';
import { uri } from '../render';
import { LCtx, ORIGIN, badPk, commandReply, jsonBody, pkSeq, seqColumn } from './common';

/**
 * Power control is the hosts' IPMI: one power control type (IPMI over LAN), one device standing
 * for the BMCs, and one outlet per host that has a BMC address (outlet id = host id).
 * Switching an outlet powers the host off or on through a core job; a host powered off is down.
 */
const IPMI_TYPE = {
  agent: 'fence_ipmilan',
  default_options: 'lanplus=1',
  default_port: 623,
  id: 1,
  make: 'IPMI',
  max_outlets: 0,
  model: '2.0',
  monitor_template: '%(agent)s %(options)s -a %(address)s -u %(port)s -l %(username)s -p %(password)s -o monitor',
  name: 'IPMI 2.0',
  outlet_list_template: '',
  outlet_query_template: '%(agent)s %(options)s -a %(identifier)s -u %(port)s -l %(username)s -p %(password)s -o status',
  powercycle_template: '%(agent)s %(options)s -a %(identifier)s -u %(port)s -l %(username)s -p %(password)s -o reboot',
  poweroff_template: '%(agent)s %(options)s -a %(identifier)s -u %(port)s -l %(username)s -p %(password)s -o off',
  poweron_template: '%(agent)s %(options)s -a %(identifier)s -u %(port)s -l %(username)s -p %(password)s -o on',
};

const withBmc = { all: [{ field: 'lustreState', op: 'ne' as const, value: 'removed' }] };

function renderOutlet(base: string, h: Host) {
  return {
    device: uri(base, 'power_control_device', 1),
    has_power: h.power === 'on',
    host: uri(base, 'host', h.seq),
    id: h.seq,
    identifier: h.ipmi.address,
    resource_uri: uri(base, 'power_control_device_outlet', h.seq),
  };
}

async function bmcHosts(ctx: LCtx): Promise<Host[]> {
  return (await ctx.services.hosts.list({ filter: withBmc, order: [{ field: 'seq', direction: 'asc' }] })).filter((h) => h.ipmi.address);
}

const typeFields = Object.fromEntries(
  Object.entries(IPMI_TYPE).map(([k, v]) => [k, { type: typeof v === 'number' ? ('integer' as const) : ('string' as const), readonly: k === 'name' || k === 'id' }]),
);

export const powerControlTypeResource: ResourceDef<LCtx> = {
  name: 'power_control_type',
  fields: { ...typeFields, resource_uri: { type: 'string', readonly: true } },
  filtering: { make: ['exact'], name: ['exact'] },
  ordering: ['name', 'make', 'model'],
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put', 'delete'],
  list: async (ctx, q) => memoryPage([{ ...IPMI_TYPE, resource_uri: uri(ctx.base, 'power_control_type', 1) }], q),
  detail: async (ctx, pk) => (pk === '1' ? { ...IPMI_TYPE, resource_uri: uri(ctx.base, 'power_control_type', 1) } : pkSeq(pk) === undefined ? Promise.reject(badPk()) : undefined),
};

export const powerControlDeviceResource: ResourceDef<LCtx> = {
  name: 'power_control_device',
  fields: {
    address: { type: 'string' },
    device_type: { type: 'related', related: 'to_one' },
    id: { type: 'integer', readonly: true, unique: true },
    name: { type: 'string' },
    options: { type: 'string', nullable: true },
    outlets: { type: 'related', related: 'to_many', nullable: true },
    port: { type: 'integer' },
    resource_uri: { type: 'string', readonly: true },
    username: { type: 'string' },
  },
  filtering: { name: ['exact'] },
  ordering: ['name'],
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put', 'delete'],
  async list(ctx, q) {
    const device = await renderDevice(ctx);
    return memoryPage(device ? [device] : [], q);
  },
  async detail(ctx, pk) {
    if (pkSeq(pk) === undefined) throw badPk();
    return pk === '1' ? renderDevice(ctx) : undefined;
  },
};

async function renderDevice(ctx: LCtx) {
  const hosts = await bmcHosts(ctx);
  if (!hosts.length) return undefined;
  return {
    address: hosts[0].ipmi.address,
    device_type: { ...IPMI_TYPE, resource_uri: uri(ctx.base, 'power_control_type', 1) },
    id: 1,
    name: 'IPMI',
    options: IPMI_TYPE.default_options,
    outlets: hosts.map((h) => uri(ctx.base, 'power_control_device_outlet', h.seq)),
    port: IPMI_TYPE.default_port,
    resource_uri: uri(ctx.base, 'power_control_device', 1),
    username: hosts[0].ipmi.username ?? '',
  };
}

async function outletHost(ctx: LCtx, pk: string): Promise<Host | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const host = await ctx.services.hosts.findBySeq(seq);
  return host && host.ipmi.address && host.lustreState !== 'removed' ? host : undefined;
}

async function switchOutlet(ctx: LCtx, pk: string): Promise<TastypieReply> {
  const host = await outletHost(ctx, pk);
  if (!host) return new TastypieReply(404);
  const body = jsonBody(ctx);
  if (typeof body.has_power !== 'boolean') return ok(renderOutlet(ctx.base, host));
  if (body.has_power === (host.power === 'on')) return ok(renderOutlet(ctx.base, host));
  const job = await ctx.services.lustre.powerServer(host.id, body.has_power, ORIGIN);
  return commandReply(ctx, job, { power_control_device_outlet: renderOutlet(ctx.base, host) });
}

export const powerControlOutletResource: ResourceDef<LCtx> = {
  name: 'power_control_device_outlet',
  fields: {
    device: { type: 'related', related: 'to_one' },
    has_power: { type: 'boolean', nullable: true, help: 'Outlet power status (On, Off, Unknown)' },
    host: { type: 'related', related: 'to_one', nullable: true },
    id: { type: 'integer', readonly: true, unique: true },
    identifier: { type: 'string' },
    resource_uri: { type: 'string', readonly: true },
  },
  filtering: { host: ['exact'] },
  listAllowed: ['get', 'post'],
  detailAllowed: ['get', 'put', 'delete', 'patch'],
  async list(ctx, q) {
    const cols: Record<string, Column> = { host: seqColumn('id', ctx.services.hosts) };
    const filter = await compileFilters(q.filters, cols);
    const hosts = (await ctx.services.hosts.list({ filter: { all: [withBmc, filter ?? { all: [] }] }, order: [{ field: 'seq', direction: 'asc' }] })).filter((h) => h.ipmi.address);
    return { objects: hosts.slice(q.offset, q.offset + q.limit).map((h) => renderOutlet(ctx.base, h)), total: hosts.length };
  },
  async detail(ctx, pk) {
    const host = await outletHost(ctx, pk);
    return host && renderOutlet(ctx.base, host);
  },
  put: switchOutlet,
  patch: switchOutlet,
};
