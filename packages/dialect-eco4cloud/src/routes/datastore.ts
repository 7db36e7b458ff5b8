import { Filter } from '@rosetta/core';
import { Resource } from './resource';
import { BY_SEQ, allOf, byIds, idIn, idsNamed, nameIs } from './lookup';
import { renderDatastore } from '../render';

/** Datastores are read-only in the appliance's API: no set. */
export const datastore: Resource = {
  filters: ['name', 'cluster_name', 'host_name'],
  async list(services, filters, paging) {
    const conditions: Filter[] = [];
    const name = filters.get('name');
    if (name !== undefined) conditions.push(nameIs(name));
    const clusterName = filters.get('cluster_name');
    if (clusterName !== undefined) conditions.push(idIn('clusterId', await idsNamed(services.clusters, clusterName)));
    const hostName = filters.get('host_name');
    if (hostName !== undefined) {
      // A host sees the datastores of its cluster.
      const hosts = await services.hosts.list({ filter: nameIs(hostName) });
      conditions.push(idIn('clusterId', hosts.map((h) => h.clusterId).filter((id): id is string => id !== null)));
    }
    const datastores = await services.datastores.list({ filter: allOf(conditions), order: BY_SEQ, ...paging });
    const clusters = await byIds(services.clusters, datastores.map((d) => d.clusterId));
    const [sites, perf] = await Promise.all([
      byIds(services.sites, [...clusters.values()].map((c) => c.siteId)),
      services.consolidation.datastorePerformance(datastores),
    ]);
    return datastores.map((d) => {
      const c = clusters.get(d.clusterId);
      return renderDatastore(d, c ? sites.get(c.siteId) : undefined, perf.get(d.id)!);
    });
  },
};
