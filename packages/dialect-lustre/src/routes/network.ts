import { Host } from '@rosetta/core';
import { ALL_WITH_RELATIONS, Column, ResourceDef, compileFilters, compileOrder } from '../tastypie';
import { renderNetworkInterface, renderNid } from '../render';
import { LCtx, badPk, pkSeq, seqColumn } from './common';
import { hostResource, renderHosts } from './host';

/** A server's one LNet interface and its NID come from its storage (else management) address; ids are the host's. */
const addressed = { all: [{ not: { field: 'lustreState', op: 'eq' as const, value: 'removed' } }, { any: [{ field: 'storageAddress', op: 'isnull' as const, value: false }, { field: 'managementAddress', op: 'isnull' as const, value: false }] }] };

function columns(ctx: LCtx): Record<string, Column> {
  return {
    id: { field: 'seq', type: 'int' },
    host: seqColumn('id', ctx.services.hosts),
    host__id: { field: 'seq', type: 'int' },
    host__fqdn: { field: 'name', type: 'string' },
    network_interface: { field: 'seq', type: 'int' },
    network_interface__id: { field: 'seq', type: 'int' },
    lnet_configuration: { field: 'seq', type: 'int' },
    lnet_configuration__id: { field: 'seq', type: 'int' },
  };
}

async function hostsFor(ctx: LCtx, pk: string): Promise<Host | undefined> {
  const seq = pkSeq(pk);
  if (seq === undefined) throw badPk();
  const host = await ctx.services.hosts.findBySeq(seq);
  return host && host.lustreState !== 'removed' && (host.storageAddress || host.managementAddress) ? host : undefined;
}

export const networkInterfaceResource: ResourceDef<LCtx> = {
  name: 'network_interface',
  fields: {
    host: { type: 'related', related: 'to_one' },
    id: { type: 'integer', readonly: true, unique: true },
    inet4_address: { type: 'string' },
    inet4_prefix: { type: 'integer' },
    lnd_types: { type: 'list' },
    name: { type: 'string' },
    nid: { type: 'related', related: 'to_one', nullable: true },
    resource_uri: { type: 'string', readonly: true },
    state_up: { type: 'boolean' },
    type: { type: 'string' },
  },
  filtering: { host: ALL_WITH_RELATIONS, id: ['exact'] },
  relations: { host: { resource: () => hostResource } },
  listAllowed: ['get'],
  detailAllowed: ['get'],
  async list(ctx, q) {
    const cols = columns(ctx);
    const page = await ctx.services.hosts.page({ filter: { all: [addressed, (await compileFilters(q.filters, cols)) ?? { all: [] }] }, order: compileOrder(q.order, cols), limit: q.limit, offset: q.offset });
    return { objects: page.items.map((h) => renderNetworkInterface(ctx.base, h)), total: page.total };
  },
  async detail(ctx, pk) {
    const host = await hostsFor(ctx, pk);
    return host && renderNetworkInterface(ctx.base, host);
  },
};

export const nidResource: ResourceDef<LCtx> = {
  name: 'nid',
  fields: {
    lnd_network: { type: 'integer', nullable: true },
    lnd_type: { type: 'string', nullable: true },
    lnet_configuration: { type: 'related', related: 'to_one' },
    network_interface: { type: 'related', related: 'to_one' },
    resource_uri: { type: 'string', readonly: true },
  },
  filtering: { id: ['exact'], lnet_configuration: ALL_WITH_RELATIONS, network_interface: ALL_WITH_RELATIONS },
  relations: { lnet_configuration: { resource: () => hostResource }, network_interface: { resource: () => networkInterfaceResource } },
  listAllowed: ['get', 'post', 'delete'],
  detailAllowed: ['get', 'post', 'put', 'delete'],
  async list(ctx, q) {
    const cols = columns(ctx);
    const page = await ctx.services.hosts.page({ filter: { all: [addressed, (await compileFilters(q.filters, cols)) ?? { all: [] }] }, order: compileOrder(q.order, cols), limit: q.limit, offset: q.offset });
    return { objects: page.items.map((h) => renderNid(ctx.base, h)), total: page.total };
  },
  async detail(ctx, pk) {
    const host = await hostsFor(ctx, pk);
    return host && renderNid(ctx.base, host);
  },
};

/** High-availability clusters are the domain's clusters; a server outside any cluster is a cluster of one. */
export const haClusterResource: ResourceDef<LCtx> = {
  name: 'ha_cluster',
  fields: { peers: { type: 'list' } },
  listAllowed: ['get'],
  detailAllowed: [],
  async list(ctx, q) {
    const hosts = await ctx.services.hosts.list({ filter: { not: { field: 'lustreState', op: 'eq', value: 'removed' } }, order: [{ field: 'seq', direction: 'asc' }] });
    const groups = new Map<string, Host[]>();
    for (const h of hosts) groups.set(h.clusterId ?? h.id, [...(groups.get(h.clusterId ?? h.id) ?? []), h]);
    const all = [...groups.values()];
    const page = all.slice(q.offset, q.offset + q.limit);
    const objects = [];
    for (const peers of page) objects.push({ peers: await renderHosts(ctx, peers) });
    return { objects, total: all.length };
  },
};
