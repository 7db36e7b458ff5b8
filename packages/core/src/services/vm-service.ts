import { Vm, NewVm, VmPatch } from '../model/vm';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks } from './validate';
import { adjustDatastoreUsage } from './datastore-service';

export interface VmService extends Reads<Vm> {
  /** Places a VM: its disk is taken from its datastore's free space. */
  create(input: NewVm): Promise<Vm>;
  update(id: string, patch: VmPatch): Promise<Vm>;
  remove(id: string): Promise<void>;
  /** Which VMs (of these, or all) have a guest account for VSS backups: never the secret itself. */
  guestAccounts(vmIds?: string[]): Promise<GuestAccountState[]>;
}

export interface GuestAccountState {
  /** The VM's id. */
  id: string;
  /** Saved without logging in to the guest first (override_guest_validation). */
  overrideValidation: boolean;
  appAwareType: string | null;
}

export function createVmService({ store }: ServiceDeps): VmService {
  return {
    ...readsOf(store, 'vm', (r) => r.vms),
    async create(input) {
      const checks = new Checks().name(input.name);
      if (input.diskBytes !== undefined) checks.nonNegativeInt(input.diskBytes, 'diskBytes');
      checks.done('invalid vm');
      return store.transaction(async (tx) => {
        if (input.hostId) await mustGet(tx.hosts, 'host', input.hostId);
        if (input.policyId) await mustGet(tx.policies, 'policy', input.policyId);
        if (input.datastoreId && input.diskBytes) await adjustDatastoreUsage(tx, input.datastoreId, input.diskBytes);
        else if (input.datastoreId) await mustGet(tx.datastores, 'datastore', input.datastoreId);
        return tx.vms.insert(input);
      });
    },
    async update(id, patch) {
      if (patch.name !== undefined) new Checks().name(patch.name).done();
      return store.transaction(async (tx) => {
        const vm = await mustLock(tx.vms, 'vm', id);
        if (patch.hostId) await mustGet(tx.hosts, 'host', patch.hostId);
        if (patch.policyId) await mustGet(tx.policies, 'policy', patch.policyId);
        if (patch.datastoreId !== undefined && patch.datastoreId !== vm.datastoreId && vm.diskBytes > 0) {
          if (patch.datastoreId) await adjustDatastoreUsage(tx, patch.datastoreId, vm.diskBytes);
          if (vm.datastoreId) await adjustDatastoreUsage(tx, vm.datastoreId, -vm.diskBytes);
        }
        return tx.vms.update(id, patch);
      });
    },
    async guestAccounts(vmIds) {
      const rows = await store.repos.guestCredentials.list(vmIds ? { filter: { field: 'id', op: 'in', value: vmIds } } : undefined);
      return rows.map((r) => ({ id: r.id, overrideValidation: r.overrideValidation, appAwareType: r.appAwareType }));
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        const vm = await mustLock(tx.vms, 'vm', id);
        if (vm.datastoreId && vm.diskBytes > 0) await adjustDatastoreUsage(tx, vm.datastoreId, -vm.diskBytes);
        await tx.vms.delete(id);
      });
    },
  };
}
