import { Host } from '@rosetta/core';
import { ALL_WITH_RELATIONS, Column, ResourceDef, compileFilters, compileOrder } from '../tastypie';
import { uri } from '../render';
import { naiveIso } from '../wire-json';
import { LCtx, activeLocks, badPk, pkSeq, seqColumn } from './common';
import { STATEFUL_FIELDS, hostResource } from './host';

/**
 * Corosync and Pacemaker run on every managed server (ids are the host's): started while the
 * host is up, stopped while it is down. Their state follows the host, so they offer no transitions
 * of their own and a state PUT is not implemented.
 */
const MANAGED = { all: [{ field: 'lustreState', op: 'in' as const, value: ['managed', 'working'] }] };
const CONTENT_TYPE = { corosync_configuration: 71, pacemaker_configuration: 72 } as const;

function columns(ctx: LCtx): Record<string, Column> {
  return {
    id: { field: 'seq', type: 'int' },
    host: seqColumn('id', ctx.services.hosts),
    host__id: { field: 'seq', type: 'int' },
    host__fqdn: { field: 'name', type: 'string' },
  };
}

function render(base: string, resource: keyof typeof CONTENT_TYPE, h: Host, write: number[]) {
  const state = h.state === 'down' ? 'stopped' : 'started';
  const common = {
    available_actions: [],
    available_jobs: [],
    available_transitions: [],
    content_type_id: CONTENT_TYPE[resource],
    host: uri(base, 'host', h.seq),
    id: h.seq,
    immutable_state: false,
    label: resource === 'corosync_configuration' ? 'Corosync configuration' : 'Pacemaker configuration',
    locks: { read: [], write },
    resource_uri: uri(base, resource, h.seq),
    state,
    state_modified_at: naiveIso(h.updatedAt),
  };
  if (resource === 'pacemaker_configuration') return common;
  return {
    ...common,
    corosync_reported_up: state === 'started',
    mcast_port: 4242 + (h.clusterId ? parseInt(h.clusterId.slice(0, 4), 16) % 1000 : 0),
    network_interfaces: [uri(base, 'network_interface', h.seq)],
    record_type: 'CorosyncConfiguration',
  };
}

function haConfig(resource: keyof typeof CONTENT_TYPE, extra: ResourceDef<LCtx>['fields']): ResourceDef<LCtx> {
  return {
    name: resource,
    fields: { ...STATEFUL_FIELDS, host: { type: 'related', related: 'to_one' }, id: { type: 'integer', readonly: true, unique: true }, resource_uri: { type: 'string', readonly: true }, ...extra },
    filtering: { host: ALL_WITH_RELATIONS, id: ['exact'] },
    relations: { host: { resource: () => hostResource } },
    listAllowed: ['get', 'put'],
    detailAllowed: ['get', 'put'],
    async list(ctx, q) {
      const cols = columns(ctx);
      const page = await ctx.services.hosts.page({ filter: { all: [MANAGED, (await compileFilters(q.filters, cols)) ?? { all: [] }] }, order: compileOrder(q.order, cols), limit: q.limit, offset: q.offset });
      const locks = await activeLocks(ctx.services);
      return { objects: page.items.map((h) => render(ctx.base, resource, h, locks.locks('host', h.id).write)), total: page.total };
    },
    async detail(ctx, pk) {
      const seq = pkSeq(pk);
      if (seq === undefined) throw badPk();
      const h = await ctx.services.hosts.findBySeq(seq);
      if (!h || !['managed', 'working'].includes(h.lustreState ?? 'managed')) return undefined;
      return render(ctx.base, resource, h, (await activeLocks(ctx.services)).locks('host', h.id).write);
    },
  };
}

export const corosyncConfigurationResource = haConfig('corosync_configuration', {
  corosync_reported_up: { type: 'boolean', readonly: true },
  mcast_port: { type: 'integer', nullable: true },
  network_interfaces: { type: 'related', related: 'to_many', nullable: true },
  record_type: { type: 'string', readonly: true },
});

export const pacemakerConfigurationResource = haConfig('pacemaker_configuration', {});
