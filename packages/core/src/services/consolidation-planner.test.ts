import { PlanHost, PlanVm, planConsolidation } from './consolidation-planner';

const host = (n: number, over: Partial<PlanHost> = {}): PlanHost => ({
  id: `h${n}`,
  seq: n,
  clusterId: 'c1',
  on: true,
  off: false,
  cpuCores: 10,
  memoryMb: 100_000,
  powerIdleWatts: 100,
  powerMaxWatts: 300,
  standbyEnabled: true,
  minutesInState: 120,
  powerOffMinUptime: 30,
  powerOnMinDowntime: 10,
  ...over,
});

let vmSeq = 0;
const vm = (hostId: string, cpuCores: number, over: Partial<PlanVm> = {}): PlanVm => ({
  id: `v${++vmSeq}`,
  seq: vmSeq,
  hostId,
  clusterId: 'c1',
  cpuCores,
  activeMemoryMb: 1000,
  grantedMemoryMb: 4000,
  migrationEnabled: true,
  clusterMigrationEnabled: false,
  ...over,
});

const base = { ta: 80, th: 90, clusters: [{ id: 'c1', enabled: true, serversAlwaysOn: 1 }], maxMigrations: 100 };

describe('planConsolidation', () => {
  test('four lightly loaded hosts consolidate onto the busiest one, draw falls', () => {
    // Hand-checked: loads 1, 2, 3, 4 cores of 10; everything (10 cores = 100%) does not fit
    // in ta 80, so h4 (4) takes h1 (1) and h2 (2) -> 7 cores = 70%; h3 (3) cannot join (100%).
    const hosts = [host(1), host(2), host(3), host(4)];
    const vms = [vm('h1', 1), vm('h2', 2), vm('h3', 3), vm('h4', 4)];
    const plan = planConsolidation({ ...base, hosts, vms });
    expect(plan.moves.map((m) => [m.vmId, m.fromHostId, m.toHostId])).toEqual([
      [vms[0].id, 'h1', 'h4'],
      [vms[1].id, 'h2', 'h4'],
    ]);
    expect(plan.evacuating).toEqual(['h1', 'h2']);
    expect(plan.powerOff).toEqual([]);
    expect(plan.hostsOnBefore).toBe(4);
    expect(plan.hostsOnAfter).toBe(2);
    // idle 100 W + 200 W x load: before 120 + 140 + 160 + 180 = 600 W; after h3 160 + h4 (70%) 240 = 400 W.
    expect(plan.wattsBefore).toBe(600);
    expect(plan.wattsAfter).toBe(400);
  });

  test('empty eligible hosts are switched off, never below servers_always_on', () => {
    const hosts = [host(1), host(2), host(3)];
    const plan = planConsolidation({ ...base, clusters: [{ id: 'c1', enabled: true, serversAlwaysOn: 2 }], hosts, vms: [] });
    expect(plan.powerOff).toEqual(['h3']);
    expect(plan.hostsOnAfter).toBe(2);
  });

  test('minimum uptime, standby_enabled and disabled migration keep hosts on', () => {
    const hosts = [host(1, { minutesInState: 5 }), host(2, { standbyEnabled: false }), host(3)];
    const vms = [vm('h1', 1), vm('h2', 1), vm('h3', 1, { migrationEnabled: false })];
    const plan = planConsolidation({ ...base, hosts, vms });
    expect(plan.moves).toEqual([]);
    expect(plan.powerOff).toEqual([]);
  });

  test('an overloaded host sheds its largest VMs to the best-fitting host', () => {
    const hosts = [host(1), host(2), host(3)];
    const vms = [vm('h1', 5), vm('h1', 3), vm('h1', 2), vm('h2', 6), vm('h3', 1)];
    const plan = planConsolidation({ ...base, hosts, vms });
    // h1 is at 100%: the 5-core VM goes where it fits and leaves the host busiest: h3 (1+5 = 60%).
    expect(plan.moves[0]).toEqual({ vmId: vms[0].id, fromHostId: 'h1', toHostId: 'h3', reason: 'relieve' });
  });

  test('when no running host has room, a standby host is woken and nothing moves yet', () => {
    const hosts = [host(1), host(2, { on: false, off: true, minutesInState: 60 }), host(3, { on: false, off: true, minutesInState: 1 })];
    const vms = [vm('h1', 4), vm('h1', 4), vm('h1', 3)];
    const plan = planConsolidation({ ...base, hosts, vms });
    // h3 has been off for less than power_on_min_downtime (10 minutes): only h2 qualifies.
    expect(plan.powerOn).toEqual(['h2']);
    expect(plan.moves).toEqual([]);
    expect(plan.powerOff).toEqual([]);
  });

  test('VMs leave their cluster only with cluster_migration_enabled', () => {
    const clusters = [
      { id: 'c1', enabled: true, serversAlwaysOn: 0 },
      { id: 'c2', enabled: true, serversAlwaysOn: 1 },
    ];
    const hosts = [host(1), host(2, { clusterId: 'c2' })];
    const stay = planConsolidation({ ...base, clusters, hosts, vms: [vm('h1', 1)] });
    expect(stay.moves).toEqual([]);
    const go = planConsolidation({ ...base, clusters, hosts, vms: [vm('h1', 1, { clusterMigrationEnabled: true })] });
    expect(go.moves.map((m) => m.toHostId)).toEqual(['h2']);
  });

  test('a disabled cluster is left alone', () => {
    const hosts = [host(1), host(2)];
    const plan = planConsolidation({ ...base, clusters: [{ id: 'c1', enabled: false, serversAlwaysOn: 1 }], hosts, vms: [vm('h1', 1)] });
    expect(plan.moves).toEqual([]);
    expect(plan.powerOff).toEqual([]);
  });

  test('plans a 1,000-host, 50,000-VM farm within its limits (its speed is measured in bench/)', () => {
    const hosts = Array.from({ length: 1000 }, (_, i) => host(i + 1, { clusterId: `c${i % 10}`, cpuCores: 64, memoryMb: 512_000 }));
    const vms = Array.from({ length: 50_000 }, (_, i) =>
      vm(`h${(i % 1000) + 1}`, 0.1 + ((i * 7919) % 100) / 200, { clusterId: `c${i % 10}`, grantedMemoryMb: 4096, activeMemoryMb: 2048 }),
    );
    const clusters = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, enabled: true, serversAlwaysOn: 2 }));
    const plan = planConsolidation({ ta: 80, th: 90, clusters, hosts, vms, maxMigrations: 200 });
    // Every host is lightly loaded (about 27 % cpu): the round starts the most moves it may.
    expect(plan.moves).toHaveLength(200);
    expect(new Set(plan.moves.map((m) => m.vmId)).size).toBe(200);
    const hostOf = new Map(hosts.map((x) => [x.id, x]));
    const vmOf = new Map(vms.map((v) => [v.id, v]));
    for (const m of plan.moves) expect(hostOf.get(m.toHostId)!.clusterId).toBe(hostOf.get(m.fromHostId)!.clusterId);
    // After the moves no receiving host is above ta (80 %) in cpu or memory.
    const cpu = new Map<string, number>();
    const mem = new Map<string, number>();
    for (const v of vms) {
      cpu.set(v.hostId, (cpu.get(v.hostId) ?? 0) + v.cpuCores);
      mem.set(v.hostId, (mem.get(v.hostId) ?? 0) + v.activeMemoryMb);
    }
    for (const m of plan.moves) {
      const v = vmOf.get(m.vmId)!;
      cpu.set(m.fromHostId, cpu.get(m.fromHostId)! - v.cpuCores);
      cpu.set(m.toHostId, cpu.get(m.toHostId)! + v.cpuCores);
      mem.set(m.fromHostId, mem.get(m.fromHostId)! - v.activeMemoryMb);
      mem.set(m.toHostId, mem.get(m.toHostId)! + v.activeMemoryMb);
    }
    for (const to of new Set(plan.moves.map((m) => m.toHostId))) {
      expect((cpu.get(to)! / 64) * 100).toBeLessThanOrEqual(80);
      expect((mem.get(to)! / 512_000) * 100).toBeLessThanOrEqual(80);
    }
    expect(plan.wattsAfter).toBeLessThan(plan.wattsBefore);
  });
});
