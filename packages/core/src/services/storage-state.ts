import { CoreError } from '../errors';
import { Brick } from '../model/volume';
import { DeviceState } from '../model/device';
import { HostState } from '../model/host';
import { IdGenerator } from '../ports/ids';
import { eq } from '../ports/query';
import { Repositories } from '../ports/repositories';
import { mustLock } from './reads';
import { lustreDeviceStateChanged, lustreHostStateChanged } from './lustre-outage';
import { adjustDeviceUsage } from './device-service';
import { KIB, PlacementRules, arbiterVolume, balancedRing, brickFootprintKib, bricksInSet, quorumBrickCount, replacementCandidates, rotation } from './brick-allocator';
import { conflictHasChildren } from './validate';

/** Where a gluster brick lives on its node: the layout Heketi gives its thin pools. */
export const brickPath = (deviceId: string, brickId: string): string =>
  `/var/lib/heketi/mounts/vg_${deviceId.replace(/-/g, '')}/brick_${brickId.replace(/-/g, '')}/brick`;

/** Device space a stored brick holds, from its data size and its volume's snapshot factor. */
export async function brickFootprintBytes(tx: Repositories, brick: Brick, snapshotFactor?: number): Promise<number> {
  if (brick.poolBrickId) return 0;
  return fullFootprintBytes(tx, brick, snapshotFactor);
}

/** What the brick would take in a thin pool of its own (a moved clone brick gets one). */
async function fullFootprintBytes(tx: Repositories, brick: Brick, snapshotFactor?: number): Promise<number> {
  const factor = snapshotFactor ?? (await tx.volumes.get(brick.volumeId))?.snapshotFactor ?? 1;
  return brickFootprintKib(Math.floor(brick.sizeBytes / KIB), factor) * KIB;
}

/**
 * Brick moves take the host's cluster row lock first, as allocation does, so a state change and
 * a volume create on one cluster queue behind each other instead of deadlocking on devices.
 */
async function lockClusterOfHost(tx: Repositories, hostId: string): Promise<void> {
  const host = await tx.hosts.get(hostId);
  if (host?.clusterId) await tx.clusters.lock(host.clusterId);
}

const refuse = (kind: string, id: string, state: string, reason: string, message: string): CoreError =>
  new CoreError('INVALID_STATE', message, { kind, id, state, reason });

/** A volume's bricks in gluster's order: their positions, creation breaking ties. */
export const brickOrder = [
  { field: 'position', direction: 'asc' as const },
  { field: 'seq', direction: 'asc' as const },
];

const NO_RULES: PlacementRules = { strictZones: false };

/**
 * Replaces one brick with a new one elsewhere in its cluster, as Heketi's brick eviction does:
 * the new brick (a new id, the old brick's size, a thin pool of its own) takes the old one's
 * position, so it joins the same replica/disperse set, and it is placed under the volume's own
 * rules (replacementCandidates). Fails with reason no_replacement when no device qualifies.
 */
export async function evictBrick(tx: Repositories, ids: IdGenerator, brickId: string, healCheck = true): Promise<string> {
  const found = await tx.bricks.get(brickId);
  if (found) await lockClusterOfHost(tx, found.hostId);
  const brick = await mustLock(tx.bricks, 'brick', brickId);
  const host = await mustLock(tx.hosts, 'host', brick.hostId);
  const volume = (await tx.volumes.get(brick.volumeId))!;
  const [clusterHosts, siblings] = await Promise.all([
    host.clusterId ? tx.hosts.list({ filter: eq('clusterId', host.clusterId) }) : Promise.resolve([]),
    tx.bricks.list({ filter: eq('volumeId', volume.id), order: brickOrder }),
  ]);
  const hosts = clusterHosts.filter((h) => h.state === 'up');
  const rules = volume.placement ?? NO_RULES;
  const perSet = bricksInSet(volume.durability);
  const index = siblings.findIndex((b) => b.id === brick.id);
  const others = siblings.slice(index - (index % perSet), index - (index % perSet) + perSet).filter((b) => b.id !== brick.id);
  // Heketi asks gluster first whether the set can spare the brick (canReplaceBrickInBrickSet):
  // enough of its other bricks must be up, and a brick of plain distribution has no others.
  const stateOf = new Map(clusterHosts.map((h) => [h.id, h.state]));
  const quorum = quorumBrickCount(volume.durability);
  const up = others.filter((b) => stateOf.get(b.hostId) !== 'down').length;
  // Heketi's expert option (healcheck "disable") skips this check.
  if (healCheck && up < quorum) {
    throw new CoreError('INVALID_STATE', `only ${up} of ${quorum} peer bricks are up`, { kind: 'brick', id: brickId, reason: 'peer_quorum', requested: quorum, available: up });
  }
  const zoneOf = new Map(clusterHosts.map((h) => [h.id, h.zone]));
  const devices = hosts.length
    ? await tx.devices.list({ filter: { all: [{ field: 'hostId', op: 'in', value: hosts.map((h) => h.id) }, eq('state', 'online')] } })
    : [];
  const ring = balancedRing(hosts, devices.filter((d) => d.id !== brick.deviceId));
  const held = await brickFootprintBytes(tx, brick, volume.snapshotFactor);
  const need = await fullFootprintBytes(tx, brick, volume.snapshotFactor);
  const newId = ids.uuid();
  const candidates = replacementCandidates({
    ring,
    start: rotation(newId, ring.length),
    rules,
    // Gluster makes the third brick of each replica-3 set the arbiter.
    arbiterBrick: arbiterVolume(volume.durability, rules) ? index % perSet === perSet - 1 : undefined,
    otherHosts: new Set(others.map((b) => b.hostId)),
    otherZones: new Set(others.map((b) => zoneOf.get(b.hostId)!).filter((z) => z !== undefined)),
    needKib: need / KIB,
  });
  for (const slot of candidates) {
    // Guarded: a concurrent allocation may have taken the room since the devices were read.
    if (!(await tx.devices.adjustUsed(slot.device.id, need))) continue;
    if (held) await adjustDeviceUsage(tx, brick.deviceId, -held);
    await tx.bricks.delete(brick.id);
    await tx.bricks.insert({
      id: newId,
      volumeId: brick.volumeId,
      deviceId: slot.device.id,
      hostId: slot.host.id,
      sizeBytes: brick.sizeBytes,
      path: brickPath(slot.device.id, newId),
      position: brick.position ?? index,
    });
    return newId;
  }
  throw new CoreError('CAPACITY', 'no device can take the brick', { kind: 'brick', id: brickId, reason: 'no_replacement' });
}

/** Moves every brick off a device; fails as a whole when one brick finds no room. */
export async function evictBricks(tx: Repositories, ids: IdGenerator, deviceId: string, healCheck = true): Promise<void> {
  await mustLock(tx.devices, 'device', deviceId);
  for (const brick of await tx.bricks.list({ filter: eq('deviceId', deviceId), order: [{ field: 'seq', direction: 'asc' }] })) {
    await evictBrick(tx, ids, brick.id, healCheck);
  }
}

/** Device state rules: online and offline swap freely, failing needs offline first and evicts, failed is final. */
export async function applyDeviceState(tx: Repositories, ids: IdGenerator, deviceId: string, target: DeviceState, healCheck = true): Promise<void> {
  const before = await moveDeviceState(tx, ids, deviceId, target, healCheck);
  await lustreDeviceStateChanged(tx, deviceId, before, target);
}

/**
 * applyDeviceState without the Lustre consequence, returning the state the device left: a node
 * failure fails its devices as bookkeeping, and its targets fail over as for any server outage
 * (lustreHostStateChanged) rather than stop as they would for a failed LUN.
 */
async function moveDeviceState(tx: Repositories, ids: IdGenerator, deviceId: string, target: DeviceState, healCheck: boolean): Promise<DeviceState> {
  const found = await tx.devices.get(deviceId);
  if (found) await lockClusterOfHost(tx, found.hostId);
  const device = await mustLock(tx.devices, 'device', deviceId);
  if (device.state === target) return device.state;
  if (device.state === 'online' && target === 'failed') {
    throw refuse('device', deviceId, device.state, 'offline_first', `device ${deviceId} must be offline before it can fail`);
  }
  if (device.state === 'failed' && target === 'online') {
    throw refuse('device', deviceId, device.state, 'failed_final', `device ${deviceId} has failed and cannot come online`);
  }
  if (target === 'failed') await evictBricks(tx, ids, deviceId, healCheck);
  await tx.devices.update(deviceId, { state: target });
  return device.state;
}

/** Host state rules, mirroring devices: failing a host in maintenance fails each of its devices first. */
export async function applyHostState(tx: Repositories, ids: IdGenerator, hostId: string, target: HostState, healCheck = true): Promise<void> {
  await lockClusterOfHost(tx, hostId);
  const host = await mustLock(tx.hosts, 'host', hostId);
  if (host.state === target) return;
  if (host.state === 'up' && target === 'down') {
    throw refuse('host', hostId, host.state, 'offline_first', `host ${hostId} must be in maintenance before it can fail`);
  }
  if (host.state === 'down') {
    throw refuse('host', hostId, host.state, 'failed_final', `host ${hostId} has failed and cannot change state`);
  }
  if (target === 'down') {
    for (const device of await tx.devices.list({ filter: eq('hostId', hostId) })) {
      if (device.state === 'online') await tx.devices.update(device.id, { state: 'offline' });
      await moveDeviceState(tx, ids, device.id, 'failed', healCheck);
    }
  }
  await tx.hosts.update(hostId, { state: target });
  await lustreHostStateChanged(tx, hostId, host.state, target);
}

/** A host leaves the domain only once it holds no devices (and so no bricks). */
export async function removeEmptyHost(tx: Repositories, hostId: string): Promise<void> {
  await mustLock(tx.hosts, 'host', hostId);
  if ((await tx.devices.count(eq('hostId', hostId))) + (await tx.vms.count(eq('hostId', hostId))) > 0) {
    throw conflictHasChildren('host', hostId, 'devices');
  }
  await tx.hosts.delete(hostId);
}

/** A device is forgotten only once failed and empty. */
export async function removeFailedDevice(tx: Repositories, deviceId: string): Promise<void> {
  const device = await mustLock(tx.devices, 'device', deviceId);
  if (device.state !== 'failed') throw refuse('device', deviceId, device.state, 'not_failed', `device ${deviceId} is not failed`);
  const children = (await tx.bricks.count(eq('deviceId', deviceId))) + (await tx.targets.count(eq('deviceId', deviceId)));
  if (children > 0) throw conflictHasChildren('device', deviceId, 'bricks');
  await tx.devices.delete(deviceId);
}
