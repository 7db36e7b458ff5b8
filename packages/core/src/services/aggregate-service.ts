import { CoreError } from '../errors';
import { HostAggregate, HostAggregatePatch, NewHostAggregate } from '../model/aggregate';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks } from './validate';

export interface AggregateService extends Reads<HostAggregate> {
  create(input: NewHostAggregate): Promise<HostAggregate>;
  update(id: string, patch: HostAggregatePatch): Promise<HostAggregate>;
  remove(id: string): Promise<void>;
  addHost(id: string, hostId: string): Promise<HostAggregate>;
  removeHost(id: string, hostId: string): Promise<HostAggregate>;
  /** Merges metadata: a null value deletes its key. */
  setMetadata(id: string, metadata: Record<string, string | null>): Promise<HostAggregate>;
}

export function createAggregateService({ store }: ServiceDeps): AggregateService {
  return {
    ...readsOf(store, 'aggregate', (r) => r.aggregates),
    async create(input) {
      new Checks().name(input.name).done('invalid aggregate');
      return store.transaction((tx) => tx.aggregates.insert(input));
    },
    async update(id, patch) {
      return store.transaction(async (tx) => {
        await mustLock(tx.aggregates, 'aggregate', id);
        return tx.aggregates.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        if (aggregate.hostIds.length > 0) {
          throw new CoreError('CONFLICT', `aggregate ${id} still has hosts`, { kind: 'aggregate', id, reason: 'has_children' });
        }
        await tx.aggregates.delete(id);
      });
    },
    async addHost(id, hostId) {
      return store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        await mustGet(tx.hosts, 'host', hostId);
        if (aggregate.hostIds.includes(hostId)) {
          throw new CoreError('ALREADY_EXISTS', `host ${hostId} is already in aggregate ${id}`, { kind: 'aggregate_host', id, name: hostId });
        }
        await tx.aggregates.addHost(id, hostId);
        return mustGet(tx.aggregates, 'aggregate', id);
      });
    },
    async removeHost(id, hostId) {
      return store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        if (!aggregate.hostIds.includes(hostId)) {
          throw new CoreError('NOT_FOUND', `host ${hostId} is not in aggregate ${id}`, { kind: 'aggregate_host', id, name: hostId });
        }
        await tx.aggregates.removeHost(id, hostId);
        return mustGet(tx.aggregates, 'aggregate', id);
      });
    },
    async setMetadata(id, metadata) {
      return store.transaction(async (tx) => {
        const aggregate = await mustLock(tx.aggregates, 'aggregate', id);
        const merged: Record<string, string> = { ...aggregate.metadata };
        for (const [key, value] of Object.entries(metadata)) {
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        return tx.aggregates.update(id, { metadata: merged });
      });
    },
  };
}
