import { NewSite, Site } from '../model/site';
import { ServiceDeps } from './deps';
import { Reads, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';
import { eq } from '../ports/query';

export interface SiteService extends Reads<Site> {
  create(input: NewSite): Promise<Site>;
  remove(id: string): Promise<void>;
}

export function createSiteService({ store }: ServiceDeps): SiteService {
  return {
    ...readsOf(store, 'site', (r) => r.sites),
    async create(input) {
      new Checks().name(input.name).done();
      return store.transaction((tx) => tx.sites.insert(input));
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.sites, 'site', id);
        if ((await tx.clusters.count(eq('siteId', id))) + (await tx.hosts.count(eq('siteId', id))) > 0) {
          throw conflictHasChildren('site', id, 'clusters or hosts');
        }
        await tx.sites.delete(id);
      });
    },
  };
}
