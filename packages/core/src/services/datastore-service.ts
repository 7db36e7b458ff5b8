import { CoreError } from '../errors';
import { Datastore, DatastorePatch, NewDatastore, datastoreFreeBytes } from '../model/datastore';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';

export interface DatastoreService extends Reads<Datastore> {
  create(input: NewDatastore): Promise<Datastore>;
  update(id: string, patch: DatastorePatch): Promise<Datastore>;
  remove(id: string): Promise<void>;
}

export async function adjustDatastoreUsage(tx: Repositories, id: string, deltaBytes: number): Promise<void> {
  if (await tx.datastores.adjustUsed(id, deltaBytes)) return;
  const ds = await mustGet(tx.datastores, 'datastore', id);
  throw new CoreError('CAPACITY', `datastore ${ds.name} has ${datastoreFreeBytes(ds)} bytes free, ${deltaBytes} requested`, {
    kind: 'datastore',
    id,
    requested: deltaBytes,
    available: datastoreFreeBytes(ds),
  });
}

export function createDatastoreService({ store }: ServiceDeps): DatastoreService {
  return {
    ...readsOf(store, 'datastore', (r) => r.datastores),
    async create(input) {
      new Checks().name(input.name).positiveInt(input.capacityBytes, 'capacityBytes').done('invalid datastore');
      return store.transaction(async (tx) => {
        await mustGet(tx.clusters, 'cluster', input.clusterId);
        if (input.policyId) await mustGet(tx.policies, 'policy', input.policyId);
        return tx.datastores.insert(input);
      });
    },
    async update(id, patch) {
      if (patch.name !== undefined) new Checks().name(patch.name).done();
      return store.transaction(async (tx) => {
        const ds = await mustLock(tx.datastores, 'datastore', id);
        if (patch.capacityBytes !== undefined && patch.capacityBytes < ds.usedBytes) {
          throw new CoreError('CAPACITY', `datastore ${ds.name} uses more than ${patch.capacityBytes} bytes`, { kind: 'datastore', id });
        }
        if (patch.policyId) await mustGet(tx.policies, 'policy', patch.policyId);
        return tx.datastores.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.datastores, 'datastore', id);
        if ((await tx.vms.count(eq('datastoreId', id))) > 0) throw conflictHasChildren('datastore', id, 'VMs');
        await tx.datastores.delete(id);
      });
    },
  };
}
