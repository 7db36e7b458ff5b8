import { JobDefinition, StepContext, noop } from '../job-definition';
import { mustGet, mustLock } from '../../services/reads';
import { eq } from '../../ports/query';
import { Repositories } from '../../ports/repositories';
import { Target, TargetState } from '../../model/filesystem';
import { activeOn, lustreHostStateChanged, settleFilesystemState } from '../../services/lustre-outage';
import { HostPatch, LnetState, LustreHostState } from '../../model/host';
import { ClientMountState, CopytoolState } from '../../model/lustre-objects';

export { settleFilesystemState };

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
      // An unmounted target stranded by a server outage forgets that server once stopped on purpose.
      if (target.state !== state || (state === 'unmounted' && target.activeHostId)) await tx.targets.update(target.id, { state, ...activeOn(state, target) });
    }
    if (settle) await settleFilesystemState(tx, id);
  };
}

async function releaseTarget(tx: Repositories, target: Target): Promise<void> {
  const device = await mustGet(tx.devices, 'device', target.deviceId);
  await tx.targets.delete(target.id);
  if (device.usedBytes > 0) await tx.devices.adjustUsed(device.id, -device.usedBytes);
}

function moveTarget(to: 'failover' | 'primary') {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const target = await mustLock(tx.targets, 'target', String(job.input.targetId));
    if (target.state !== 'mounted') return;
    await tx.targets.update(target.id, { activeHostId: to === 'failover' ? (target.failoverHostId ?? target.hostId) : target.hostId });
  };
}

/** A removed client mount leaves the manager; the others take the state asked for. */
async function setClientMount({ tx, job }: StepContext): Promise<void> {
  const id = String(job.input.clientMountId);
  const mount = await tx.clientMounts.lock(id);
  if (!mount) return;
  const state = job.input.state as ClientMountState;
  if (state === 'removed') await tx.clientMounts.delete(id);
  else await tx.clientMounts.update(id, { state });
}

/** Configures, starts, stops or removes a copytool on its worker (a removed one leaves the manager). */
async function setCopytool({ tx, job }: StepContext): Promise<void> {
  const id = String(job.input.copytoolId);
  if (!(await tx.copytools.lock(id))) return;
  const state = job.input.state as CopytoolState;
  if (state === 'removed') await tx.copytools.delete(id);
  else await tx.copytools.update(id, { state });
}

/** The job's target, or every target of a bulk creation (`targetIds`). */
function setTarget(state: TargetState) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const ids = Array.isArray(job.input.targetIds) ? job.input.targetIds.map(String) : [String(job.input.targetId)];
    const settle = new Set<string>();
    for (const id of ids) {
      const target = await mustLock(tx.targets, 'target', id);
      await tx.targets.update(target.id, { state, ...activeOn(state, target) });
      if (target.filesystemId) settle.add(target.filesystemId);
    }
    for (const fs of settle) await settleFilesystemState(tx, fs);
  };
}

/** A fixed change of the job's host. */
const setHostFacts = (patch: HostPatch) => setHost(() => patch);

function setHost(patch: (input: Record<string, unknown>) => HostPatch) {
  return async ({ tx, job }: StepContext): Promise<void> => {
    const id = String(job.input.hostId);
    const host = await mustLock(tx.hosts, 'host', id);
    const next = patch(job.input);
    await tx.hosts.update(id, next);
    if (next.state) await lustreHostStateChanged(tx, id, host.state, next.state);
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
  // Forgetting leaves the servers alone: the manager only drops its records (and the devices' claim).
  'target.forget': {
    steps: [
      {
        name: 'forget target',
        seconds: 1,
        apply: async ({ tx, job }) => {
          const target = await tx.targets.lock(String(job.input.targetId));
          if (!target) return;
          await releaseTarget(tx, target);
          if (target.filesystemId) await settleFilesystemState(tx, target.filesystemId);
        },
      },
    ],
  },
  'filesystem.forget': {
    steps: [
      {
        name: 'forget filesystem',
        seconds: 1,
        apply: async ({ tx, job }) => {
          const id = String(job.input.filesystemId);
          const fs = await tx.filesystems.lock(id);
          if (!fs) return;
          for (const t of await tx.targets.list({ filter: eq('filesystemId', id) })) await releaseTarget(tx, t);
          await tx.filesystems.delete(id);
        },
      },
    ],
  },
  'target.failover': {
    steps: [
      { name: 'unmount target on primary server', seconds: 5, apply: noop },
      { name: 'mount target on failover server', seconds: 5, apply: moveTarget('failover') },
    ],
  },
  'target.failback': {
    steps: [
      { name: 'unmount target on failover server', seconds: 5, apply: noop },
      { name: 'mount target on primary server', seconds: 5, apply: moveTarget('primary') },
    ],
  },
  // The parameters are stored when asked for; this is the MGS writing them to the configuration logs.
  'lustre.apply_conf_params': { steps: [{ name: 'apply conf params on MGS', seconds: 3, apply: noop }] },
  'client_mount.set_state': { steps: [{ name: 'change client mount', seconds: 5, apply: setClientMount }] },
  'copytool.set_state': { steps: [{ name: 'change copytool state', seconds: 3, apply: setCopytool }] },
  'host.deploy': {
    steps: [
      { name: 'install packages', seconds: 30, apply: setHost(() => ({ lustreState: 'packages_installed' })) },
      { name: 'set up server', seconds: 10, apply: setHost((i) => ({ lustreState: (i.state as LustreHostState) ?? 'managed' })) },
      { name: 'configure LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_down' })) },
      { name: 'start LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_up' })) },
      { name: 'detect devices', seconds: 5, apply: detectDevices },
    ],
  },
  'host.reboot': {
    steps: [
      { name: 'reboot server', seconds: 5, apply: setHostFacts({ state: 'down' }) },
      { name: 'wait for server to boot', seconds: 60, apply: setHostFacts({ state: 'up' }) },
    ],
  },
  // The server's NIDs follow its addresses; what the job does on the server is rewrite lnet.conf and reload LNet.
  'host.update_nids': {
    steps: [
      { name: 'write NID configuration', seconds: 2, apply: noop },
      { name: 'reload LNet', seconds: 3, apply: setHost(() => ({ lnetState: 'lnet_up' })) },
    ],
  },
  'host.detect_devices': { steps: [{ name: 'detect devices', seconds: 5, apply: detectDevices }] },
  // Every Lustre target in the domain is already managed, so a scan finds nothing new to take over.
  'host.detect_targets': { steps: [{ name: 'scan server for Lustre targets', seconds: 5, apply: noop }] },
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
