import { Device } from '../model/device';
import { Durability, VolumePlacement } from '../model/volume';
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

/**
 * How many of a set's other bricks must be up before one of its bricks may be replaced (Heketi's
 * QuorumBrickCount): one for plain distribution (which has none, so never) and replica 1-2,
 * a majority for replica 3, the data bricks for dispersal.
 */
export function quorumBrickCount(durability: Durability): number {
  const perSet = bricksInSet(durability);
  if (durability.type === 'disperse') return durability.disperseData;
  if (durability.type === 'replicate' && perSet >= 3) return Math.floor(perSet / 2) + 1;
  return 1;
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

/** Where bricks may go beyond "one per host per set": the rules a volume keeps (model/volume). */
export type PlacementRules = VolumePlacement;

/** Heketi's default `user.heketi.average-file-size`, and the smallest arbiter brick it makes. */
export const ARBITER_AVERAGE_FILE_KIB = 64;
const ARBITER_MIN_KIB = 16 * 1024;

/** An arbiter brick: one KiB per average-sized file of the data brick, at least 16 MiB. */
export function arbiterBrickKib(dataBrickKib: number, averageFileKib: number): number {
  const average = averageFileKib > 0 ? averageFileKib : ARBITER_AVERAGE_FILE_KIB;
  return Math.max(Math.floor(dataBrickKib / average), ARBITER_MIN_KIB);
}

/**
 * The `arbiter` tag of a node or device (the device's own tag wins): `required` takes only
 * arbiter bricks, `disabled` only data bricks, anything else (`supported`, untagged) both.
 */
function arbiterAllows(slot: RingSlot, arbiterBrick: boolean): boolean {
  const tag = slot.device.tags.arbiter ?? slot.host.tags.arbiter;
  if (tag === 'required') return arbiterBrick;
  if (tag === 'disabled') return !arbiterBrick;
  return true;
}

function tagAllows(slot: RingSlot, rule: PlacementRules['deviceTag']): boolean {
  if (!rule) return true;
  const tags = { ...slot.host.tags, ...slot.device.tags };
  return (tags[rule.key] === rule.value) === rule.equal;
}

/** Whether a brick of a set may take this slot, given the hosts and zones the set's other bricks hold. */
function slotAllows(slot: RingSlot, rules: PlacementRules, arbiterBrick: boolean | undefined, hosts: Set<string>, zones: Set<number>): boolean {
  if (hosts.has(slot.host.id)) return false;
  if (rules.strictZones && zones.has(slot.host.zone)) return false;
  if (!tagAllows(slot, rules.deviceTag)) return false;
  return arbiterBrick === undefined || arbiterAllows(slot, arbiterBrick);
}

/** Whether a volume's rules make it an arbiter volume: replica 3 with the arbiter option. */
export const arbiterVolume = (durability: Durability, rules: PlacementRules): boolean =>
  rules.arbiter !== undefined && durability.type === 'replicate' && bricksInSet(durability) === 3;

export interface ReplacementRequest {
  /** The cluster's online devices on online hosts, without the device the brick leaves. */
  ring: RingSlot[];
  /** Where the walk round the ring starts (the new brick id's rotation). */
  start: number;
  rules: PlacementRules;
  /** For an arbiter volume: whether the brick replaced is its set's arbiter; undefined otherwise. */
  arbiterBrick: boolean | undefined;
  /** Hosts and zones of the set's other bricks (the replaced brick's own host may be reused). */
  otherHosts: Set<string>;
  otherZones: Set<number>;
  /** Device space the new brick takes: a thin pool of its own. */
  needKib: number;
}

/**
 * Heketi's brick replacement (placer Replace, volume_entry allocBrickReplacement): the devices a
 * brick may move to, in the order they are tried. The set's other bricks keep their hosts (and
 * zones, under strict zone checking), the volume's tag-match rule holds, and an arbiter volume's
 * arbiter brick goes only where `arbiter` tags admit arbiter bricks (required, supported), a
 * data brick only where they admit data (supported, disabled).
 */
export function replacementCandidates(req: ReplacementRequest): RingSlot[] {
  const out: RingSlot[] = [];
  for (let i = 0; i < req.ring.length; i++) {
    const slot = req.ring[(req.start + i) % req.ring.length];
    if (!slotAllows(slot, req.rules, req.arbiterBrick, req.otherHosts, req.otherZones)) continue;
    if (freeKib(slot.device) <= req.needKib) continue;
    out.push(slot);
  }
  return out;
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
  const arbiter = arbiterVolume(req.durability, req.rules) ? req.rules.arbiter : undefined;
  const arbiterKib = arbiter ? arbiterBrickKib(brickKib, arbiter.averageFileKib) : 0;
  const arbiterFootprint = arbiter ? brickFootprintKib(arbiterKib, req.snapshotFactor) : 0;
  const placed: PlacedBrick[] = [];
  for (let set = 0; set < sets; set++) {
    const ids = Array.from({ length: perSet }, () => req.newId());
    const start = rotation(ids[0], req.ring.length);
    const hosts = new Set<string>();
    const zones = new Set<number>();
    // The arbiter is the most constrained brick, so it is placed first; it stays last in the set
    // because gluster makes the third brick of each replica set the arbiter.
    const order = arbiter ? [perSet - 1, ...ids.keys()].slice(0, perSet) : [...ids.keys()];
    const chosenAt: PlacedBrick[] = [];
    for (const index of order) {
      const id = ids[index];
      const isArbiter = arbiter !== undefined && index === perSet - 1;
      const size = isArbiter ? arbiterKib : brickKib;
      const need = isArbiter ? arbiterFootprint : footprint;
      let chosen: RingSlot | undefined;
      for (let i = 0; i < req.ring.length && !chosen; i++) {
        const slot = req.ring[(start + i) % req.ring.length];
        if (!slotAllows(slot, req.rules, arbiter ? isArbiter : undefined, hosts, zones)) continue;
        if ((free.get(slot.device.id) ?? 0) <= need) continue;
        chosen = slot;
      }
      if (!chosen) return undefined;
      free.set(chosen.device.id, free.get(chosen.device.id)! - need);
      hosts.add(chosen.host.id);
      zones.add(chosen.host.zone);
      chosenAt[index] = { id, device: chosen.device, host: chosen.host, sizeKib: size, footprintKib: need };
    }
    placed.push(...chosenAt);
  }
  return placed;
}
