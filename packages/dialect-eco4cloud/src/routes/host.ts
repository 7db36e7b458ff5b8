import { ConsolidationInventory, Filter } from '@rosetta/core';
import { Resource } from './resource';
import { BY_SEQ, allOf, idIn, idsNamed, nameIs } from './lookup';
import { renderHost } from '../render';

/** Rendered rows per inventory state and query: a client polling Host/get re-renders nothing. */
const rendered = new WeakMap<ConsolidationInventory, Map<string, Record<string, unknown>[]>>();
const MEMO_QUERIES = 64;

export const host: Resource = {
  filters: ['name', 'cluster_name'],
  async list(services, filters, paging) {
    // Settings and samples come from the inventory, cached until something changes; which hosts
    // make the page is decided in SQL, as for every other list.
    const inv = await services.consolidation.inventory();
    const name = filters.get('name');
    const clusterName = filters.get('cluster_name');
    const key = JSON.stringify([name, clusterName, paging.offset, paging.limit]);
    let memo = rendered.get(inv);
    if (!memo) rendered.set(inv, (memo = new Map()));
    const hit = memo.get(key);
    if (hit) return hit;
    const conditions: Filter[] = [];
    if (name !== undefined) conditions.push(nameIs(name));
    if (clusterName !== undefined) conditions.push(idIn('clusterId', await idsNamed(services.clusters, clusterName)));
    const page = await services.hosts.list({ filter: allOf(conditions), order: BY_SEQ, ...paging });
    // A host created after the inventory was read shows from the next request on (the inventory's
    // change stamp has moved by then).
    const rows = page
      .map((row) => inv.hostsById.get(row.id))
      .filter((h) => h !== undefined)
      .map((h) => renderHost(h, h.clusterId ? inv.clusters.get(h.clusterId) : undefined, inv.sites.get(h.siteId), inv.hostSettings.get(h.id)!, inv.hostPerformance.get(h.id)!));
    if (memo.size < MEMO_QUERIES) memo.set(key, rows);
    return rows;
  },
  set: {
    kind: 'host',
    settable: {
      standby_enabled: { field: 'standbyEnabled', type: 'boolean' },
      power_off_min_uptime: { field: 'powerOffMinUptime', type: 'int' },
      power_on_min_downtime: { field: 'powerOnMinDowntime', type: 'int' },
    },
    readable: [
      'name',
      'uuid',
      'powered_on',
      'cpu_frequency',
      'cpu_cores',
      'ram_mb',
      'bandwidth',
      'standby_enabled',
      'cluster',
      'farm',
      'power_off_min_uptime',
      'power_on_min_downtime',
      'ipmi_ip',
      'ipmi_username',
      'ipmi_password',
      'performance',
    ],
  },
};
