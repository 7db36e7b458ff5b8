import { CoreError } from '../errors';
import { Host, HostPatch, NewHost } from '../model/host';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { lustreHostStateChanged } from './lustre-outage';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';

export interface HostService extends Reads<Host> {
  create(input: NewHost): Promise<Host>;
  update(id: string, patch: HostPatch): Promise<Host>;
  remove(id: string): Promise<void>;
}

/** A host belongs to at most one cluster, and only to a cluster of its own site. */
async function checkCluster(tx: Repositories, siteId: string, clusterId: string | null | undefined): Promise<void> {
  if (!clusterId) return;
  const cluster = await mustGet(tx.clusters, 'cluster', clusterId);
  if (cluster.siteId !== siteId) {
    throw new CoreError('CONFLICT', `cluster ${clusterId} belongs to another site`, { kind: 'cluster', id: clusterId, reason: 'other_site' });
  }
}

function checkHostFields(input: Partial<NewHost>, creating: boolean): void {
  const checks = new Checks();
  if (creating || input.name !== undefined) checks.name(input.name);
  for (const field of ['cpuCores', 'cpuMhz', 'memoryMb', 'powerIdleWatts', 'powerMaxWatts', 'zone'] as const) {
    if (input[field] !== undefined) checks.nonNegativeInt(input[field], field);
  }
  checks.done('invalid host');
}

export function createHostService({ store }: ServiceDeps): HostService {
  return {
    ...readsOf(store, 'host', (r) => r.hosts),
    async create(input) {
      checkHostFields(input, true);
      return store.transaction(async (tx) => {
        await mustGet(tx.sites, 'site', input.siteId);
        await checkCluster(tx, input.siteId, input.clusterId);
        return tx.hosts.insert(input);
      });
    },
    async update(id, patch) {
      checkHostFields(patch, false);
      return store.transaction(async (tx) => {
        const host = await mustLock(tx.hosts, 'host', id);
        if (patch.clusterId !== undefined) await checkCluster(tx, host.siteId, patch.clusterId);
        const updated = await tx.hosts.update(id, patch);
        if (patch.state) await lustreHostStateChanged(tx, id, host.state, patch.state);
        return updated;
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.hosts, 'host', id);
        const children = (await tx.devices.count(eq('hostId', id))) + (await tx.vms.count(eq('hostId', id)));
        if (children > 0) throw conflictHasChildren('host', id, 'devices or VMs');
        await tx.hosts.delete(id);
      });
    },
  };
}
