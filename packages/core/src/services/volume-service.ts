import { CoreError } from '../errors';
import { Brick, Durability, NewVolume, Volume, VolumePatch } from '../model/volume';
import { Device } from '../model/device';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { ServiceDeps } from './deps';
import { Reads, mustGet, mustLock, readsOf } from './reads';
import { Checks } from './validate';
import { adjustDeviceUsage } from './device-service';

export interface VolumeService extends Reads<Volume> {
  /** Validates, places the bricks and takes their space, all in one transaction. */
  create(input: NewVolume): Promise<Volume>;
  update(id: string, patch: VolumePatch): Promise<Volume>;
  /** Frees the bricks' space and deletes the volume. */
  remove(id: string): Promise<void>;
  bricks(volumeId: string): Promise<Brick[]>;
}

export const DEFAULT_DURABILITY: Durability = { type: 'replicate', replica: 3, disperseData: 4, disperseRedundancy: 2 };

/** How many bricks of which size a volume of sizeBytes needs. */
export function brickPlan(sizeBytes: number, durability: Durability): { count: number; brickBytes: number } {
  switch (durability.type) {
    case 'none':
      return { count: 1, brickBytes: sizeBytes };
    case 'replicate':
      return { count: durability.replica, brickBytes: sizeBytes };
    case 'disperse':
      return {
        count: durability.disperseData + durability.disperseRedundancy,
        brickBytes: Math.ceil(sizeBytes / durability.disperseData),
      };
  }
}

/**
 * Chooses devices for one replica set: one brick per host, spreading across zones first,
 * then preferring the device with most free space. Candidates are row-locked so two
 * concurrent placements cannot both take the last free bytes.
 */
export async function placeBricks(tx: Repositories, clusterId: string, count: number, brickBytes: number): Promise<Device[]> {
  const hosts = await tx.hosts.list({ filter: { all: [eq('clusterId', clusterId), eq('state', 'up')] } });
  const zoneOf = new Map(hosts.map((h) => [h.id, h.zone]));
  const devices = hosts.length
    ? await tx.devices.list({
        filter: { all: [{ field: 'hostId', op: 'in', value: hosts.map((h) => h.id) }, eq('state', 'online')] },
      })
    : [];
  const fitting = devices
    .filter((d) => d.sizeBytes - d.usedBytes >= brickBytes)
    .sort((a, b) => b.sizeBytes - b.usedBytes - (a.sizeBytes - a.usedBytes));
  const chosen: Device[] = [];
  const usedHosts = new Set<string>();
  const usedZones = new Set<number>();
  for (const preferNewZone of [true, false]) {
    for (const device of fitting) {
      if (chosen.length === count) break;
      if (usedHosts.has(device.hostId)) continue;
      const zone = zoneOf.get(device.hostId) ?? 0;
      if (preferNewZone && usedZones.has(zone)) continue;
      chosen.push(device);
      usedHosts.add(device.hostId);
      usedZones.add(zone);
    }
  }
  if (chosen.length < count) {
    throw new CoreError('CAPACITY', 'No space', { kind: 'cluster', id: clusterId, requested: brickBytes });
  }
  return chosen;
}

export function createVolumeService({ store, ids }: ServiceDeps): VolumeService {
  return {
    ...readsOf(store, 'volume', (r) => r.volumes),
    async create(input) {
      new Checks().name(input.name).positiveInt(input.sizeBytes, 'sizeBytes').done('invalid volume');
      const durability = input.durability ?? DEFAULT_DURABILITY;
      const { count, brickBytes } = brickPlan(input.sizeBytes, durability);
      return store.transaction(async (tx) => {
        await mustGet(tx.clusters, 'cluster', input.clusterId);
        const volume = await tx.volumes.insert({ ...input, id: input.id ?? ids.uuid(), durability });
        const devices = await placeBricks(tx, input.clusterId, count, brickBytes);
        for (const device of devices) {
          await adjustDeviceUsage(tx, device.id, brickBytes);
          const brickId = ids.uuid();
          await tx.bricks.insert({
            id: brickId,
            volumeId: volume.id,
            deviceId: device.id,
            hostId: device.hostId,
            sizeBytes: brickBytes,
            path: `/var/lib/rosetta/mounts/${device.id}/brick_${brickId}/brick`,
          });
        }
        return volume;
      });
    },
    async update(id, patch) {
      return store.transaction(async (tx) => {
        await mustLock(tx.volumes, 'volume', id);
        return tx.volumes.update(id, patch);
      });
    },
    async remove(id) {
      await store.transaction(async (tx) => {
        await mustLock(tx.volumes, 'volume', id);
        if ((await tx.volumes.count(eq('hostingVolumeId', id))) > 0) {
          throw new CoreError('CONFLICT', `volume ${id} still hosts block volumes`, { kind: 'volume', id, reason: 'has_children' });
        }
        for (const brick of await tx.bricks.list({ filter: eq('volumeId', id) })) {
          await adjustDeviceUsage(tx, brick.deviceId, -brick.sizeBytes);
          await tx.bricks.delete(brick.id);
        }
        await tx.volumes.delete(id);
      });
    },
    bricks: (volumeId) => store.repos.bricks.list({ filter: eq('volumeId', volumeId), order: [{ field: 'seq', direction: 'asc' }] }),
  };
}
