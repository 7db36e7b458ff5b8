import { CoreError } from '../../errors';
import { JobDefinition, StepContext } from '../job-definition';
import { mustLock } from '../../services/reads';
import { lustreHostStateChanged } from '../../services/lustre-outage';

const hostId = (ctx: StepContext): string => String(ctx.job.input.hostId);

export const consolidationJobs = {
  /**
   * Consolidation's switch-off. Planning only picks hosts that are already empty; the check
   * runs again under the host's row lock because a VM may have arrived since.
   */
  'host.standby': {
    steps: [
      {
        name: 'check host is empty',
        seconds: 1,
        apply: async (ctx) => {
          const host = await mustLock(ctx.tx.hosts, 'host', hostId(ctx));
          const vms = await ctx.tx.vms.count({ field: 'hostId', op: 'eq', value: host.id });
          if (vms > 0) {
            throw new CoreError('INVALID_STATE', `host ${host.name} still runs ${vms} VMs`, { kind: 'host', id: host.id, reason: 'not_empty' });
          }
          if (host.power === 'off') {
            throw new CoreError('INVALID_STATE', `host ${host.name} is already off`, { kind: 'host', id: host.id, state: 'off' });
          }
        },
      },
      {
        name: 'enter standby',
        seconds: 5,
        apply: async (ctx) => {
          const host = await mustLock(ctx.tx.hosts, 'host', hostId(ctx));
          await ctx.tx.hosts.update(hostId(ctx), { power: 'off', state: 'down' });
          await lustreHostStateChanged(ctx.tx, host.id, host.state, 'down');
        },
      },
    ],
  },
} satisfies Record<string, JobDefinition>;
