import { CoreError } from '../../errors';
import { JobDefinition, StepContext } from '../job-definition';
import { mustGet, mustLock } from '../../services/reads';
import { CPU_ALLOCATION_RATIO, NO_VALID_HOST, candidateHosts } from '../../services/placement-service';
import { Host } from '../../model/host';
import { Vm } from '../../model/vm';

const vmId = (ctx: StepContext): string => String(ctx.job.input.vmId);

/**
 * Takes the first candidate that still has room once locked: the row lock serialises schedulers
 * choosing the same host, and the recount sees VMs placed by the one that went first.
 */
async function claimHost(ctx: StepContext, candidates: Host[], vm: Vm): Promise<Host | undefined> {
  for (const candidate of candidates) {
    const host = await mustLock(ctx.tx.hosts, 'host', candidate.id);
    const [used] = await ctx.tx.vms.totalsByHost([host.id]);
    const memory = (used?.memoryMb ?? 0) + vm.memoryMb;
    const cpus = (used?.cpuCount ?? 0) + vm.cpuCount;
    if (memory <= host.memoryMb && cpus <= host.cpuCores * CPU_ALLOCATION_RATIO) return host;
  }
  return undefined;
}

/**
 * Building a requested VM: schedule it onto a host of its zone with room for it, then start it.
 * A failed schedule is written on the VM (its build fault) in the schedule step, so it survives
 * the job's failure; the spawn step then ends the job as failed with CAPACITY.
 */
export const placementJobs = {
  // A guest reboot leaves the VM running whatever it was before (a hard reboot also starts a stopped one).
  'vm.reboot': {
    steps: [
      {
        name: 'reboot',
        seconds: 3,
        apply: async (ctx) => {
          await mustLock(ctx.tx.vms, 'vm', vmId(ctx));
          await ctx.tx.vms.update(vmId(ctx), { state: 'running' });
        },
      },
    ],
  },
  'vm.create': {
    steps: [
      {
        name: 'schedule',
        seconds: 2,
        apply: async (ctx) => {
          const vm = await mustLock(ctx.tx.vms, 'vm', vmId(ctx));
          if (!vm.build || vm.build.state !== 'building' || vm.hostId) return;
          const host = vm.build.forcedHostId
            ? await mustGet(ctx.tx.hosts, 'host', vm.build.forcedHostId)
            : await claimHost(ctx, await candidateHosts(ctx.tx, { zone: vm.build.zone, cpuCount: vm.cpuCount, memoryMb: vm.memoryMb }), vm);
          if (!host) {
            await ctx.tx.vms.update(vm.id, { build: { ...vm.build, state: 'failed', fault: NO_VALID_HOST } });
            return;
          }
          await ctx.tx.vms.update(vm.id, { hostId: host.id });
          ctx.result.hostId = host.id;
        },
      },
      {
        name: 'spawn',
        seconds: 5,
        apply: async (ctx) => {
          const vm = await mustLock(ctx.tx.vms, 'vm', vmId(ctx));
          if (!vm.build || vm.build.state === 'failed' || !vm.hostId) {
            throw new CoreError('CAPACITY', 'no host has room for the VM in its zone', { kind: 'vm', id: vm.id, reason: NO_VALID_HOST });
          }
          if (vm.build.state === 'built') return;
          await ctx.tx.vms.update(vm.id, { state: 'running', build: { ...vm.build, state: 'built' } });
        },
      },
    ],
  },
} satisfies Record<string, JobDefinition>;
