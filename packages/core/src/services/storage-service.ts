import { CoreError, FieldIssue, notFound } from '../errors';
import { Cluster } from '../model/cluster';
import { Device, DeviceState } from '../model/device';
import { Host, HostState } from '../model/host';
import { Job, JobKind } from '../model/job';
import { Tags } from '../model/entity';
import { Brick, Durability, Volume } from '../model/volume';
import { Filter, eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { createJobService } from './job-service';
import { mustLock } from './reads';
import { adjustDeviceUsage } from './device-service';
import { GIB_KIB, KIB, PlacedBrick, PlacementRules, balancedRing, planBricks } from './brick-allocator';
import { brickFootprintBytes, brickOrder, brickPath } from './storage-state';
import { conflictHasChildren } from './validate';

const GIB = GIB_KIB * KIB;

/** Why a cluster could not take a volume: neutral reasons each dialect words its own way. */
export type ClusterRefusal =
  | 'all_types_disabled'
  | 'type_unsupported'
  | 'name_in_use'
  | 'no_nodes'
  | 'no_online_devices'
  | 'no_space'
  | 'volume_limit';

export interface GlusterVolumeRequest {
  /** Clusters to try, in order; empty means every cluster. */
  clusterIds: string[];
  name?: string;
  /** The name a volume gets when none was asked for, from its new id. */
  defaultName(id: string): string;
  sizeGib: number;
  durability: Durability;
  snapshotEnabled: boolean;
  snapshotFactor: number;
  gid: number;
  options: string[];
  blockHosting: boolean;
  placement: PlacementRules;
  /** At most this many file volumes per cluster (Heketi's max_volumes_per_cluster); absent or negative: no limit. */
  maxVolumesPerCluster?: number;
}

export interface StorageNodeRequest {
  clusterId: string;
  zone: number;
  managementAddress: string;
  storageAddress: string;
  /** Every address the node answers to; each must be unused by any other host. */
  addresses: string[];
  tags: Tags;
}

export interface StorageDeviceRequest {
  hostId: string;
  name: string;
  sizeBytes: number;
  tags: Tags;
}

export type TagChange = 'set' | 'update' | 'delete';

export interface BlockVolumeRequest {
  clusterIds: string[];
  name?: string;
  defaultName(id: string): string;
  sizeGib: number;
  /** Hosts exporting the target; 0 (or more than there are) means every host of the hosting volume. */
  haCount: number;
  auth: boolean;
  /** A hosting volume made on demand when none has room, or undefined when that is off. */
  autoCreate?: { sizeGib: number; defaultName(id: string): string; placement: PlacementRules; options: string[] };
}

/** Why a block volume could not be placed, with the sizes a dialect may quote. */
export type BlockRefusal =
  | 'hosting_too_small'
  | 'hosting_creation_disabled'
  | 'same_size'
  | 'shrink'
  | 'no_space'
  | 'not_block_hosting'
  | 'clone_block_hosting';

/**
 * Storage-cluster use cases as a gluster manager sees them: volumes whose bricks are sized and
 * placed Heketi's way, nodes and devices joining and leaving through jobs. Each mutation
 * commits with the job that reports it, and the job is dispatched after the commit.
 */
export interface StorageService {
  createCluster(input: { fileEnabled: boolean; blockEnabled: boolean; name(id: string): string }): Promise<Cluster>;
  createVolume(input: GlusterVolumeRequest, origin: string): Promise<{ volume: Volume; job: Job }>;
  expandVolume(id: string, addGib: number, placement: PlacementRules, origin: string): Promise<{ volume: Volume; job: Job }>;
  deleteVolume(id: string, origin: string): Promise<Job>;
  addHost(input: StorageNodeRequest, origin: string): Promise<{ host: Host; job: Job }>;
  removeHost(id: string, origin: string): Promise<Job>;
  /** healCheck false: bricks moved off a failing host skip the peer check (Heketi's expert option). */
  setHostState(id: string, state: HostState, origin: string, options?: { healCheck?: boolean }): Promise<Job>;
  addDevice(input: StorageDeviceRequest, origin: string): Promise<{ device: Device; job: Job }>;
  removeDevice(id: string, origin: string): Promise<Job>;
  setDeviceState(id: string, state: DeviceState, origin: string, options?: { healCheck?: boolean }): Promise<Job>;
  resyncDevice(id: string, origin: string): Promise<Job>;
  changeTags(kind: 'host' | 'device', id: string, change: TagChange, tags: Tags): Promise<Tags>;
  createBlockVolume(input: BlockVolumeRequest, origin: string): Promise<{ volume: Volume; job: Job }>;
  expandBlockVolume(id: string, newSizeGib: number, origin: string): Promise<Job>;
  deleteBlockVolume(id: string, origin: string): Promise<Job>;
  /** Closes ('locked') or reopens (null) a block-hosting volume to new block volumes. */
  setBlockRestriction(id: string, restriction: string | null, origin: string): Promise<Job>;
  /** A writable snapshot of a file volume: same shape, bricks in the origin's thin pools. */
  cloneVolume(id: string, name: string | undefined, defaultName: (id: string) => string, origin: string): Promise<{ volume: Volume; job: Job }>;
  /** Moves one brick elsewhere through a job (the job's result names the new brick). */
  evictBrick(id: string, origin: string, options?: { healCheck?: boolean }): Promise<Job>;
  /** A job that clears bookkeeping of failed operations; jobs here never leave any behind. */
  cleanupJobs(origin: string): Promise<Job>;
  /** Bricks matching a filter over volumeId, deviceId or hostId. */
  bricks(filter?: Filter): Promise<Brick[]>;
}

const capacity = (reason: ClusterRefusal | 'no_eligible_cluster' | 'no_cluster_fits', message: string, fields: FieldIssue[] = []) =>
  new CoreError(reason === 'name_in_use' ? 'ALREADY_EXISTS' : 'CAPACITY', message, { kind: 'cluster', reason, fields });

/** One refusal alone is the answer; several are listed cluster by cluster under a summary reason. */
function refusalError(summary: 'no_eligible_cluster' | 'no_cluster_fits', refusals: FieldIssue[]): CoreError {
  if (refusals.length === 1) return capacity(refusals[0].problem as ClusterRefusal, `cluster ${refusals[0].field}: ${refusals[0].problem}`, refusals);
  return capacity(summary, `no cluster can take the volume (${refusals.map((r) => `${r.field}: ${r.problem}`).join(', ')})`, refusals);
}

/** How many file volumes a cluster holds when that reaches the limit; undefined while there is room. */
async function volumesOverLimit(repos: Repositories, clusterId: string, limit: number | undefined): Promise<number | undefined> {
  if (limit === undefined || limit < 0) return undefined;
  const held = await repos.volumes.count({ all: [eq('clusterId', clusterId), eq('kind', 'file')] });
  return held >= limit ? held : undefined;
}

export function createStorageService(deps: ServiceDeps): StorageService {
  const { store, ids } = deps;
  const jobs = createJobService(deps);

  async function withJob<T>(kind: JobKind, origin: string, fn: (tx: Repositories) => Promise<{ value: T; input: Record<string, unknown>; affected: { kind: string; id: string }[] }>): Promise<{ value: T; job: Job }> {
    const { value, job } = await store.transaction(async (tx) => {
      const done = await fn(tx);
      return { value: done.value, job: await jobs.record(tx, { kind, origin, input: done.input, affected: done.affected }) };
    });
    return { value, job: await jobs.dispatch(job) };
  }

  /** Places sizeGib more of a volume in one cluster, or says why it cannot. Holds the cluster lock. */
  async function allocate(tx: Repositories, cluster: Cluster, volume: Pick<Volume, 'durability' | 'snapshotFactor'>, sizeGib: number, existingBricks: number, rules: PlacementRules): Promise<PlacedBrick[] | ClusterRefusal> {
    const hosts = await tx.hosts.list({ filter: eq('clusterId', cluster.id) });
    if (!hosts.length) return 'no_nodes';
    const online = hosts.filter((h) => h.state === 'up');
    const devices = online.length
      ? await tx.devices.list({ filter: { all: [{ field: 'hostId', op: 'in', value: online.map((h) => h.id) }, eq('state', 'online')] } })
      : [];
    if (!devices.length) return 'no_online_devices';
    const plan = planBricks({
      sizeKib: sizeGib * GIB_KIB,
      durability: volume.durability,
      snapshotFactor: volume.snapshotFactor,
      existingBricks,
      rules,
      ring: balancedRing(online, devices),
      newId: () => ids.uuid(),
    });
    return plan.ok ? plan.bricks : 'no_space';
  }

  /** Writes placed bricks after the volume's first `existing` ones, in gluster's order. */
  async function writeBricks(tx: Repositories, volumeId: string, bricks: PlacedBrick[], existing = 0): Promise<void> {
    for (const [i, brick] of bricks.entries()) {
      await adjustDeviceUsage(tx, brick.device.id, brick.footprintKib * KIB);
      await tx.bricks.insert({
        id: brick.id,
        volumeId,
        deviceId: brick.device.id,
        hostId: brick.host.id,
        sizeBytes: brick.sizeKib * KIB,
        path: brickPath(brick.device.id, brick.id),
        position: existing + i,
      });
    }
  }

  const blockShare = (gib: number) => Math.floor((gib * 98) / 100) * GIB;
  const blockRefusal = (reason: BlockRefusal, id: string | undefined, requested?: number, available?: number) =>
    new CoreError(reason === 'not_block_hosting' ? 'INVALID_STATE' : 'CAPACITY', `block volume refused: ${reason}`, {
      kind: 'block_volume',
      id,
      reason,
      requested,
      available,
    });

  return {
    async createCluster({ fileEnabled, blockEnabled, name }) {
      return store.transaction(async (tx) => {
        const [site] = await tx.sites.list({ order: [{ field: 'seq', direction: 'asc' }], limit: 1 });
        const siteId = site?.id ?? (await tx.sites.insert({ id: ids.uuid(), name: 'default' })).id;
        const id = ids.uuid();
        return tx.clusters.insert({ id, siteId, name: name(id), fileEnabled, blockEnabled });
      });
    },

    async createVolume(input, origin) {
      const candidates = input.clusterIds.length
        ? input.clusterIds
        : (await store.repos.clusters.list({ order: [{ field: 'id', direction: 'asc' }] })).map((c) => c.id);
      const refusals: FieldIssue[] = [];
      const eligible: string[] = [];
      for (const clusterId of candidates) {
        const cluster = await store.repos.clusters.get(clusterId);
        if (!cluster) throw notFound('cluster', clusterId);
        let refusal: ClusterRefusal | undefined;
        let amount: number | undefined;
        if (!cluster.fileEnabled && !cluster.blockEnabled) refusal = 'all_types_disabled';
        else if (input.blockHosting ? !cluster.blockEnabled : !cluster.fileEnabled) refusal = 'type_unsupported';
        else if (input.name && (await store.repos.volumes.count({ all: [eq('clusterId', clusterId), eq('name', input.name)] }))) {
          refusal = 'name_in_use';
        } else if ((amount = await volumesOverLimit(store.repos, clusterId, input.maxVolumesPerCluster)) !== undefined) {
          refusal = 'volume_limit';
        }
        if (refusal) refusals.push({ field: clusterId, problem: refusal, ...(amount === undefined ? {} : { amount }) });
        else eligible.push(clusterId);
      }
      if (!eligible.length) throw refusalError('no_eligible_cluster', refusals);
      const tried: FieldIssue[] = [];
      for (const clusterId of eligible) {
        try {
          const { value, job } = await withJob('volume.create', origin, async (tx) => {
            const cluster = await mustLock(tx.clusters, 'cluster', clusterId);
            if (input.name && (await tx.volumes.count({ all: [eq('clusterId', clusterId), eq('name', input.name)] }))) {
              throw capacity('name_in_use', `volume name ${input.name} is taken in cluster ${clusterId}`, [{ field: clusterId, problem: 'name_in_use' }]);
            }
            // Checked again under the cluster lock, so concurrent creates cannot pass the limit together.
            const held = await volumesOverLimit(tx, clusterId, input.maxVolumesPerCluster);
            if (held !== undefined) {
              throw capacity('volume_limit', `cluster ${clusterId} holds ${held} volumes`, [{ field: clusterId, problem: 'volume_limit', amount: held }]);
            }
            const id = ids.uuid();
            const factor = input.snapshotEnabled ? input.snapshotFactor : 1;
            const placed = await allocate(tx, cluster, { durability: input.durability, snapshotFactor: factor }, input.sizeGib, 0, input.placement);
            if (!Array.isArray(placed)) throw new CoreError('CAPACITY', placed, { kind: 'cluster', id: clusterId, reason: placed });
            const volume = await tx.volumes.insert({
              id,
              clusterId,
              name: input.name || input.defaultName(id),
              kind: 'file',
              sizeBytes: input.sizeGib * GIB,
              durability: input.durability,
              blockHosting: input.blockHosting,
              blockFreeBytes: input.blockHosting ? blockShare(input.sizeGib) : 0,
              snapshotFactor: factor,
              snapshotEnabled: input.snapshotEnabled,
              gid: input.gid,
              options: input.options,
              placement: input.placement,
            });
            await writeBricks(tx, id, placed);
            return { value: volume, input: { volumeId: id }, affected: [{ kind: 'volume', id }] };
          });
          return { volume: value, job };
        } catch (err) {
          const reason = err instanceof CoreError && err.details.kind === 'cluster' ? err.details.reason : undefined;
          if (!reason || reason === 'name_in_use') throw err;
          tried.push((err as CoreError).details.fields?.[0] ?? { field: clusterId, problem: reason });
        }
      }
      throw refusalError('no_cluster_fits', tried);
    },

    async expandVolume(id, addGib, placement, origin) {
      const { value, job } = await withJob('volume.expand', origin, async (tx) => {
        const current = await store.repos.volumes.get(id);
        if (!current) throw notFound('volume', id);
        const cluster = await mustLock(tx.clusters, 'cluster', current.clusterId);
        const volume = await mustLock(tx.volumes, 'volume', id);
        const existing = await tx.bricks.count(eq('volumeId', id));
        const placed = await allocate(tx, cluster, volume, addGib, existing, placement);
        if (!Array.isArray(placed)) throw new CoreError('CAPACITY', placed, { kind: 'cluster', id: cluster.id, reason: placed });
        await writeBricks(tx, id, placed, existing);
        const sizeBytes = volume.sizeBytes + addGib * GIB;
        const patch = volume.blockHosting ? { sizeBytes, blockFreeBytes: volume.blockFreeBytes + blockShare(addGib) } : { sizeBytes };
        return { value: await tx.volumes.update(id, patch), input: { volumeId: id, addGib }, affected: [{ kind: 'volume', id }] };
      });
      return { volume: value, job };
    },

    async deleteVolume(id, origin) {
      const { job } = await withJob('volume.delete', origin, async (tx) => {
        const current = await tx.volumes.get(id);
        if (current) await tx.clusters.lock(current.clusterId);
        const volume = await mustLock(tx.volumes, 'volume', id);
        if ((await tx.volumes.count(eq('hostingVolumeId', id))) > 0) throw conflictHasChildren('volume', id, 'block volumes');
        for (const brick of await tx.bricks.list({ filter: eq('volumeId', id) })) {
          await adjustDeviceUsage(tx, brick.deviceId, -(await brickFootprintBytes(tx, brick, volume.snapshotFactor)));
          await tx.bricks.delete(brick.id);
        }
        await tx.volumes.delete(id);
        return { value: undefined, input: { volumeId: id, name: volume.name }, affected: [{ kind: 'volume', id }] };
      });
      return job;
    },

    async addHost(input, origin) {
      const { value, job } = await withJob('host.add', origin, async (tx) => {
        const cluster = await mustLock(tx.clusters, 'cluster', input.clusterId);
        // Every holder of any of the addresses in one read, then the first address (in the order
        // given) that one holds, against the earliest such host.
        const addresses = { op: 'in' as const, value: input.addresses };
        const holders = await tx.hosts.list({
          filter: { any: [{ field: 'managementAddress', ...addresses }, { field: 'storageAddress', ...addresses }, { field: 'name', ...addresses }] },
          order: [{ field: 'seq', direction: 'asc' }],
        });
        for (const address of input.addresses) {
          const taken = holders.find((h) => h.managementAddress === address || h.storageAddress === address || h.name === address);
          if (taken) throw new CoreError('ALREADY_EXISTS', `address ${address} is used by host ${taken.id}`, { kind: 'host', id: taken.id, name: address });
        }
        const host = await tx.hosts.insert({
          id: ids.uuid(),
          siteId: cluster.siteId,
          clusterId: cluster.id,
          name: input.managementAddress,
          managementAddress: input.managementAddress,
          storageAddress: input.storageAddress,
          zone: input.zone,
          tags: input.tags,
        });
        return { value: host, input: { hostId: host.id }, affected: [{ kind: 'host', id: host.id }] };
      });
      return { host: value, job };
    },

    async removeHost(id, origin) {
      const { job } = await withJob('host.remove', origin, async (tx) => {
        await mustLock(tx.hosts, 'host', id);
        if ((await tx.devices.count(eq('hostId', id))) > 0) throw conflictHasChildren('host', id, 'devices');
        return { value: undefined, input: { hostId: id }, affected: [{ kind: 'host', id }] };
      });
      return job;
    },

    async setHostState(id, state, origin, options) {
      const { job } = await withJob('host.set_state', origin, async (tx) => {
        await mustLock(tx.hosts, 'host', id);
        return { value: undefined, input: { hostId: id, state, healCheck: options?.healCheck ?? true }, affected: [{ kind: 'host', id }] };
      });
      return job;
    },

    async addDevice(input, origin) {
      const { value, job } = await withJob('device.add', origin, async (tx) => {
        // No host row lock: the insert's foreign key check proves the host exists (NOT_FOUND
        // otherwise) and holds off its removal until commit, while devices added to one host in
        // parallel no longer queue behind each other. Duplicate names hit the unique key.
        const device = await tx.devices.insert({ id: ids.uuid(), hostId: input.hostId, name: input.name, sizeBytes: input.sizeBytes, tags: input.tags });
        return { value: device, input: { deviceId: device.id }, affected: [{ kind: 'device', id: device.id }] };
      });
      return { device: value, job };
    },

    async removeDevice(id, origin) {
      const { job } = await withJob('device.remove', origin, async (tx) => {
        const device = await mustLock(tx.devices, 'device', id);
        if (device.state !== 'failed') {
          throw new CoreError('INVALID_STATE', `device ${id} is not failed`, { kind: 'device', id, state: device.state, reason: 'not_failed' });
        }
        if ((await tx.bricks.count(eq('deviceId', id))) > 0) throw conflictHasChildren('device', id, 'bricks');
        return { value: undefined, input: { deviceId: id }, affected: [{ kind: 'device', id }] };
      });
      return job;
    },

    async setDeviceState(id, state, origin, options) {
      const { job } = await withJob('device.set_state', origin, async (tx) => {
        await mustLock(tx.devices, 'device', id);
        return { value: undefined, input: { deviceId: id, state, healCheck: options?.healCheck ?? true }, affected: [{ kind: 'device', id }] };
      });
      return job;
    },

    async resyncDevice(id, origin) {
      const { job } = await withJob('device.resync', origin, async (tx) => {
        await mustLock(tx.devices, 'device', id);
        return { value: undefined, input: { deviceId: id }, affected: [{ kind: 'device', id }] };
      });
      return job;
    },

    async changeTags(kind, id, change, tags) {
      return store.transaction(async (tx) => {
        const repo = kind === 'host' ? tx.hosts : tx.devices;
        const current = (await mustLock<{ tags: Tags }>(repo, kind, id)).tags ?? {};
        let next: Tags;
        if (change === 'set') next = { ...tags };
        else if (change === 'update') next = { ...current, ...tags };
        else next = Object.fromEntries(Object.entries(current).filter(([k]) => !(k in tags)));
        if (kind === 'host') await tx.hosts.update(id, { tags: next });
        else await tx.devices.update(id, { tags: next });
        return next;
      });
    },

    async createBlockVolume(input, origin) {
      const { value, job } = await withJob('block_volume.create', origin, async (tx) => {
        const clusters = (input.clusterIds.length ? input.clusterIds : (await tx.clusters.list()).map((c) => c.id)).sort();
        const eligible: Cluster[] = [];
        for (const id of clusters) {
          const cluster = await tx.clusters.lock(id);
          if (!cluster) throw notFound('cluster', id);
          if (cluster.blockEnabled) eligible.push(cluster);
        }
        const needed = input.sizeGib * GIB;
        const hosting = eligible.length
          ? await tx.volumes.list({
              filter: {
                all: [
                  { field: 'clusterId', op: 'in', value: eligible.map((c) => c.id) },
                  eq('blockHosting', true),
                  { field: 'blockFreeBytes', op: 'gte', value: needed },
                ],
              },
              order: [{ field: 'id', direction: 'asc' }],
            })
          : [];
        let host: Volume | undefined;
        for (const candidate of hosting) {
          if (candidate.blockRestriction) continue;
          if (input.name && (await tx.volumes.count({ all: [eq('hostingVolumeId', candidate.id), eq('name', input.name)] }))) continue;
          host = candidate;
          break;
        }
        if (!host) {
          const auto = input.autoCreate;
          const room = auto ? Math.floor((auto.sizeGib * 98) / 100) : 0;
          if (auto && input.sizeGib > room) throw blockRefusal('hosting_too_small', undefined, input.sizeGib, room);
          if (!auto) throw blockRefusal('hosting_creation_disabled', undefined, input.sizeGib);
          const durability: Durability = { type: 'replicate', replica: 3, disperseData: 0, disperseRedundancy: 0 };
          let placed: PlacedBrick[] | undefined;
          let cluster: Cluster | undefined;
          for (const c of eligible) {
            const attempt = await allocate(tx, c, { durability, snapshotFactor: 1 }, auto.sizeGib, 0, auto.placement);
            if (Array.isArray(attempt)) {
              placed = attempt;
              cluster = c;
              break;
            }
          }
          if (!placed || !cluster) throw blockRefusal('no_space', undefined, input.sizeGib);
          const id = ids.uuid();
          host = await tx.volumes.insert({
            id,
            clusterId: cluster.id,
            name: auto.defaultName(id),
            kind: 'file',
            sizeBytes: auto.sizeGib * GIB,
            durability,
            blockHosting: true,
            blockFreeBytes: blockShare(auto.sizeGib),
            snapshotFactor: 1,
            options: auto.options,
            placement: auto.placement,
          });
          await writeBricks(tx, id, placed);
        }
        await tx.volumes.update(host.id, { blockFreeBytes: host.blockFreeBytes - needed });
        const id = ids.uuid();
        const volume = await tx.volumes.insert({
          id,
          clusterId: host.clusterId,
          name: input.name || input.defaultName(id),
          kind: 'block',
          sizeBytes: needed,
          durability: host.durability,
          hostingVolumeId: host.id,
          haCount: input.haCount,
          authEnabled: input.auth,
        });
        return { value: volume, input: { volumeId: id }, affected: [{ kind: 'block_volume', id }, { kind: 'volume', id: host.id }] };
      });
      return { volume: value, job };
    },

    async expandBlockVolume(id, newSizeGib, origin) {
      const { job } = await withJob('block_volume.expand', origin, async (tx) => {
        const volume = await mustLock(tx.volumes, 'block_volume', id);
        const current = Math.floor(volume.sizeBytes / GIB);
        if (newSizeGib === current) throw blockRefusal('same_size', id, newSizeGib, current);
        if (newSizeGib < current) throw blockRefusal('shrink', id, newSizeGib, current);
        const host = await mustLock(tx.volumes, 'volume', volume.hostingVolumeId!);
        const delta = (newSizeGib - current) * GIB;
        if (host.blockFreeBytes < delta) throw blockRefusal('no_space', id, newSizeGib);
        await tx.volumes.update(host.id, { blockFreeBytes: host.blockFreeBytes - delta });
        await tx.volumes.update(id, { sizeBytes: newSizeGib * GIB });
        return { value: undefined, input: { volumeId: id, sizeGib: newSizeGib }, affected: [{ kind: 'block_volume', id }] };
      });
      return job;
    },

    async deleteBlockVolume(id, origin) {
      const { job } = await withJob('block_volume.delete', origin, async (tx) => {
        const volume = await mustLock(tx.volumes, 'block_volume', id);
        if (volume.hostingVolumeId) {
          const host = await mustLock(tx.volumes, 'volume', volume.hostingVolumeId);
          await tx.volumes.update(host.id, { blockFreeBytes: host.blockFreeBytes + volume.sizeBytes });
        }
        await tx.volumes.delete(id);
        return { value: undefined, input: { volumeId: id }, affected: [{ kind: 'block_volume', id }] };
      });
      return job;
    },

    async setBlockRestriction(id, restriction, origin) {
      const { job } = await withJob('volume.set_block_restriction', origin, async (tx) => {
        const volume = await mustLock(tx.volumes, 'volume', id);
        if (!volume.blockHosting) throw blockRefusal('not_block_hosting', id);
        await tx.volumes.update(id, { blockRestriction: restriction });
        return { value: undefined, input: { volumeId: id, restriction }, affected: [{ kind: 'volume', id }] };
      });
      return job;
    },

    async cloneVolume(id, name, defaultName, origin) {
      const { value, job } = await withJob('volume.clone', origin, async (tx) => {
        const source = await mustLock(tx.volumes, 'volume', id);
        if (source.blockHosting) throw blockRefusal('clone_block_hosting', id);
        const cloneId = ids.uuid();
        const clone = await tx.volumes.insert({
          id: cloneId,
          clusterId: source.clusterId,
          name: name || defaultName(cloneId),
          kind: 'file',
          sizeBytes: source.sizeBytes,
          durability: source.durability,
          snapshotFactor: source.snapshotFactor,
          snapshotEnabled: source.snapshotEnabled,
          gid: source.gid,
          options: source.options,
          placement: source.placement,
        });
        for (const brick of await tx.bricks.list({ filter: eq('volumeId', id), order: brickOrder })) {
          const brickId = ids.uuid();
          await tx.bricks.insert({
            id: brickId,
            volumeId: cloneId,
            deviceId: brick.deviceId,
            hostId: brick.hostId,
            sizeBytes: brick.sizeBytes,
            path: brickPath(brick.deviceId, brickId),
            poolBrickId: brick.poolBrickId ?? brick.id,
            position: brick.position,
          });
        }
        return { value: clone, input: { volumeId: cloneId, sourceId: id }, affected: [{ kind: 'volume', id: cloneId }, { kind: 'volume', id }] };
      });
      return { volume: value, job };
    },

    async evictBrick(id, origin, options) {
      const { job } = await withJob('brick.evict', origin, async (tx) => {
        const brick = await mustLock(tx.bricks, 'brick', id);
        return { value: undefined, input: { brickId: id, healCheck: options?.healCheck ?? true }, affected: [{ kind: 'brick', id }, { kind: 'volume', id: brick.volumeId }] };
      });
      return job;
    },

    async cleanupJobs(origin) {
      const { job } = await withJob('job.cleanup', origin, async () => ({ value: undefined, input: {}, affected: [] }));
      return job;
    },

    bricks: (filter) => store.repos.bricks.list({ filter, order: brickOrder }),
  };
}
