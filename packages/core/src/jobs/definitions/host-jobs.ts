import { JobDefinition, StepContext, noop } from '../job-definition';
import { mustLock } from '../../services/reads';
import { HostPatch } from '../../model/host';
import { lustreHostStateChanged } from '../../services/lustre-outage';

function setHost(patch: HostPatch) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const id = String(job.input.hostId);
    const host = await mustLock(tx.hosts, 'host', id);
    await tx.hosts.update(id, patch);
    if (patch.state) await lustreHostStateChanged(tx, id, host.state, patch.state);
  };
}

export const hostJobs = {
  'host.power_on': {
    steps: [
      { name: 'send IPMI power on', seconds: 2, apply: noop },
      { name: 'wait for host to boot', seconds: 30, apply: setHost({ power: 'on', state: 'up' }) },
    ],
  },
  'host.power_off': {
    steps: [{ name: 'send IPMI power off', seconds: 5, apply: setHost({ power: 'off', state: 'down' }) }],
  },
  'host.enter_maintenance': {
    steps: [{ name: 'enter maintenance mode', seconds: 10, apply: setHost({ state: 'maintenance' }) }],
  },
  'host.exit_maintenance': {
    steps: [{ name: 'exit maintenance mode', seconds: 5, apply: setHost({ state: 'up' }) }],
  },
} satisfies Record<string, JobDefinition>;
