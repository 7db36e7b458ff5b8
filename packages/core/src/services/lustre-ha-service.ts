import { CoreError } from '../errors';
import { Device } from '../model/device';
import { ConfParams, Filesystem, Target } from '../model/filesystem';
import { ClientMount, ClientMountState, Copytool, DevicePath } from '../model/lustre-objects';
import { Job } from '../model/job';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { JobRequest, JobService } from './job-service';
import { ConfParamOwner, checkConfParams, mergeConfParams } from './lustre-conf-params';
import { Reads, mustGet, mustLock, readsOf } from './reads';

/** One host's view of a device: IML's volume node. */
export interface DeviceNode {
  deviceId: string;
  hostId: string;
  path: string;
  primary: boolean;
  use: boolean;
  /** The device_paths row's seq, or null for the one implicit node of an unshared device. */
  pathSeq: number | null;
}

export interface NodeFlags {
  hostId: string;
  primary: boolean;
  use: boolean;
}

/** Where a target on a device runs: its primary node's host, failing over to the first other used node. */
export interface TargetPlacement {
  hostId: string;
  failoverHostId: string | null;
}

export interface LustreHaService {
  /** Device paths as rows, for SQL-filtered node lists. */
  devicePaths: Reads<DevicePath>;
  clientMounts: Reads<ClientMount>;
  /** The nodes of each device, by device id (an unshared device has one implicit node). */
  deviceNodes(devices: Device[]): Promise<Map<string, DeviceNode[]>>;
  /** Makes a device reachable from another host too (a LUN zoned to an HA peer). */
  shareDevice(input: { deviceId: string; hostId: string; path: string }): Promise<DeviceNode[]>;
  /** Sets the primary/use flags of a device's nodes; nodes not named are cleared, as IML does. */
  setDeviceNodes(deviceId: string, nodes: NodeFlags[]): Promise<DeviceNode[]>;
  /** Moves a mounted target to its failover server, or back to its primary, through a job. */
  moveTarget(targetId: string, to: 'failover' | 'primary', origin: string): Promise<Job>;
  /** Validates and stores Lustre tunables; a job applies them on the MGS. Null when nothing changed. */
  setConfParams(object: 'filesystem' | 'target', id: string, params: Record<string, string | null>, origin: string): Promise<Job | null>;
  createClientMount(input: { hostId: string; filesystemId: string; mountpoint: string }): Promise<ClientMount>;
  copytools: Reads<Copytool>;
  /**
   * Registers a copytool on a host for a filesystem (numbered after any same copytool there) and
   * starts it through a job that configures and starts it.
   */
  addCopytool(input: NewCopytoolInput, origin: string): Promise<{ copytool: Copytool; job: Job }>;
  /** Mounts, unmounts or removes a client mount through a job; null when already there. */
  setClientMountState(id: string, state: ClientMountState, origin: string): Promise<Job | null>;
}

export interface NewCopytoolInput {
  hostId: string;
  filesystemId: string;
  binPath: string;
  archive: number;
  mountpoint: string;
  hsmArguments?: string;
}

export const CLIENT_MOUNT_STATES: readonly ClientMountState[] = ['unmounted', 'mounted', 'removed'];

const ownerOf = (t: Target): ConfParamOwner | null => (t.kind === 'MGT' ? null : t.kind);

function confParamError(errors: Record<string, string[]>): CoreError {
  return new CoreError('VALIDATION', 'invalid conf params', {
    reason: 'conf_params',
    fields: Object.entries(errors).flatMap(([field, problems]) => problems.map((problem) => ({ field, problem }))),
  });
}

/** Checks tunables for an owner kind, failing VALIDATION with one field issue per problem. */
export function assertConfParams(owner: ConfParamOwner, params: Record<string, unknown>): void {
  const errors = checkConfParams(owner, params);
  if (Object.keys(errors).length) throw confParamError(errors);
}

export async function nodesOf(tx: Repositories, devices: Device[]): Promise<Map<string, DeviceNode[]>> {
  const out = new Map<string, DeviceNode[]>();
  if (!devices.length) return out;
  const rows = await tx.devicePaths.list({ filter: { field: 'deviceId', op: 'in', value: devices.map((d) => d.id) }, order: [{ field: 'seq', direction: 'asc' }] });
  for (const d of devices) out.set(d.id, []);
  for (const r of rows) out.get(r.deviceId)!.push({ deviceId: r.deviceId, hostId: r.hostId, path: r.path, primary: r.primary, use: r.use, pathSeq: r.seq });
  for (const d of devices) {
    if (!out.get(d.id)!.length) out.set(d.id, [{ deviceId: d.id, hostId: d.hostId, path: d.name, primary: true, use: true, pathSeq: null }]);
  }
  return out;
}

/** The host a new target on a device is created on, and its failover host. */
export async function placeTarget(tx: Repositories, device: Device): Promise<TargetPlacement> {
  const nodes = (await nodesOf(tx, [device])).get(device.id)!;
  const primary = nodes.find((n) => n.primary) ?? nodes[0];
  const failover = nodes.find((n) => n.use && !n.primary && n.hostId !== primary.hostId);
  return { hostId: primary.hostId, failoverHostId: failover?.hostId ?? null };
}

/** The job that moves a mounted target to its failover server or back, checked against where it runs now. */
export async function moveRequest(tx: Repositories, targetId: string, to: 'failover' | 'primary'): Promise<Omit<JobRequest, 'origin'>> {
  const target = await mustLock(tx.targets, 'target', targetId);
  const active = target.activeHostId ?? target.hostId;
  if (target.state !== 'mounted') {
    throw new CoreError('INVALID_STATE', `target ${target.name} is not mounted`, { kind: 'target', id: targetId, state: target.state, reason: 'not_mounted' });
  }
  if (to === 'failover' && (!target.failoverHostId || active === target.failoverHostId)) {
    throw new CoreError('INVALID_STATE', `target ${target.name} cannot fail over`, { kind: 'target', id: targetId, state: target.state, reason: 'no_failover' });
  }
  if (to === 'primary' && active === target.hostId) {
    throw new CoreError('INVALID_STATE', `target ${target.name} already runs on its primary server`, { kind: 'target', id: targetId, state: target.state, reason: 'on_primary' });
  }
  const kind = to === 'failover' ? 'target.failover' : 'target.failback';
  return { kind, input: { targetId, name: target.name, from: active }, affected: [{ kind: 'target', id: targetId }] };
}

/** HA clusters are the core's clusters; a host outside any cluster is a cluster of its own. */
async function oneCluster(tx: Repositories, hostIds: string[]): Promise<boolean> {
  const hosts = await tx.hosts.list({ filter: { field: 'id', op: 'in', value: hostIds } });
  const keys = new Set(hosts.map((h) => h.clusterId ?? `host:${h.id}`));
  return keys.size <= 1;
}

export function createLustreHaService({ store, ids }: ServiceDeps, jobs: JobService): LustreHaService {
  async function deviceUnused(tx: Repositories, device: Device): Promise<void> {
    if (device.usedBytes > 0 || (await tx.targets.count(eq('deviceId', device.id))) > 0) {
      throw new CoreError('CONFLICT', `device ${device.id} is in use`, { kind: 'device', id: device.id, reason: 'in_use' });
    }
  }

  return {
    devicePaths: readsOf(store, 'device_path', (r) => r.devicePaths),
    clientMounts: readsOf(store, 'client_mount', (r) => r.clientMounts),
    copytools: readsOf(store, 'copytool', (r) => r.copytools),
    async addCopytool(input, origin) {
      const { copytool, job } = await store.transaction(async (tx) => {
        const host = await mustGet(tx.hosts, 'host', input.hostId);
        const fs = await mustGet(tx.filesystems, 'filesystem', input.filesystemId);
        if (host.lustreState === 'removed') throw new CoreError('NOT_FOUND', `host ${host.id} is not managed`, { kind: 'host', id: host.id });
        const same = await tx.copytools.list({
          filter: { all: [eq('hostId', host.id), eq('filesystemId', fs.id), eq('binPath', input.binPath), eq('archive', input.archive)] },
          order: [{ field: 'index', direction: 'desc' }],
          limit: 1,
        });
        const copytool = await tx.copytools.insert({ ...input, index: same.length ? same[0].index + 1 : 0, uuid: ids.uuid(), state: 'unconfigured' });
        const name = `${fs.name}-${input.binPath.split('/').pop()}-${input.archive}-${copytool.index}`;
        const job = await jobs.record(tx, { kind: 'copytool.set_state', origin, input: { copytoolId: copytool.id, state: 'started', from: 'unconfigured', name }, affected: [{ kind: 'copytool', id: copytool.id }] });
        return { copytool, job };
      });
      await jobs.dispatch(job);
      return { copytool, job };
    },
    deviceNodes: (devices) => nodesOf(store.repos, devices),
    async shareDevice({ deviceId, hostId, path }) {
      return store.transaction(async (tx) => {
        const device = await mustLock(tx.devices, 'device', deviceId);
        await mustGet(tx.hosts, 'host', hostId);
        const rows = await tx.devicePaths.list({ filter: eq('deviceId', deviceId) });
        if (hostId === device.hostId || rows.some((r) => r.hostId === hostId)) {
          throw new CoreError('ALREADY_EXISTS', `device ${deviceId} is already reachable from host ${hostId}`, { kind: 'device_path', id: deviceId });
        }
        if (!rows.length) await tx.devicePaths.insert({ deviceId, hostId: device.hostId, path: device.name, primary: true, use: true });
        await tx.devicePaths.insert({ deviceId, hostId, path, primary: false, use: true });
        return (await nodesOf(tx, [device])).get(deviceId)!;
      });
    },
    async setDeviceNodes(deviceId, nodes) {
      return store.transaction(async (tx) => {
        const device = await mustLock(tx.devices, 'device', deviceId);
        await deviceUnused(tx, device);
        if (nodes.filter((n) => n.primary).length > 1) {
          throw new CoreError('VALIDATION', 'only one node can be primary', { reason: 'multiple_primary', fields: [{ field: 'nodes', problem: 'more than one primary' }] });
        }
        const current = (await nodesOf(tx, [device])).get(deviceId)!;
        const known = new Set(current.map((n) => n.hostId));
        const unknown = nodes.find((n) => !known.has(n.hostId));
        if (unknown) throw new CoreError('NOT_FOUND', `device ${deviceId} has no node on host ${unknown.hostId}`, { kind: 'volume_node', id: unknown.hostId });
        if (!(await oneCluster(tx, nodes.map((n) => n.hostId)))) {
          throw new CoreError('VALIDATION', 'nodes span HA clusters', { reason: 'across_clusters', kind: 'device', id: deviceId });
        }
        let rows = await tx.devicePaths.list({ filter: eq('deviceId', deviceId) });
        if (!rows.length) rows = [await tx.devicePaths.insert({ deviceId, hostId: device.hostId, path: device.name, primary: true, use: true })];
        // Clear first: at most one primary per device is a constraint, checked row by row.
        for (const r of rows) if (r.primary || r.use) await tx.devicePaths.update(r.id, { primary: false, use: false });
        for (const n of nodes) {
          const row = rows.find((r) => r.hostId === n.hostId)!;
          if (n.primary || n.use) await tx.devicePaths.update(row.id, { primary: n.primary, use: n.use });
        }
        return (await nodesOf(tx, [device])).get(deviceId)!;
      });
    },
    async moveTarget(targetId, to, origin) {
      const job = await store.transaction(async (tx) => jobs.record(tx, { ...(await moveRequest(tx, targetId, to)), origin }));
      return jobs.dispatch(job);
    },
    async setConfParams(object, id, params, origin) {
      const job = await store.transaction(async (tx) => {
        let current: ConfParams | undefined;
        let owner: ConfParamOwner | null;
        let name: string;
        if (object === 'filesystem') {
          const fs: Filesystem = await mustLock(tx.filesystems, 'filesystem', id);
          current = fs.confParams;
          owner = 'filesystem';
          name = fs.name;
        } else {
          const t: Target = await mustLock(tx.targets, 'target', id);
          current = t.confParams;
          owner = ownerOf(t);
          name = t.name;
        }
        // An MGT carries no tunables of its own; the Lustre manager ignores them there.
        if (!owner) return null;
        assertConfParams(owner, params);
        const next = mergeConfParams(current, params);
        if (!next) return null;
        if (object === 'filesystem') await tx.filesystems.update(id, { confParams: next });
        else await tx.targets.update(id, { confParams: next });
        return jobs.record(tx, { kind: 'lustre.apply_conf_params', origin, input: { object, id, name, keys: Object.keys(params) }, affected: [{ kind: object, id }] });
      });
      return job ? jobs.dispatch(job) : null;
    },
    async createClientMount({ hostId, filesystemId, mountpoint }) {
      if (!mountpoint.startsWith('/')) throw new CoreError('VALIDATION', 'a mountpoint is an absolute path', { fields: [{ field: 'mountpoint', problem: 'must be an absolute path' }] });
      return store.transaction(async (tx) => {
        await mustGet(tx.hosts, 'host', hostId);
        await mustGet(tx.filesystems, 'filesystem', filesystemId);
        return tx.clientMounts.insert({ hostId, filesystemId, mountpoint, state: 'unmounted' });
      });
    },
    async setClientMountState(id, state, origin) {
      if (!CLIENT_MOUNT_STATES.includes(state)) throw new CoreError('INVALID_STATE', `${state} is not a client mount state`, { kind: 'client_mount', id, state, reason: 'unknown_state' });
      const job = await store.transaction(async (tx) => {
        const mount = await mustLock(tx.clientMounts, 'client_mount', id);
        if (mount.state === state) return null;
        const fs = await mustGet(tx.filesystems, 'filesystem', mount.filesystemId);
        if (state === 'mounted' && fs.state !== 'available') {
          throw new CoreError('INVALID_STATE', `filesystem ${fs.name} is not available`, { kind: 'filesystem', id: fs.id, state: fs.state, reason: 'not_available' });
        }
        return jobs.record(tx, { kind: 'client_mount.set_state', origin, input: { clientMountId: id, state, from: mount.state, name: fs.name }, affected: [{ kind: 'client_mount', id }] });
      });
      return job ? jobs.dispatch(job) : null;
    },
  };
}
