import {
  Cluster,
  ClusterConsolidation,
  Datastore,
  DatastorePerformance,
  FarmConsolidation,
  HOST_BANDWIDTH_MBPS,
  Host,
  HostConsolidation,
  HostPerformance,
  Site,
  Vm,
  VmConsolidation,
  VmPerformance,
} from '@rosetta/core';

/**
 * The appliance renders every value as a JSON string ("80", "true", "2266.00"), whatever the
 * documented type; these helpers are the only place that decides how.
 */
export const int = (n: number): string => String(Math.round(n));
export const dec2 = (n: number): string => n.toFixed(2);
export const bool = (b: boolean): string => (b ? 'true' : 'false');
/** A setting as entered: "80" for 80, "82.5" for 82.5. */
export const num = (n: number): string => String(n);
export const text = (s: string | null | undefined): string => s ?? '';

const pad = (n: number): string => String(n).padStart(2, '0');
/** `YYYY-MM-DD HH:MM:SS`, UTC. */
export const sampleDate = (d: Date): string =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/**
 * vCenter-style identifiers as the appliance shows them ("datacenter-2_host-547"): the farm's
 * and the object's sequence numbers, stable across restarts.
 */
export type UuidKind = 'domain-c' | 'host-' | 'vm-' | 'datastore-';
export const uuidOf = (site: Site | undefined, kind: UuidKind, seq: number): string => `datacenter-${site?.seq ?? 0}_${kind}${seq}`;

export const ENVELOPES = { Farm: 'Farms', Cluster: 'Clusters', Host: 'Hosts', Vm: 'Vms', DataStore: 'DataStore' } as const;

export function renderFarm(site: Site, s: FarmConsolidation): Record<string, string> {
  return {
    name: site.name,
    // A farm created elsewhere has no description of its own; the appliance shows its name.
    description: s.description || site.name,
    ta: num(s.ta),
    th: num(s.th),
    consolidation_on: bool(s.consolidationOn),
    power_off_min_uptime: int(s.powerOffMinUptime),
    power_on_min_downtime: int(s.powerOnMinDowntime),
  };
}

export function renderCluster(cluster: Cluster, site: Site | undefined, s: ClusterConsolidation): Record<string, string> {
  return {
    name: cluster.name,
    uuid: uuidOf(site, 'domain-c', cluster.seq),
    servers_always_on: int(s.serversAlwaysOn),
    consolidation_enabled: bool(s.consolidationEnabled),
    Farm: text(site?.name),
    power_off_min_uptime: int(s.powerOffMinUptime),
    power_on_min_downtime: int(s.powerOnMinDowntime),
    drs_mode: s.drsMode,
  };
}

export function renderHost(
  host: Host,
  cluster: Cluster | undefined,
  site: Site | undefined,
  s: HostConsolidation,
  perf: HostPerformance,
): Record<string, unknown> {
  return {
    name: host.name,
    uuid: uuidOf(site, 'host-', host.seq),
    powered_on: bool(host.power === 'on'),
    cpu_frequency: dec2(host.cpuMhz),
    cpu_cores: int(host.cpuCores),
    ram_mb: int(host.memoryMb),
    bandwidth: int(HOST_BANDWIDTH_MBPS),
    standby_enabled: bool(s.standbyEnabled),
    Cluster: text(cluster?.name),
    Farm: text(site?.name),
    power_off_min_uptime: int(s.powerOffMinUptime),
    power_on_min_downtime: int(s.powerOnMinDowntime),
    ipmi_ip: text(host.ipmi.address),
    ipmi_username: text(host.ipmi.username),
    ipmi_password: text(host.ipmi.password),
    Performance: [
      {
        performance_date: sampleDate(perf.at),
        cpu: dec2(perf.cpuPct),
        mem: dec2(perf.memoryPct),
        bandwidth_usage: dec2(perf.bandwidthPct),
        power: dec2(perf.powerWatts),
      },
    ],
  };
}

export function renderVm(
  vm: Vm,
  host: Host | undefined,
  cluster: Cluster | undefined,
  site: Site | undefined,
  s: VmConsolidation,
  perf: VmPerformance,
): Record<string, unknown> {
  return {
    name: vm.name,
    uuid: uuidOf(site, 'vm-', vm.seq),
    // The domain does not track guest operating systems; the appliance leaves unknown ones empty.
    operating_system: '',
    assigned_cores: int(vm.cpuCount),
    assigned_memory_mb: int(vm.memoryMb),
    migration_enabled: bool(s.migrationEnabled),
    cluster_migration_enabled: bool(s.clusterMigrationEnabled),
    Host: text(host?.name),
    Cluster: text(cluster?.name),
    Farm: text(site?.name),
    Performance: [
      {
        performance_date: sampleDate(perf.at),
        cpu: dec2(perf.cpuPct),
        mem: dec2(perf.memoryPct),
        bandwidth: dec2(perf.bandwidthPct),
        active_memory: dec2(perf.activeMemoryMb),
        compressed_memory: dec2(perf.compressedMemoryMb),
        swapped_memory: dec2(perf.swappedMemoryMb),
        ballooned_memory: dec2(perf.balloonedMemoryMb),
      },
    ],
  };
}

export function renderDatastore(ds: Datastore, site: Site | undefined, perf: DatastorePerformance): Record<string, unknown> {
  return {
    name: ds.name,
    uuid: uuidOf(site, 'datastore-', ds.seq),
    Farm: text(site?.name),
    Performance: [{ performance_date: sampleDate(perf.at), io: dec2(perf.iops) }],
  };
}
