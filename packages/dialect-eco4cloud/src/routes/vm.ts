import { Filter, Services, Vm, VmDetails } from '@rosetta/core';
import { StampedCache } from '@rosetta/http';
import { Paging, Resource } from './resource';
import { BY_SEQ, allOf, idIn, nameIs, sameName } from './lookup';
import { ENVELOPES, renderVm } from '../render';

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

/**
 * Encoded unfiltered pages (about 10 KB each) per state of the data they show, in the shared
 * byte-bounded cache (32 MiB: every page of 50,000 VMs), one per domain (services), since stamps
 * are only comparable within one database.
 */
const pageCaches = new WeakMap<Services, StampedCache>();
const pageCache = (services: Services): StampedCache => {
  let cache = pageCaches.get(services);
  if (!cache) pageCaches.set(services, (cache = new StampedCache()));
  return cache;
};

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
    // Unfiltered pages come from the pager: no deep OFFSET scan.
    return render(await (await services.consolidation.vmPager()).page(paging));
  },
  async cachedBody(services, filters, paging) {
    // Unfiltered pages (what a client walking the inventory asks for): a page asked for again
    // before anything it shows changes is served as already encoded.
    if (filters.size > 0 || paging.limit === undefined) return undefined;
    const pager = await services.consolidation.vmPager();
    return pageCache(services).get(`${paging.offset ?? 0}:${paging.limit}`, pager.key, async () =>
      Buffer.from(JSON.stringify({ [ENVELOPES.Vm]: render(await pager.page(paging)) })),
    );
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
