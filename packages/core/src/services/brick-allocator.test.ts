import { Device } from '../model/device';
import { Host } from '../model/host';
import { Durability } from '../model/volume';
import { GIB_KIB, PlacementRules, RingSlot, arbiterBrickKib, balancedRing, brickFootprintKib, planBricks, replacementCandidates, rotation } from './brick-allocator';

const at = new Date(0);
const host = (n: number, zone: number): Host => ({ id: `00000000-0000-4000-8000-00000000000${n}`, seq: n, createdAt: at, updatedAt: at, zone, tags: {} }) as unknown as Host;
const device = (n: number, hostN: number, gib: number): Device =>
  ({ id: `d0000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`, hostId: host(hostN, 0).id, sizeBytes: gib * 2 ** 30, usedBytes: 0, tags: {} }) as unknown as Device;
const replica = (r: number): Durability => ({ type: 'replicate', replica: r, disperseData: 0, disperseRedundancy: 0 });

let counter = 0;
const newId = () => `${(++counter).toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;

describe('brick allocation', () => {
  const hosts = [host(1, 1), host(2, 2), host(3, 3)];
  const ring = balancedRing(hosts, [device(1, 1, 500), device(2, 2, 500), device(3, 3, 500)]);

  test('the ring alternates zones', () => {
    expect(ring.map((s) => s.host.zone)).toEqual([1, 2, 3]);
  });

  test('1000 GiB replica 3 on 500 GiB devices: every halving fails, then too many bricks', () => {
    expect(planBricks({ sizeKib: 1000 * GIB_KIB, durability: replica(3), snapshotFactor: 1, existingBricks: 0, rules: { strictZones: false }, ring, newId }).ok).toBe(false);
  });

  test('a volume that fits once halved gets two sets of half-size bricks', () => {
    const six = balancedRing([1, 2, 3, 4, 5, 6].map((n) => host(n, (n % 3) + 1)), [1, 2, 3, 4, 5, 6].map((n) => device(n, n, 500)));
    const plan = planBricks({ sizeKib: 600 * GIB_KIB, durability: replica(3), snapshotFactor: 1, existingBricks: 0, rules: { strictZones: false }, ring: six, newId });
    expect(plan.ok && plan.bricks.map((b) => b.sizeKib)).toEqual(Array(6).fill(300 * GIB_KIB));
  });

  test('disperse bricks hold size / data', () => {
    const ecRing = balancedRing([1, 2, 3].map((n) => host(n, n)), [1, 2, 3].map((n) => device(n, n, 500)));
    const plan = planBricks({
      sizeKib: 8 * GIB_KIB,
      durability: { type: 'disperse', replica: 1, disperseData: 2, disperseRedundancy: 1 },
      snapshotFactor: 1,
      existingBricks: 0,
      rules: { strictZones: false },
      ring: ecRing,
      newId,
    });
    expect(plan.ok && plan.bricks.map((b) => b.sizeKib)).toEqual([4194304, 4194304, 4194304]);
  });

  test('strict zones refuse a set that would share a zone', () => {
    const twoZones = balancedRing([host(1, 1), host(2, 1), host(3, 2)], [device(1, 1, 500), device(2, 2, 500), device(3, 3, 500)]);
    const req = { sizeKib: GIB_KIB, durability: replica(3), snapshotFactor: 1, existingBricks: 0, ring: twoZones, newId };
    expect(planBricks({ ...req, rules: { strictZones: true } }).ok).toBe(false);
    expect(planBricks({ ...req, rules: { strictZones: false } }).ok).toBe(true);
  });

  test('rotation comes from the first seven hex digits of the id', () => {
    expect(rotation('000000a0-0000-4000-8000-000000000000', 3)).toBe(1);
    expect(rotation('ffffffff-0000-4000-8000-000000000000', 7)).toBe(0xfffffff % 7);
  });

  describe('arbiter volumes', () => {
    const tagged = (d: Device, arbiter: string): Device => ({ ...d, tags: { arbiter } });
    const arb = { strictZones: false, arbiter: { averageFileKib: 64 } };
    const plan = (ring: ReturnType<typeof balancedRing>, sizeGib = 100, rules = arb) =>
      planBricks({ sizeKib: sizeGib * GIB_KIB, durability: replica(3), snapshotFactor: 1, existingBricks: 0, rules, ring, newId });

    test('the arbiter brick is data / average file size, at least 16 MiB', () => {
      expect(arbiterBrickKib(100 * GIB_KIB, 64)).toBe(1638400);
      expect(arbiterBrickKib(GIB_KIB, 1024)).toBe(16384);
    });

    test('the third brick of each set is the small arbiter brick and takes its own footprint', () => {
      const result = plan(ring);
      expect(result.ok && result.bricks.map((b) => b.sizeKib)).toEqual([100 * GIB_KIB, 100 * GIB_KIB, 1638400]);
      expect(result.ok && result.bricks[2].footprintKib).toBe(brickFootprintKib(1638400, 1));
    });

    test('arbiter:required devices take only the arbiter brick, arbiter:disabled ones never', () => {
      const four = [host(1, 1), host(2, 2), host(3, 3), host(4, 4)];
      const devices = [device(1, 1, 500), device(2, 2, 500), tagged(device(3, 3, 500), 'required'), tagged(device(4, 4, 500), 'disabled')];
      for (let i = 0; i < 16; i++) {
        const result = plan(balancedRing(four, devices), 10);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.bricks[2].device.id).not.toBe(devices[3].id);
        expect(result.bricks.slice(0, 2).map((b) => b.device.id)).not.toContain(devices[2].id);
      }
    });

    test('the device tag overrides the node tag, and no eligible device means no space', () => {
      const nodes = [host(1, 1), host(2, 2), host(3, 3)].map((h) => ({ ...h, tags: { arbiter: 'disabled' } }));
      expect(plan(balancedRing(nodes, [device(1, 1, 500), device(2, 2, 500), device(3, 3, 500)]), 10).ok).toBe(false);
      const result = plan(balancedRing(nodes, [device(1, 1, 500), device(2, 2, 500), tagged(device(3, 3, 500), 'supported')]), 10);
      expect(result.ok && result.bricks[2].device.id).toBe(device(3, 3, 500).id);
    });

    test('without the option (or without replica 3) every brick is full size and tags are ignored', () => {
      const result = plan(balancedRing(hosts, [device(1, 1, 500), device(2, 2, 500), tagged(device(3, 3, 500), 'required')]), 10, { strictZones: false } as typeof arb);
      expect(result.ok && result.bricks.map((b) => b.sizeKib)).toEqual(Array(3).fill(10 * GIB_KIB));
      const two = planBricks({ sizeKib: 10 * GIB_KIB, durability: replica(2), snapshotFactor: 1, existingBricks: 0, rules: arb, ring, newId });
      expect(two.ok && two.bricks.map((b) => b.sizeKib)).toEqual(Array(2).fill(10 * GIB_KIB));
    });
  });

  describe('brick replacement (eviction, device and node failure)', () => {
    const tagged = (d: Device, arbiter: string): Device => ({ ...d, tags: { arbiter } });
    // Five hosts in zones 1,2,3,1,2; host 1's device holds the brick leaving, hosts 2 and 3 the set's others.
    const five = [host(1, 1), host(2, 2), host(3, 3), host(4, 1), host(5, 2)];
    const others = { otherHosts: new Set([host(2, 2).id, host(3, 3).id]), otherZones: new Set([2, 3]) };
    const candidates = (devices: Device[], rules: PlacementRules, arbiterBrick: boolean | undefined, extra: Partial<Parameters<typeof replacementCandidates>[0]> = {}) =>
      replacementCandidates({ ring: balancedRing(five, devices), start: 0, rules, arbiterBrick, needKib: brickFootprintKib(GIB_KIB, 1), ...others, ...extra }).map((s: RingSlot) => s.device.id);
    const spare = [device(6, 1, 500), device(4, 4, 500), device(5, 5, 500), device(2, 2, 500), device(3, 3, 500)];

    test('never on a host of the set’s other bricks; the leaving brick’s own host may take it back', () => {
      expect(candidates(spare, { strictZones: false }, undefined).sort()).toEqual([device(6, 1, 500).id, device(4, 4, 500).id, device(5, 5, 500).id].sort());
    });

    test('strict zones keep the other bricks’ zones out; a device without room is skipped', () => {
      expect(candidates(spare, { strictZones: true }, undefined).sort()).toEqual([device(6, 1, 500).id, device(4, 4, 500).id].sort());
      const full = { ...device(4, 4, 500), usedBytes: 500 * 2 ** 30 - 1024 * 1024 * 1024 };
      expect(candidates([device(6, 1, 500), full, device(5, 5, 500)], { strictZones: true }, undefined)).toEqual([device(6, 1, 500).id]);
    });

    test('the tag-match rule of the volume still holds', () => {
      const ssd = { ...device(5, 5, 500), tags: { disk: 'ssd' } };
      expect(candidates([device(6, 1, 500), device(4, 4, 500), ssd], { strictZones: false, deviceTag: { key: 'disk', value: 'ssd', equal: true } }, undefined)).toEqual([ssd.id]);
      expect(candidates([device(6, 1, 500), ssd], { strictZones: false, deviceTag: { key: 'disk', value: 'ssd', equal: false } }, undefined)).toEqual([device(6, 1, 500).id]);
    });

    test('an arbiter brick goes only to arbiter:required or supported devices, a data brick only to supported or disabled ones', () => {
      const arb: PlacementRules = { strictZones: false, arbiter: { averageFileKib: 64 } };
      const devices = [tagged(device(6, 1, 500), 'required'), tagged(device(4, 4, 500), 'disabled'), tagged(device(5, 5, 500), 'supported')];
      expect(candidates(devices, arb, true).sort()).toEqual([device(6, 1, 500).id, device(5, 5, 500).id].sort());
      expect(candidates(devices, arb, false).sort()).toEqual([device(4, 4, 500).id, device(5, 5, 500).id].sort());
      // An untagged device (or an unknown tag value) counts as supported; the device's tag beats its node's.
      const nodeTagged = five.map((h) => ({ ...h, tags: { arbiter: 'required' } }));
      const ring = balancedRing(nodeTagged, [device(4, 4, 500), tagged(device(5, 5, 500), 'odd')]);
      const ids = (arbiterBrick: boolean) => replacementCandidates({ ring, start: 0, rules: arb, arbiterBrick, needKib: 1, ...others }).map((x) => x.device.id);
      expect(ids(false)).toEqual([device(5, 5, 500).id]);
      expect(ids(true).sort()).toEqual([device(4, 4, 500).id, device(5, 5, 500).id].sort());
    });

    test('tags are ignored for a volume that is not an arbiter volume', () => {
      const devices = [tagged(device(6, 1, 500), 'required'), tagged(device(4, 4, 500), 'disabled')];
      expect(candidates(devices, { strictZones: false }, undefined).sort()).toEqual([device(6, 1, 500).id, device(4, 4, 500).id].sort());
    });

    test('the walk starts at the given ring position', () => {
      const ring = balancedRing(five, spare);
      const all = replacementCandidates({ ring, start: 0, rules: { strictZones: false }, arbiterBrick: undefined, needKib: 1, otherHosts: new Set(), otherZones: new Set() });
      const shifted = replacementCandidates({ ring, start: 2, rules: { strictZones: false }, arbiterBrick: undefined, needKib: 1, otherHosts: new Set(), otherZones: new Set() });
      expect(shifted.map((x) => x.device.id)).toEqual([...all.slice(2), ...all.slice(0, 2)].map((x) => x.device.id));
    });
  });
});
