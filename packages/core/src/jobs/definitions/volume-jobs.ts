import { JobDefinition, noop } from '../job-definition';
import { mustGet } from '../../services/reads';

/** Allocation happens before the job is queued; the job is the time the storage takes to act. */
export const volumeJobs = {
  'volume.create': {
    steps: [
      { name: 'create bricks', seconds: 4, apply: noop },
      { name: 'create volume', seconds: 3, apply: noop },
      {
        name: 'start volume',
        seconds: 2,
        apply: async ({ tx, job }) => {
          await mustGet(tx.volumes, 'volume', String(job.input.volumeId));
        },
      },
    ],
  },
  'volume.delete': {
    steps: [
      { name: 'stop volume', seconds: 2, apply: noop },
      { name: 'delete volume', seconds: 3, apply: noop },
    ],
  },
  'volume.expand': {
    steps: [
      { name: 'add bricks', seconds: 4, apply: noop },
      { name: 'rebalance', seconds: 5, apply: noop },
    ],
  },
} satisfies Record<string, JobDefinition>;
