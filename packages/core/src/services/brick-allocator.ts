import { Device } from '../model/device';
import { Durability } from '../model/volume';
import { Host } from '../model/host';

/**
 * How a gluster volume's bricks are sized and placed on devices, as Heketi does it. All sizes
 * are KiB (Heketi's unit); the devices themselves keep bytes.
 */
export const KIB = 1024;
export const GIB_KIB = 1024 * 1024;
export const BRICK_MIN_KIB = GIB_KIB;
export const BRICK_MAX_KIB = 4 * 1024 * GIB_KIB;
export const MAX_BRICKS_PER_VOLUME = 32;
const EXTENT_KIB = 4096;
const MAX_METADATA_KIB = 16 * GIB_KIB;

const alignUp = (kib: number): number => Math.ceil(kib / EXTENT_KIB) * EXTENT_KIB;

/**
 * Device space a brick takes: its thin pool (data times the snapshot factor, the factor held
 * as a float32 as Heketi holds it) plus pool metadata, both rounded up to whole extents.
 */
export function brickSpaceKib(brickKib: number, snapshotFactor: number): { pool: number; metadata: number } {
  const pool = alignUp(Math.floor(brickKib * Math.fround(snapshotFactor)));
  return { pool, metadata: Math.min(alignUp(Math.floor(pool * 0.005)), MAX_METADATA_KIB) };
}

export function brickFootprintKib(brickKib: number, snapshotFactor: number): number {
  const { pool, metadata } = brickSpaceKib(brickKib, snapshotFactor);
  return pool + metadata;
}

/** Bricks per set: a replica set, one brick for plain distribution, data + redundancy for dispersal. */
export function bricksInSet(durability: Durability): number {
  switch (durability.type) {
    case 'none':
      return 1;
    case 'replicate':
      return durability.replica > 0 ? durability.replica : 2;
    case 'disperse':
      return durability.disperseData + durability.disperseRedundancy;
  }
}

/** Free KiB of a device as allocation sees it: what is left after bricks, targets and anything else. */
export const freeKib = (device: Device): number => Math.floor((device.sizeBytes - device.usedBytes) / KIB);

export interface RingSlot {
  device: Device;
  host: Host;
}

/**
 * Devices in the order bricks try them: round-robin over zones, within a zone over hosts, each
 * host giving up one device per turn. Zones, hosts and devices are sorted so placement is
 * deterministic for a given set of ids (Heketi iterates Go maps here, i.e. randomly).
 */
export function balancedRing(hosts: Host[], devices: Device[]): RingSlot[] {
  const byHost = new Map<string, Device[]>();
  for (const d of [...devices].sort((a, b) => a.id.localeCompare(b.id))) {
    const list = byHost.get(d.hostId) ?? [];
    list.push(d);
    byHost.set(d.hostId, list);
  }
  const zones = new Map<number, { host: Host; devices: Device[] }[]>();
  for (const host of [...hosts].sort((a, b) => a.id.localeCompare(b.id))) {
    const own = byHost.get(host.id);
    if (!own?.length) continue;
    const zone = zones.get(host.zone) ?? [];
    zone.push({ host, devices: [...own] });
    zones.set(host.zone, zone);
  }
  const order = [...zones.keys()].sort((a, b) => a - b).map((z) => ({ queue: zones.get(z)!, next: 0 }));
  const ring: RingSlot[] = [];
  let remaining = devices.length;
  while (remaining > 0 && order.some((z) => z.queue.length)) {
    for (const zone of order) {
      if (!zone.queue.length) continue;
      const index = zone.next % zone.queue.length;
      const entry = zone.queue[index];
      ring.push({ device: entry.devices.shift()!, host: entry.host });
      remaining--;
      if (entry.devices.length) zone.next = index + 1;
      else {
        zone.queue.splice(index, 1);
        zone.next = index;
      }
    }
  }
  return ring;
}

/** Heketi starts each set at a ring position derived from the set's first brick id. */
export function rotation(brickId: string, length: number): number {
  return length ? parseInt(brickId.replace(/-/g, '').slice(0, 7), 16) % length : 0;
}

export interface PlacedBrick {
  id: string;
  device: Device;
  host: Host;
  sizeKib: number;
  footprintKib: number;
}

/** Where bricks may go beyond "one per host per set". */
export interface PlacementRules {
  /** Bricks of one set in distinct zones. */
  strictZones: boolean;
  /** Only devices whose tags (host tags overlaid by device tags) have (equal) or lack (!equal) key=value. */
  deviceTag?: { key: string; value: string; equal: boolean };
}

function tagAllows(slot: RingSlot, rule: PlacementRules['deviceTag']): boolean {
  if (!rule) return true;
  const tags = { ...slot.host.tags, ...slot.device.tags };
  return (tags[rule.key] === rule.value) === rule.equal;
}

export interface PlanRequest {
  sizeKib: number;
  durability: Durability;
  snapshotFactor: number;
  existingBricks: number;
  rules: PlacementRules;
  ring: RingSlot[];
  newId(): string;
}

export type PlanOutcome = { ok: true; bricks: PlacedBrick[] } | { ok: false };

/**
 * Heketi's brick-size loop: one set of full-size bricks first, then twice as many sets of half
 * the size, until every set finds room, the bricks get too small or too many. Space is
 * simulated on a copy of the devices' free space; the caller commits the winning plan.
 */
export function planBricks(req: PlanRequest): PlanOutcome {
  const perSet = bricksInSet(req.durability);
  let sets = 1;
  for (;;) {
    let brickKib = Math.floor(req.sizeKib / sets);
    if (req.durability.type === 'disperse') brickKib = Math.floor(brickKib / req.durability.disperseData);
    const trying = sets;
    sets *= 2;
    if (brickKib < BRICK_MIN_KIB) return { ok: false };
    if (brickKib > BRICK_MAX_KIB) continue;
    if (trying * perSet + req.existingBricks > MAX_BRICKS_PER_VOLUME) return { ok: false };
    const placed = placeSets(req, trying, perSet, brickKib);
    if (placed) return { ok: true, bricks: placed };
  }
}

function placeSets(req: PlanRequest, sets: number, perSet: number, brickKib: number): PlacedBrick[] | undefined {
  const free = new Map(req.ring.map((s) => [s.device.id, freeKib(s.device)]));
  const footprint = brickFootprintKib(brickKib, req.snapshotFactor);
  const placed: PlacedBrick[] = [];
  for (let set = 0; set < sets; set++) {
    const ids = Array.from({ length: perSet }, () => req.newId());
    const start = rotation(ids[0], req.ring.length);
    const hosts = new Set<string>();
    const zones = new Set<number>();
    for (const id of ids) {
      let chosen: RingSlot | undefined;
      for (let i = 0; i < req.ring.length && !chosen; i++) {
        const slot = req.ring[(start + i) % req.ring.length];
        if (hosts.has(slot.host.id)) continue;
        if (req.rules.strictZones && zones.has(slot.host.zone)) continue;
        if (!tagAllows(slot, req.rules.deviceTag)) continue;
        if ((free.get(slot.device.id) ?? 0) <= footprint) continue;
        chosen = slot;
      }
      if (!chosen) return undefined;
      free.set(chosen.device.id, free.get(chosen.device.id)! - footprint);
      hosts.add(chosen.host.id);
      zones.add(chosen.host.zone);
      placed.push({ id, device: chosen.device, host: chosen.host, sizeKib: brickKib, footprintKib: footprint });
    }
  }
  return placed;
}
