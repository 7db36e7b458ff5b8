import { Filter } from '@rosetta/core';
import { Resource } from './resource';
import { BY_SEQ, allOf, byIds, idIn, idsNamed, nameIs } from './lookup';
import { renderHost } from '../render';

export const host: Resource = {
  filters: ['name', 'cluster_name'],
  async list(services, filters, paging) {
    const conditions: Filter[] = [];
    const name = filters.get('name');
    if (name !== undefined) conditions.push(nameIs(name));
    const clusterName = filters.get('cluster_name');
    if (clusterName !== undefined) conditions.push(idIn('clusterId', await idsNamed(services.clusters, clusterName)));
    const hosts = await services.hosts.list({ filter: allOf(conditions), order: BY_SEQ, ...paging });
    const [clusters, sites, settings, perf] = await Promise.all([
      byIds(services.clusters, hosts.map((h) => h.clusterId)),
      byIds(services.sites, hosts.map((h) => h.siteId)),
      services.consolidation.hosts(hosts),
      services.consolidation.hostPerformance(hosts),
    ]);
    return hosts.map((h) => renderHost(h, h.clusterId ? clusters.get(h.clusterId) : undefined, sites.get(h.siteId), settings.get(h.id)!, perf.get(h.id)!));
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
