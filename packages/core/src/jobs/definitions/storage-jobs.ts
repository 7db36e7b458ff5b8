import { JobDefinition, noop } from '../job-definition';
import { DeviceState } from '../../model/device';
import { HostState } from '../../model/host';
import { applyDeviceState, applyHostState, evictBrick, removeEmptyHost, removeFailedDevice } from '../../services/storage-state';

/**
 * Storage-node jobs. Additions are placed before the job is queued (the job is the time the
 * node takes to join); state changes and removals apply in their last step, so their refusals
 * reach the client through the job, as Heketi reports them through its queue.
 */
export const storageJobs = {
  'host.add': {
    steps: [
      { name: 'probe peer', seconds: 2, apply: noop },
      { name: 'register node', seconds: 1, apply: noop },
    ],
  },
  'host.remove': {
    steps: [
      { name: 'detach peer', seconds: 2, apply: async ({ tx, job }) => removeEmptyHost(tx, String(job.input.hostId)) },
    ],
  },
  'host.set_state': {
    steps: [
      {
        name: 'change node state',
        seconds: 1,
        apply: async ({ tx, ids, job }) => applyHostState(tx, ids, String(job.input.hostId), job.input.state as HostState, job.input.healCheck !== false),
      },
    ],
  },
  'device.add': {
    steps: [
      { name: 'create physical volume', seconds: 2, apply: noop },
      { name: 'create volume group', seconds: 1, apply: noop },
    ],
  },
  'device.remove': {
    steps: [
      { name: 'remove volume group', seconds: 2, apply: async ({ tx, job }) => removeFailedDevice(tx, String(job.input.deviceId)) },
    ],
  },
  'device.set_state': {
    steps: [
      {
        name: 'change device state',
        seconds: 1,
        apply: async ({ tx, ids, job }) => applyDeviceState(tx, ids, String(job.input.deviceId), job.input.state as DeviceState, job.input.healCheck !== false),
      },
    ],
  },
  'device.resync': {
    steps: [{ name: 'rescan device', seconds: 2, apply: noop }],
  },
  'block_volume.create': {
    steps: [{ name: 'create block target', seconds: 3, apply: noop }],
  },
  'block_volume.delete': {
    steps: [{ name: 'delete block target', seconds: 2, apply: noop }],
  },
  'block_volume.expand': {
    steps: [{ name: 'resize block target', seconds: 2, apply: noop }],
  },
  'volume.set_block_restriction': {
    steps: [{ name: 'record restriction', seconds: 0, apply: noop }],
  },
  'brick.evict': {
    steps: [
      {
        name: 'replace brick',
        seconds: 4,
        apply: async ({ tx, ids, job, result }) => {
          result.brickId = await evictBrick(tx, ids, String(job.input.brickId), job.input.healCheck !== false);
        },
      },
    ],
  },
  'volume.clone': {
    steps: [
      { name: 'snapshot bricks', seconds: 2, apply: noop },
      { name: 'activate clone', seconds: 2, apply: noop },
    ],
  },
  'job.cleanup': {
    steps: [{ name: 'clean up operations', seconds: 0, apply: noop }],
  },
} satisfies Record<string, JobDefinition>;
