import { Filter } from '@rosetta/core';
import { Resource } from './resource';
import { BY_SEQ, allOf, byIds, idIn, idsNamed, nameIs } from './lookup';
import { renderVm } from '../render';

export const vm: Resource = {
  filters: ['name', 'cluster_name', 'host_name'],
  async list(services, filters, paging) {
    const conditions: Filter[] = [];
    const name = filters.get('name');
    if (name !== undefined) conditions.push(nameIs(name));
    const hostName = filters.get('host_name');
    if (hostName !== undefined) conditions.push(idIn('hostId', await idsNamed(services.hosts, hostName)));
    const clusterName = filters.get('cluster_name');
    if (clusterName !== undefined) {
      const clusterIds = await idsNamed(services.clusters, clusterName);
      const hostIds = clusterIds.length ? (await services.hosts.list({ filter: idIn('clusterId', clusterIds) })).map((h) => h.id) : [];
      conditions.push(idIn('hostId', hostIds));
    }
    const vms = await services.vms.list({ filter: allOf(conditions), order: BY_SEQ, ...paging });
    const hosts = await byIds(services.hosts, vms.map((v) => v.hostId));
    const [clusters, sites, settings, perf] = await Promise.all([
      byIds(services.clusters, [...hosts.values()].map((h) => h.clusterId)),
      byIds(services.sites, [...hosts.values()].map((h) => h.siteId)),
      services.consolidation.vms(vms.map((v) => v.id)),
      services.consolidation.vmPerformance(vms),
    ]);
    return vms.map((v) => {
      const h = v.hostId ? hosts.get(v.hostId) : undefined;
      return renderVm(v, h, h?.clusterId ? clusters.get(h.clusterId) : undefined, h ? sites.get(h.siteId) : undefined, settings.get(v.id)!, perf.get(v.id)!);
    });
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
