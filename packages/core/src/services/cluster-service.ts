import { Cluster, ClusterPatch, NewCluster } from '../model/cluster';
import { eq } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';

export interface ClusterService extends Reads<Cluster> {
  create(input: NewCluster): Promise<Cluster>;
  update(id: string, patch: ClusterPatch): Promise<Cluster>;
  remove(id: string): Promise<void>;
}

export function createClusterService({ store }: ServiceDeps): ClusterService {
  return {
    ...readsOf(store, 'cluster', (r) => r.clusters),
    async create(input) {
      new Checks().name(input.name).done();
      return store.transaction(async (tx) => {
        await mustGet(tx.sites, 'site', input.siteId);
        return tx.clusters.insert(input);
      });
    },
    async update(id, patch) {
      if (patch.name !== undefined) new Checks().name(patch.name).done();
      return store.transaction(async (tx) => {
        await mustLock(tx.clusters, 'cluster', id);
        return tx.clusters.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.clusters, 'cluster', id);
        const children =
          (await tx.hosts.count(eq('clusterId', id))) +
          (await tx.volumes.count(eq('clusterId', id))) +
          (await tx.datastores.count(eq('clusterId', id)));
        if (children > 0) throw conflictHasChildren('cluster', id, 'hosts, volumes or datastores');
        await tx.clusters.delete(id);
      });
    },
  };
}
