import { CoreError, notFound } from '../errors';
import { ExternalStore, NewExternalStore } from '../model/external-store';
import { Job } from '../model/job';
import { and, eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { createJobService } from './job-service';
import { Reads, mustGet, readsOf } from './reads';
import { Checks } from './validate';
import { parkCredential } from './parked-credentials';

export const EXTERNAL_STORE_KINDS = ['StoreOnceOnPrem', 'StoreOnceCloud'];

export interface ExternalStoreService extends Reads<ExternalStore> {
  register(origin: string, input: Omit<NewExternalStore, 'id'>): Promise<Job>;
  unregister(origin: string, name: string, clusterId: string): Promise<Job>;
  updateCredentials(origin: string, name: string, credentials: { username: string; password: string; managementAddress?: string }): Promise<Job>;
}

const port = (c: Checks, value: number, field: string): Checks => c.require(Number.isInteger(value) && value > 0 && value < 65536, field, 'must be a TCP port');

/** Registering, unregistering and re-crediting a store are jobs: the appliance has to reach it first. */
export function createExternalStoreService(deps: ServiceDeps): ExternalStoreService {
  const { store, ids } = deps;
  const jobs = createJobService(deps);
  const park = (tx: Repositories, username: string, password: string): Promise<string> => parkCredential(tx, deps, username, password);
  const byName = async (name: string): Promise<ExternalStore | undefined> => (await store.repos.externalStores.list({ filter: eq('name', name), limit: 1 }))[0];
  return {
    ...readsOf(store, 'external_store', (r) => r.externalStores),
    async register(origin, input) {
      const c = new Checks().name(input.name).name(input.username, 'username').require(typeof input.password === 'string' && input.password.length > 0, 'password', 'is required');
      c.require(EXTERNAL_STORE_KINDS.includes(input.kind), 'type', `must be one of ${EXTERNAL_STORE_KINDS.join(', ')}`).name(input.managementAddress, 'management_ip');
      port(port(c, input.managementPort, 'management_port'), input.storagePort, 'storage_port').done('invalid external store');
      const id = ids.uuid();
      const job = await store.transaction(async (tx) => {
        await mustGet(tx.clusters, 'cluster', input.clusterId);
        if ((await tx.externalStores.count(eq('name', input.name))) > 0) {
          throw new CoreError('ALREADY_EXISTS', `external store ${input.name} already exists`, { kind: 'external_store', name: input.name });
        }
        const { username, password, ...rest } = input;
        const credentialId = await park(tx, username, password);
        return jobs.record(tx, { kind: 'external_store.register', origin, input: { ...rest, id, credentialId }, affected: [] });
      });
      return jobs.dispatch(job);
    },
    async unregister(origin, name, clusterId) {
      const found = (await store.repos.externalStores.list({ filter: and(eq('name', name), eq('clusterId', clusterId)), limit: 1 }))[0];
      if (!found) throw notFound('external_store', name);
      return jobs.start({ kind: 'external_store.unregister', origin, input: { externalStoreId: found.id }, affected: [] });
    },
    async updateCredentials(origin, name, credentials) {
      new Checks().name(credentials.username, 'username').require(credentials.password.length > 0, 'password', 'is required').done('invalid credentials');
      const found = await byName(name);
      if (!found) throw notFound('external_store', name);
      const { username, password, managementAddress } = credentials;
      const job = await store.transaction(async (tx) => {
        const credentialId = await park(tx, username, password);
        return jobs.record(tx, { kind: 'external_store.update_credentials', origin, input: { externalStoreId: found.id, managementAddress, credentialId }, affected: [] });
      });
      return jobs.dispatch(job);
    },
  };
}
