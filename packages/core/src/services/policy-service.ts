import { NewPolicy, Policy, PolicyPatch } from '../model/policy';
import { eq } from '../ports/query';
import { ServiceDeps } from './deps';
import { Reads, mustLock, readsOf } from './reads';
import { Checks, conflictHasChildren } from './validate';

export interface PolicyService extends Reads<Policy> {
  create(input: NewPolicy): Promise<Policy>;
  update(id: string, patch: PolicyPatch): Promise<Policy>;
  remove(id: string): Promise<void>;
}

export function createPolicyService({ store }: ServiceDeps): PolicyService {
  return {
    ...readsOf(store, 'policy', (r) => r.policies),
    async create(input) {
      new Checks().name(input.name).done('invalid policy');
      return store.transaction((tx) => tx.policies.insert(input));
    },
    async update(id, patch) {
      if (patch.name !== undefined) new Checks().name(patch.name).done();
      return store.transaction(async (tx) => {
        await mustLock(tx.policies, 'policy', id);
        return tx.policies.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.policies, 'policy', id);
        const users = (await tx.vms.count(eq('policyId', id))) + (await tx.datastores.count(eq('policyId', id)));
        if (users > 0) throw conflictHasChildren('policy', id, 'VMs or datastores using it');
        await tx.policies.delete(id);
      });
    },
  };
}
