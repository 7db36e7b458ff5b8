import { JobDefinition, StepContext } from '../job-definition';
import { mustGet, mustLock } from '../../services/reads';
import { eq } from '../../ports/query';
import { Repositories } from '../../ports/repositories';
import { FilesystemState, Target, TargetState } from '../../model/filesystem';
import { HostPatch, LnetState, LustreHostState } from '../../model/host';

/** A filesystem is available when all its targets are mounted, stopped when none is, unavailable in between. */
export async function settleFilesystemState(tx: Repositories, filesystemId: string): Promise<void> {
  const fs = await tx.filesystems.lock(filesystemId);
  if (!fs) return;
  const targets = await tx.targets.list({ filter: eq('filesystemId', filesystemId) });
  const mounted = targets.filter((t) => t.state === 'mounted').length;
  const state: FilesystemState = targets.length > 0 && mounted === targets.length ? 'available' : mounted === 0 ? 'stopped' : 'unavailable';
  if (fs.state !== state) await tx.filesystems.update(fs.id, { state });
}

/** The filesystem's own targets plus its MGT, which it shares rather than owns. */
async function filesystemTargets(tx: Repositories, filesystemId: string): Promise<Target[]> {
  const fs = await mustLock(tx.filesystems, 'filesystem', filesystemId);
  const own = await tx.targets.list({ filter: eq('filesystemId', filesystemId) });
  const mgt = fs.mgtId ? await tx.targets.get(fs.mgtId) : undefined;
  return mgt ? [mgt, ...own] : own;
}

function advanceFilesystemTargets(state: TargetState, settle = false) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const id = String(job.input.filesystemId);
    for (const target of await filesystemTargets(tx, id)) {
      if (target.state !== state) await tx.targets.update(target.id, { state });
    }
    if (settle) await settleFilesystemState(tx, id);
  };
}

async function releaseTarget(tx: Repositories, target: Target): Promise<void> {
  const device = await mustGet(tx.devices, 'device', target.deviceId);
  await tx.targets.delete(target.id);
  if (device.usedBytes > 0) await tx.devices.adjustUsed(device.id, -device.usedBytes);
}

/** The job's target, or every target of a bulk creation (`targetIds`). */
function setTarget(state: TargetState) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const ids = Array.isArray(job.input.targetIds) ? job.input.targetIds.map(String) : [String(job.input.targetId)];
    const settle = new Set<string>();
    for (const id of ids) {
      const target = await mustLock(tx.targets, 'target', id);
      await tx.targets.update(target.id, { state });
      if (target.filesystemId) settle.add(target.filesystemId);
    }
    for (const fs of settle) await settleFilesystemState(tx, fs);
  };
}

function setHost(patch: (input: Record<string, unknown>) => HostPatch) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const id = String(job.input.hostId);
    await mustLock(tx.hosts, 'host', id);
    await tx.hosts.update(id, patch(job.input));
  };
}

/**
 * What a freshly deployed server reports when the domain knows no disks of it yet: four 1 TiB
 * LUNs, sdb to sde (sda holds the OS). A server the domain already knows keeps its own devices.
 */
export const DETECTED_DEVICES = ['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde'].map((name) => ({ name, sizeBytes: 1024 ** 4 }));

async function detectDevices({ tx, job, ids }: StepContext): Promise<void> {
  const hostId = String(job.input.hostId);
  const host = await mustLock(tx.hosts, 'host', hostId);
  if ((await tx.devices.count(eq('hostId', hostId))) > 0) return;
  for (const [i, d] of DETECTED_DEVICES.entries()) {
    await tx.devices.insert({ id: ids.uuid(`device/${host.name}/${d.name}`), hostId, name: d.name, kind: 'lun', sizeBytes: d.sizeBytes, serial: `${host.name.split('.')[0]}-lun${i}` });
  }
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Connectivity checks of a prospective server: what an operator's pre-flight test reports. */
async function probe({ tx, job, result }: StepContext): Promise<void> {
  const address = String(job.input.address ?? '');
  const valid = HOSTNAME.test(address);
  const known = (await tx.hosts.list({ filter: { any: [eq('name', address), eq('managementAddress', address)] }, limit: 1 }))[0];
  const reachable = valid && (known === undefined || known.state === 'up');
  const checks: [string, boolean][] = [
    ['resolve', valid],
    ['ping', reachable],
    ['auth', reachable],
    ['hostname_valid', valid],
    ['fqdn_resolves', valid],
    ['fqdn_matches', valid],
    ['reverse_resolve', valid],
    ['reverse_ping', reachable],
    ['yum_valid_repos', reachable],
    ['yum_can_update', reachable],
    ['openssl', reachable],
  ];
  result.probe = { address, valid: checks.every(([, ok]) => ok), status: checks.map(([name, value]) => ({ name, value })) };
}

export const lustreJobs = {
  'filesystem.create': {
    steps: [
      { name: 'format targets', seconds: 20, apply: advanceFilesystemTargets('formatted') },
      { name: 'register targets', seconds: 5, apply: advanceFilesystemTargets('registered') },
      { name: 'configure mount points', seconds: 2, apply: advanceFilesystemTargets('unmounted') },
      { name: 'start targets', seconds: 5, apply: advanceFilesystemTargets('mounted', true) },
    ],
  },
  'filesystem.remove': {
    steps: [
      {
        name: 'stop filesystem targets',
        seconds: 5,
        apply: async ({ tx, job }) => {
          const id = String(job.input.filesystemId);
          for (const t of await tx.targets.list({ filter: eq('filesystemId', id) })) await tx.targets.update(t.id, { state: 'unmounted' });
        },
      },
      {
        name: 'remove filesystem',
        seconds: 3,
        apply: async ({ tx, job }) => {
          const id = String(job.input.filesystemId);
          await mustLock(tx.filesystems, 'filesystem', id);
          for (const t of await tx.targets.list({ filter: eq('filesystemId', id) })) await releaseTarget(tx, t);
          await tx.filesystems.delete(id);
        },
      },
    ],
  },
  'target.create': {
    steps: [
      { name: 'format target', seconds: 20, apply: setTarget('formatted') },
      { name: 'register target', seconds: 5, apply: setTarget('registered') },
      { name: 'configure mount point', seconds: 2, apply: setTarget('unmounted') },
      { name: 'mount target', seconds: 5, apply: setTarget('mounted') },
    ],
  },
  'target.start': { steps: [{ name: 'mount target', seconds: 5, apply: setTarget('mounted') }] },
  'target.stop': { steps: [{ name: 'unmount target', seconds: 5, apply: setTarget('unmounted') }] },
  'target.remove': {
    steps: [
      { name: 'unmount target', seconds: 3, apply: setTarget('unmounted') },
      {
        name: 'remove target',
        seconds: 2,
        apply: async ({ tx, job }) => {
          const target = await mustLock(tx.targets, 'target', String(job.input.targetId));
          await releaseTarget(tx, target);
          if (target.filesystemId) await settleFilesystemState(tx, target.filesystemId);
        },
      },
    ],
  },
  'host.deploy': {
    steps: [
      { name: 'install packages', seconds: 30, apply: setHost(() => ({ lustreState: 'packages_installed' })) },
      { name: 'set up server', seconds: 10, apply: setHost((i) => ({ lustreState: (i.state as LustreHostState) ?? 'managed' })) },
      { name: 'configure LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_down' })) },
      { name: 'start LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_up' })) },
      { name: 'detect devices', seconds: 5, apply: detectDevices },
    ],
  },
  'host.probe': { steps: [{ name: 'test connectivity', seconds: 3, apply: probe }] },
  'host.retire': {
    steps: [
      { name: 'unload LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_unloaded' })) },
      { name: 'remove server configuration', seconds: 5, apply: setHost(() => ({ lustreState: 'removed', lnetState: 'unconfigured' })) },
    ],
  },
  'host.set_lnet_state': {
    steps: [{ name: 'change LNet state', seconds: 3, apply: setHost((i) => ({ lnetState: i.state as LnetState })) }],
  },
} satisfies Record<string, JobDefinition>;
