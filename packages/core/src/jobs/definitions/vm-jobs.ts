import { CoreError } from '../../errors';
import { JobDefinition, StepContext } from '../job-definition';
import { mustGet, mustLock } from '../../services/reads';
import { adjustDatastoreUsage } from '../../services/datastore-service';
import { VmState } from '../../model/vm';

const vmId = (ctx: StepContext): string => String(ctx.job.input.vmId);

function setVmState(state: VmState) {
  return async (ctx: StepContext): Promise<void> => {
    await mustLock(ctx.tx.vms, 'vm', vmId(ctx));
    await ctx.tx.vms.update(vmId(ctx), { state });
  };
}

export const vmJobs = {
  'vm.power_on': {
    steps: [{ name: 'power on', seconds: 3, apply: setVmState('running') }],
  },
  'vm.power_off': {
    steps: [{ name: 'power off', seconds: 3, apply: setVmState('stopped') }],
  },
  'vm.move': {
    steps: [
      {
        name: 'migrate',
        seconds: 20,
        apply: async (ctx) => {
          const vm = await mustLock(ctx.tx.vms, 'vm', vmId(ctx));
          const hostId = ctx.job.input.hostId ? String(ctx.job.input.hostId) : vm.hostId;
          const datastoreId = ctx.job.input.datastoreId ? String(ctx.job.input.datastoreId) : vm.datastoreId;
          if (hostId) await mustGet(ctx.tx.hosts, 'host', hostId);
          if (datastoreId !== vm.datastoreId && vm.diskBytes > 0) {
            if (datastoreId) await adjustDatastoreUsage(ctx.tx, datastoreId, vm.diskBytes);
            if (vm.datastoreId) await adjustDatastoreUsage(ctx.tx, vm.datastoreId, -vm.diskBytes);
          }
          // OmniStack's move may also rename the VM it lands.
          const name = typeof ctx.job.input.name === 'string' && ctx.job.input.name.trim() ? ctx.job.input.name : undefined;
          await ctx.tx.vms.update(vm.id, { hostId, datastoreId, name });
        },
      },
    ],
  },
  'vm.clone': {
    steps: [
      {
        name: 'clone',
        seconds: 15,
        apply: async (ctx) => {
          const source = await mustGet(ctx.tx.vms, 'vm', vmId(ctx));
          const name = String(ctx.job.input.name ?? `${source.name}-clone`);
          if (!name.trim()) throw new CoreError('VALIDATION', 'clone name is empty', { fields: [{ field: 'name', problem: 'empty' }] });
          if (source.datastoreId && source.diskBytes > 0) await adjustDatastoreUsage(ctx.tx, source.datastoreId, source.diskBytes);
          const clone = await ctx.tx.vms.insert({
            id: ctx.ids.uuid(),
            name,
            hostId: source.hostId,
            datastoreId: source.datastoreId,
            policyId: source.policyId,
            state: 'stopped',
            cpuCount: source.cpuCount,
            memoryMb: source.memoryMb,
            diskBytes: source.diskBytes,
          });
          ctx.result.vmId = clone.id;
        },
      },
    ],
  },
} satisfies Record<string, JobDefinition>;
