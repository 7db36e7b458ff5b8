import { JobDefinition, StepContext } from '../job-definition';
import { mustLock } from '../../services/reads';
import { eq } from '../../ports/query';
import { TargetState } from '../../model/filesystem';
import { FilesystemState } from '../../model/filesystem';
import { activeOn } from '../../services/lustre-outage';

function setFilesystem(targetState: TargetState, fsState: FilesystemState) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const id = String(job.input.filesystemId);
    await mustLock(tx.filesystems, 'filesystem', id);
    for (const target of await tx.targets.list({ filter: eq('filesystemId', id) })) {
      await tx.targets.update(target.id, { state: targetState, ...activeOn(targetState, target) });
    }
    await tx.filesystems.update(id, { state: fsState });
  };
}

export const filesystemJobs = {
  'filesystem.start': {
    steps: [{ name: 'mount targets', seconds: 10, apply: setFilesystem('mounted', 'available') }],
  },
  'filesystem.stop': {
    steps: [{ name: 'unmount targets', seconds: 10, apply: setFilesystem('unmounted', 'stopped') }],
  },
} satisfies Record<string, JobDefinition>;
