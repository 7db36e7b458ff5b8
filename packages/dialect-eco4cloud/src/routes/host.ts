import { ConsolidationInventory } from '@rosetta/core';
import { Resource } from './resource';
import { sameName } from './lookup';
import { renderHost } from '../render';

/** Rendered rows per inventory state and query: a client polling Host/get re-renders nothing. */
const rendered = new WeakMap<ConsolidationInventory, Map<string, Record<string, unknown>[]>>();
const MEMO_QUERIES = 64;

export const host: Resource = {
  filters: ['name', 'cluster_name'],
  async list(services, filters, paging) {
    // The inventory holds every host with its settings and sample, cached until something changes,
    // so filtering and paging the 1,000 hosts of a large farm costs no query.
    const inv = await services.consolidation.inventory();
    const name = filters.get('name');
    const clusterName = filters.get('cluster_name');
    const key = JSON.stringify([name, clusterName, paging.offset, paging.limit]);
    let memo = rendered.get(inv);
    if (!memo) rendered.set(inv, (memo = new Map()));
    const hit = memo.get(key);
    if (hit) return hit;
    const hosts = inv.hosts.filter(
      (h) =>
        (name === undefined || sameName(h.name, name)) &&
        (clusterName === undefined || (h.clusterId !== null && sameName(inv.clusters.get(h.clusterId)?.name, clusterName))),
    );
    const start = paging.offset ?? 0;
    const page = paging.limit === undefined ? hosts.slice(start) : hosts.slice(start, start + paging.limit);
    const rows = page.map((h) =>
      renderHost(h, h.clusterId ? inv.clusters.get(h.clusterId) : undefined, inv.sites.get(h.siteId), inv.hostSettings.get(h.id)!, inv.hostPerformance.get(h.id)!),
    );
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
