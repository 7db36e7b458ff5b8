import { Filter, Services, Vm, VmDetails } from '@rosetta/core';
import { Paging, Resource } from './resource';
import { BY_SEQ, allOf, idIn, nameIs, sameName } from './lookup';
import { renderVm } from '../render';

async function listed(services: Services, filter: Filter | undefined, paging: Paging): Promise<{ vms: Vm[] } & VmDetails> {
  const vms = await services.vms.list({ filter, order: BY_SEQ, ...paging });
  return { vms, ...(await services.consolidation.vmDetails(vms)) };
}

function render({ vms, hosts, clusters, sites, settings, performance }: { vms: Vm[] } & VmDetails): Record<string, unknown>[] {
  return vms.map((v) => {
    const h = v.hostId ? hosts.get(v.hostId) : undefined;
    return renderVm(v, h, h?.clusterId ? clusters.get(h.clusterId) : undefined, h ? sites.get(h.siteId) : undefined, settings.get(v.id)!, performance.get(v.id)!);
  });
}

/** Rendered unfiltered pages per state of the VMs (about 10 KB each, at most MEMO_PAGES of them). */
const pages = new WeakMap<object, Map<string, Record<string, unknown>[]>>();
const MEMO_PAGES = 1000;

export const vm: Resource = {
  filters: ['name', 'cluster_name', 'host_name'],
  async list(services, filters, paging) {
    const conditions: Filter[] = [];
    const name = filters.get('name');
    if (name !== undefined) conditions.push(nameIs(name));
    const hostName = filters.get('host_name');
    const clusterName = filters.get('cluster_name');
    if (hostName !== undefined || clusterName !== undefined) {
      // Hosts and clusters come from the cached directory (details of no VMs: no load is read).
      const { hosts, clusters } = await services.consolidation.vmDetails([]);
      const hostIds = [...hosts.values()]
        .filter(
          (h) =>
            (hostName === undefined || sameName(h.name, hostName)) &&
            (clusterName === undefined || (h.clusterId !== null && sameName(clusters.get(h.clusterId)?.name, clusterName))),
        )
        .map((h) => h.id);
      conditions.push(idIn('hostId', hostIds));
    }
    const filter = allOf(conditions);
    if (filter !== undefined || paging.limit === undefined) return render(await listed(services, filter, paging));
    // Unfiltered pages (what a client walking the inventory asks for): no deep OFFSET scan, and a
    // page asked for again before anything changes is served as already rendered.
    const pager = await services.consolidation.vmPager();
    let memo = pages.get(pager.version);
    if (!memo) pages.set(pager.version, (memo = new Map()));
    const key = `${paging.offset ?? 0}:${paging.limit}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const rows = render(await pager.page(paging));
    if (memo.size < MEMO_PAGES) memo.set(key, rows);
    return rows;
  },
  set: {
    kind: 'vm',
    settable: {
      migration_enabled: { field: 'migrationEnabled', type: 'boolean' },
      cluster_migration_enabled: { field: 'clusterMigrationEnabled', type: 'boolean' },
    },
    readable: [
      'name',
      'uuid',
      'operating_system',
      'assigned_cores',
      'assigned_memory_mb',
      'migration_enabled',
      'cluster_migration_enabled',
      'host',
      'cluster',
      'farm',
      'performance',
    ],
  },
};
