import { Filter } from '@rosetta/core';
import { Resource } from './resource';
import { BY_SEQ, allOf, byIds, idIn, idsNamed, nameIs } from './lookup';
import { renderCluster } from '../render';

export const cluster: Resource = {
  filters: ['name', 'farm_name'],
  async list(services, filters, paging) {
    const conditions: Filter[] = [];
    const name = filters.get('name');
    if (name !== undefined) conditions.push(nameIs(name));
    const farmName = filters.get('farm_name');
    if (farmName !== undefined) conditions.push(idIn('siteId', await idsNamed(services.sites, farmName)));
    const clusters = await services.clusters.list({ filter: allOf(conditions), order: BY_SEQ, ...paging });
    const [sites, settings] = await Promise.all([byIds(services.sites, clusters.map((c) => c.siteId)), services.consolidation.clusters(clusters)]);
    return clusters.map((c) => renderCluster(c, sites.get(c.siteId), settings.get(c.id)!));
  },
  set: {
    kind: 'cluster',
    settable: {
      servers_always_on: { field: 'serversAlwaysOn', type: 'int' },
      consolidation_enabled: { field: 'consolidationOn', type: 'boolean' },
      power_off_min_uptime: { field: 'powerOffMinUptime', type: 'int' },
      power_on_min_downtime: { field: 'powerOnMinDowntime', type: 'int' },
      drs_mode: { field: 'drsMode', type: 'string' },
    },
    readable: ['name', 'uuid', 'servers_always_on', 'consolidation_enabled', 'farm', 'power_off_min_uptime', 'power_on_min_downtime', 'drs_mode'],
  },
};
