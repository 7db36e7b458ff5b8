/**
 * The consolidation planner: a pure function from a farm's current state to the migrations
 * and power changes that bring host utilisation towards ta without exceeding th, using as few
 * hosts as the settings allow. The algorithm is documented in packages/dialect-eco4cloud/README.md.
 */

export interface PlanHost {
  id: string;
  seq: number;
  clusterId: string;
  /** Powered on and up (not down, not in maintenance). */
  on: boolean;
  /** Powered off, not in maintenance: may be woken. */
  off: boolean;
  cpuCores: number;
  memoryMb: number;
  powerIdleWatts: number;
  powerMaxWatts: number;
  standbyEnabled: boolean;
  /** Minutes since the power state last changed. */
  minutesInState: number;
  powerOffMinUptime: number;
  powerOnMinDowntime: number;
}

export interface PlanVm {
  id: string;
  seq: number;
  hostId: string;
  clusterId: string;
  /** CPU in use, cores; active memory and granted memory, MB. */
  cpuCores: number;
  activeMemoryMb: number;
  grantedMemoryMb: number;
  migrationEnabled: boolean;
  clusterMigrationEnabled: boolean;
}

export interface PlanCluster {
  id: string;
  enabled: boolean;
  serversAlwaysOn: number;
}

export interface PlanInput {
  ta: number;
  th: number;
  clusters: PlanCluster[];
  hosts: PlanHost[];
  vms: PlanVm[];
  /** Most migrations one round may start, as real engines limit concurrent live migrations. */
  maxMigrations: number;
}

export interface PlannedMove {
  vmId: string;
  fromHostId: string;
  toHostId: string;
  reason: 'relieve' | 'consolidate';
}

export interface ConsolidationPlan {
  moves: PlannedMove[];
  powerOn: string[];
  powerOff: string[];
  /** Hosts being emptied this round; they are switched off by a later round once empty. */
  evacuating: string[];
  hostsOnBefore: number;
  hostsOnAfter: number;
  wattsBefore: number;
  wattsAfter: number;
}

interface HostState extends PlanHost {
  cpu: number;
  active: number;
  granted: number;
  vms: PlanVm[];
  /** Will be on after this round (woken) / off (evacuated or switched off). */
  waking: boolean;
  leaving: boolean;
  received: boolean;
}

const utilAfter = (h: HostState, cpu: number, active: number): number =>
  Math.max(h.cpuCores > 0 ? ((h.cpu + cpu) / h.cpuCores) * 100 : Infinity, h.memoryMb > 0 ? ((h.active + active) / h.memoryMb) * 100 : Infinity);
const util = (h: HostState): number => utilAfter(h, 0, 0);
const watts = (h: HostState): number =>
  Math.round(h.powerIdleWatts + ((h.powerMaxWatts - h.powerIdleWatts) * Math.min(100, h.cpuCores > 0 ? (h.cpu / h.cpuCores) * 100 : 0)) / 100);
const bySeq = (a: { seq: number }, b: { seq: number }): number => a.seq - b.seq;
const byDemand = (a: PlanVm, b: PlanVm): number => b.cpuCores - a.cpuCores || b.activeMemoryMb - a.activeMemoryMb || a.seq - b.seq;

export function planConsolidation(input: PlanInput): ConsolidationPlan {
  const { ta, th } = input;
  const clusters = new Map(input.clusters.map((c) => [c.id, c]));
  const hosts = new Map<string, HostState>();
  for (const h of [...input.hosts].sort(bySeq)) {
    hosts.set(h.id, { ...h, cpu: 0, active: 0, granted: 0, vms: [], waking: false, leaving: false, received: false });
  }
  for (const vm of [...input.vms].sort(bySeq)) {
    const h = hosts.get(vm.hostId);
    if (!h || !h.on) continue;
    h.vms.push(vm);
    h.cpu += vm.cpuCores;
    h.active += vm.activeMemoryMb;
    h.granted += vm.grantedMemoryMb;
  }
  const all = [...hosts.values()];
  const serving = (h: HostState): boolean => (h.on || h.waking) && !h.leaving;
  const hostsOnBefore = all.filter((h) => h.on).length;
  const wattsBefore = all.filter((h) => h.on).reduce((s, h) => s + watts(h), 0);
  const moves: PlannedMove[] = [];
  const powerOn: string[] = [];
  const powerOff: string[] = [];
  const evacuating: string[] = [];
  const enabled = (clusterId: string): boolean => clusters.get(clusterId)?.enabled ?? false;

  const place = (vm: PlanVm, h: HostState): void => {
    h.vms.push(vm);
    h.cpu += vm.cpuCores;
    h.active += vm.activeMemoryMb;
    h.granted += vm.grantedMemoryMb;
    h.received = true;
  };
  const unplace = (vm: PlanVm, h: HostState): void => {
    h.vms = h.vms.filter((v) => v.id !== vm.id);
    h.cpu -= vm.cpuCores;
    h.active -= vm.activeMemoryMb;
    h.granted -= vm.grantedMemoryMb;
  };
  const fits = (vm: PlanVm, h: HostState): boolean =>
    utilAfter(h, vm.cpuCores, vm.activeMemoryMb) <= ta && h.granted + vm.grantedMemoryMb <= h.memoryMb;

  // Host lists per cluster, built once (in seq order, as `all`): a 50,000-VM round asks for them per VM.
  const inCluster = new Map<string, HostState[]>();
  const outsideCluster = new Map<string, HostState[]>();
  for (const h of all) {
    const list = inCluster.get(h.clusterId);
    if (list) list.push(h);
    else inCluster.set(h.clusterId, [h]);
  }
  const outside = (clusterId: string): HostState[] => {
    let list = outsideCluster.get(clusterId);
    if (!list) outsideCluster.set(clusterId, (list = all.filter((h) => h.clusterId !== clusterId)));
    return list;
  };

  /** Best fit: the destination left busiest but still within ta; same cluster before others. */
  const destination = (vm: PlanVm, from: HostState, accept: (h: HostState) => boolean): HostState | undefined => {
    const tiers = [inCluster.get(from.clusterId) ?? []];
    if (vm.clusterMigrationEnabled) tiers.push(outside(from.clusterId));
    for (const tier of tiers) {
      let best: HostState | undefined;
      let bestUtil = -1;
      for (const h of tier) {
        if (h === from || !enabled(h.clusterId) || !accept(h) || !fits(vm, h)) continue;
        const u = utilAfter(h, vm.cpuCores, vm.activeMemoryMb);
        if (u > bestUtil) {
          best = h;
          bestUtil = u;
        }
      }
      if (best) return best;
    }
    return undefined;
  };

  // 1. Relieve hosts above th: move their largest migratable VMs out until they are at ta.
  const overloaded = all.filter((h) => h.on && enabled(h.clusterId) && util(h) > th).sort((a, b) => util(b) - util(a) || a.seq - b.seq);
  const stillOverloaded = new Set<string>();
  for (const src of overloaded) {
    for (const vm of [...src.vms].filter((v) => v.migrationEnabled).sort(byDemand)) {
      if (util(src) <= ta) break;
      const live = moves.length < input.maxMigrations ? destination(vm, src, (h) => h.on && !h.leaving) : undefined;
      const dest = live ?? destination(vm, src, (h) => h.waking);
      if (!dest) {
        // No room anywhere awake: wake the most frugal eligible host of the cluster and count on it.
        const wake = (inCluster.get(src.clusterId) ?? [])
          .filter((h) => h.off && !h.waking && h.standbyEnabled && h.minutesInState >= h.powerOnMinDowntime)
          .sort((a, b) => a.powerIdleWatts - b.powerIdleWatts || a.seq - b.seq)[0];
        if (!wake || !fits(vm, wake)) continue;
        wake.waking = true;
        powerOn.push(wake.id);
        unplace(vm, src);
        place(vm, wake);
        continue;
      }
      unplace(vm, src);
      place(vm, dest);
      // VMs bound for a host still booting move in a later round, once it is up.
      if (dest.on) moves.push({ vmId: vm.id, fromHostId: src.id, toHostId: dest.id, reason: 'relieve' });
    }
    if (util(src) > th) stillOverloaded.add(src.clusterId);
  }

  // 2. Consolidate clusters with no host left above th and nothing being woken.
  const busyClusters = new Set([...stillOverloaded, ...all.filter((h) => h.waking).map((h) => h.clusterId)]);
  const candidates = all
    .filter((h) => h.on && enabled(h.clusterId) && !busyClusters.has(h.clusterId) && h.standbyEnabled && h.minutesInState >= h.powerOffMinUptime)
    .sort((a, b) => util(a) - util(b) || b.seq - a.seq);
  for (const src of candidates) {
    if (src.received) continue;
    const cluster = clusters.get(src.clusterId)!;
    const servingInCluster = (inCluster.get(src.clusterId) ?? []).filter(serving).length;
    if (servingInCluster - 1 < cluster.serversAlwaysOn) continue;
    if (src.vms.length === 0) {
      src.leaving = true;
      powerOff.push(src.id);
      continue;
    }
    if (src.vms.some((v) => !v.migrationEnabled)) continue;
    if (moves.length + src.vms.length > input.maxMigrations) continue;
    const placed: [PlanVm, HostState, boolean][] = [];
    src.leaving = true;
    for (const vm of [...src.vms].sort(byDemand)) {
      const dest = destination(vm, src, (h) => h.on && !h.leaving);
      if (!dest) break;
      placed.push([vm, dest, dest.received]);
      place(vm, dest);
    }
    if (placed.length < src.vms.length) {
      // All or nothing: a host that cannot be emptied keeps every VM it has.
      for (const [vm, dest, received] of placed.reverse()) {
        unplace(vm, dest);
        dest.received = received;
      }
      src.leaving = false;
      continue;
    }
    for (const [vm, dest] of placed) {
      unplace(vm, src);
      moves.push({ vmId: vm.id, fromHostId: src.id, toHostId: dest.id, reason: 'consolidate' });
    }
    evacuating.push(src.id);
  }

  const after = all.filter((h) => serving(h));
  return {
    moves,
    powerOn,
    powerOff,
    evacuating,
    hostsOnBefore,
    hostsOnAfter: after.length,
    wattsBefore,
    wattsAfter: after.reduce((s, h) => s + watts(h), 0),
  };
}
