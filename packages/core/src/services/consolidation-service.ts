import { FieldIssue, validation } from '../errors';
import { Cluster } from '../model/cluster';
import {
  CONSOLIDATION_DEFAULTS,
  ClusterConsolidation,
  ConsolidationPatch,
  ConsolidationSettings,
  ConsolidationSubject,
  DRS_MODES,
  FarmConsolidation,
  HostConsolidation,
  VmConsolidation,
  VmLoad,
} from '../model/consolidation';
import { Datastore } from '../model/datastore';
import { Host } from '../model/host';
import { Job } from '../model/job';
import { Vm } from '../model/vm';
import {
  DatastorePerformance,
  HostPerformance,
  VmDemand,
  VmPerformance,
  datastorePerformance,
  hostPerformance,
  sampleTime,
  vmDemand,
  vmPerformance,
} from '../metrics/performance';
import { Filter } from '../ports/query';
import { Repositories, StampedTable } from '../ports/repositories';
import { Site } from '../model/site';
import { ServiceDeps } from './deps';
import { mustGet } from './reads';
import { JobService } from './job-service';
import { ConsolidationPlan, PlanHost, PlanVm, planConsolidation } from './consolidation-planner';
import { createLatestSamplesCache } from './sample-service';

/** Which settings each subject accepts: exactly what the product lets an operator change. */
export const SETTABLE: Record<ConsolidationSubject, readonly (keyof ConsolidationPatch)[]> = {
  site: ['ta', 'th', 'consolidationOn', 'powerOffMinUptime', 'powerOnMinDowntime'],
  cluster: ['serversAlwaysOn', 'consolidationOn', 'powerOffMinUptime', 'powerOnMinDowntime', 'drsMode'],
  host: ['standbyEnabled', 'powerOffMinUptime', 'powerOnMinDowntime'],
  vm: ['migrationEnabled', 'clusterMigrationEnabled'],
};

export const CONSOLIDATION_ORIGIN = 'eco4cloud';
export const ROUND_INTERVAL_MS = 5 * 60_000;
const MAX_MINUTES = 525_600;
const CHUNK = 5000;

export interface ConsolidationRound {
  siteId: string;
  at: Date;
  plan: ConsolidationPlan;
  jobs: Job[];
}

/**
 * Everything Eco4Cloud's Host/get shows and Vm/get refers to, for every host: one object per
 * state of the rows it derives from and sample minute, so callers may key their own caches on it.
 */
export interface ConsolidationInventory {
  /** Every host, in creation order. */
  hosts: Host[];
  hostsById: Map<string, Host>;
  clusters: Map<string, Cluster>;
  sites: Map<string, Site>;
  hostSettings: Map<string, HostConsolidation>;
  hostPerformance: Map<string, HostPerformance>;
}

/** The parents, settings and latest sample of a page of VMs, without reading every host's load. */
export interface VmDetails {
  hosts: Map<string, Host>;
  clusters: Map<string, Cluster>;
  sites: Map<string, Site>;
  settings: Map<string, VmConsolidation>;
  performance: Map<string, VmPerformance>;
}

export interface VmPager {
  version: object;
  /**
   * The same state as a string (change stamps and the sample the pages show), for caches keyed
   * by text; only meaningful within this service's database.
   */
  key: string;
  page(paging: { offset?: number; limit?: number }): Promise<{ vms: Vm[] } & VmDetails>;
}

export interface ConsolidationService {
  /** Cached until the sample minute turns or any process writes a row it derives from. */
  inventory(): Promise<ConsolidationInventory>;
  vmDetails(vms: Vm[]): Promise<VmDetails>;
  /**
   * Pages of every VM in creation order, with their details. `version` (one stamp read) is the
   * same object for as long as every page stays the same, so a caller may keep what it derived
   * from a page under it and skip `page` on a hit. `page` finds the page's rows from a cached list
   * of sequence numbers, not by PostgreSQL skipping `offset` index entries.
   */
  vmPager(): Promise<VmPager>;
  farms(siteIds: string[]): Promise<Map<string, FarmConsolidation>>;
  clusters(clusters: Cluster[]): Promise<Map<string, ClusterConsolidation>>;
  hosts(hosts: Host[]): Promise<Map<string, HostConsolidation>>;
  vms(vmIds: string[]): Promise<Map<string, VmConsolidation>>;
  /**
   * Changes the settings of every subject of a kind whose name matches (case-insensitively),
   * all or nothing, after checking every value against the effective settings; returns how
   * many subjects matched.
   */
  configure(kind: ConsolidationSubject, name: string, patch: ConsolidationPatch): Promise<number>;
  /** The latest performance sample (on the clock's one-minute grid) of hosts, VMs, datastores. */
  hostPerformance(hosts: Host[]): Promise<Map<string, HostPerformance>>;
  vmPerformance(vms: Vm[]): Promise<Map<string, VmPerformance>>;
  datastorePerformance(datastores: Datastore[]): Promise<Map<string, DatastorePerformance>>;
  /** Plans one round for a site and starts its jobs, unless a previous round's jobs are still open. */
  runRound(siteId: string): Promise<ConsolidationRound | undefined>;
  /** Runs a round for every site with consolidation on whose last round is intervalMs old. */
  tick(intervalMs?: number): Promise<ConsolidationRound[]>;
}

const chunks = <T>(items: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

async function settingsOf(repos: Repositories, kind: ConsolidationSubject, ids: string[]): Promise<Map<string, ConsolidationSettings>> {
  const out = new Map<string, ConsolidationSettings>();
  const unique = [...new Set(ids)];
  for (const part of chunks(unique)) {
    const filter: Filter = { all: [{ field: 'subjectKind', op: 'eq', value: kind }, { field: 'subjectId', op: 'in', value: part }] };
    for (const row of await repos.consolidation.list({ filter })) out.set(row.subjectId, row);
  }
  return out;
}

const D = CONSOLIDATION_DEFAULTS;

function farmOf(row: ConsolidationSettings | undefined): FarmConsolidation {
  return {
    description: row?.description ?? '',
    ta: row?.ta ?? D.ta,
    th: row?.th ?? D.th,
    consolidationOn: row?.consolidationOn ?? D.consolidationOn,
    powerOffMinUptime: row?.powerOffMinUptime ?? D.powerOffMinUptime,
    powerOnMinDowntime: row?.powerOnMinDowntime ?? D.powerOnMinDowntime,
  };
}

function clusterOf(row: ConsolidationSettings | undefined, farm: FarmConsolidation): ClusterConsolidation {
  return {
    serversAlwaysOn: row?.serversAlwaysOn ?? D.serversAlwaysOn,
    consolidationEnabled: row?.consolidationOn ?? D.consolidationEnabled,
    powerOffMinUptime: row?.powerOffMinUptime ?? farm.powerOffMinUptime,
    powerOnMinDowntime: row?.powerOnMinDowntime ?? farm.powerOnMinDowntime,
    drsMode: row?.drsMode ?? D.drsMode,
  };
}

function hostOf(row: ConsolidationSettings | undefined, cluster: { powerOffMinUptime: number; powerOnMinDowntime: number }): HostConsolidation {
  return {
    standbyEnabled: row?.standbyEnabled ?? D.standbyEnabled,
    powerOffMinUptime: row?.powerOffMinUptime ?? cluster.powerOffMinUptime,
    powerOnMinDowntime: row?.powerOnMinDowntime ?? cluster.powerOnMinDowntime,
  };
}

const vmOf = (row: ConsolidationSettings | undefined): VmConsolidation => ({
  migrationEnabled: row?.migrationEnabled ?? D.migrationEnabled,
  clusterMigrationEnabled: row?.clusterMigrationEnabled ?? D.clusterMigrationEnabled,
});

async function effectiveFarms(repos: Repositories, siteIds: string[]): Promise<Map<string, FarmConsolidation>> {
  const rows = await settingsOf(repos, 'site', siteIds);
  return new Map(siteIds.map((id) => [id, farmOf(rows.get(id))]));
}

async function effectiveClusters(repos: Repositories, clusters: Pick<Cluster, 'id' | 'siteId'>[]): Promise<Map<string, ClusterConsolidation>> {
  const farms = await effectiveFarms(repos, clusters.map((c) => c.siteId));
  const rows = await settingsOf(repos, 'cluster', clusters.map((c) => c.id));
  return new Map(clusters.map((c) => [c.id, clusterOf(rows.get(c.id), farms.get(c.siteId)!)]));
}

async function effectiveHosts(repos: Repositories, hosts: Pick<Host, 'id' | 'siteId' | 'clusterId'>[]): Promise<Map<string, HostConsolidation>> {
  const farms = await effectiveFarms(repos, hosts.map((h) => h.siteId));
  const clusterIds = [...new Set(hosts.map((h) => h.clusterId).filter((id): id is string => id !== null))];
  const clusterRows = await settingsOf(repos, 'cluster', clusterIds);
  const rows = await settingsOf(repos, 'host', hosts.map((h) => h.id));
  return new Map(
    hosts.map((h) => {
      const farm = farms.get(h.siteId)!;
      const inherited = h.clusterId ? clusterOf(clusterRows.get(h.clusterId), farm) : farm;
      return [h.id, hostOf(rows.get(h.id), inherited)];
    }),
  );
}

async function effectiveVms(repos: Repositories, vmIds: string[]): Promise<Map<string, VmConsolidation>> {
  const rows = await settingsOf(repos, 'vm', vmIds);
  return new Map(vmIds.map((id) => [id, vmOf(rows.get(id))]));
}

async function listIn<E>(list: (q: { filter: Filter }) => Promise<E[]>, field: string, ids: string[]): Promise<E[]> {
  const out: E[] = [];
  for (const part of chunks([...new Set(ids)])) out.push(...(await list({ filter: { field, op: 'in', value: part } })));
  return out;
}

/** Checks a patch against what the subject kind accepts and the values it would leave in force. */
async function checkPatch(tx: Repositories, kind: ConsolidationSubject, subjectIds: string[], patch: ConsolidationPatch): Promise<void> {
  const issues: FieldIssue[] = [];
  const allowed = SETTABLE[kind];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (!allowed.includes(field as keyof ConsolidationPatch)) issues.push({ field, problem: 'is read-only' });
  }
  const pctOk = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 100;
  for (const field of ['ta', 'th'] as const) {
    if (patch[field] !== undefined && !pctOk(patch[field])) issues.push({ field, problem: 'must be a percentage between 0 and 100' });
  }
  for (const field of ['powerOffMinUptime', 'powerOnMinDowntime', 'serversAlwaysOn'] as const) {
    const v = patch[field];
    if (v !== undefined && (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > MAX_MINUTES)) {
      issues.push({ field, problem: `must be an integer between 0 and ${MAX_MINUTES}` });
    }
  }
  for (const field of ['consolidationOn', 'standbyEnabled', 'migrationEnabled', 'clusterMigrationEnabled'] as const) {
    if (patch[field] !== undefined && typeof patch[field] !== 'boolean') issues.push({ field, problem: 'must be a boolean' });
  }
  if (patch.drsMode !== undefined && !DRS_MODES.includes(patch.drsMode as (typeof DRS_MODES)[number])) {
    issues.push({ field: 'drsMode', problem: `must be one of ${DRS_MODES.join(', ')}` });
  }
  if (issues.length === 0 && kind === 'site' && (patch.ta !== undefined || patch.th !== undefined)) {
    const farms = await effectiveFarms(tx, subjectIds);
    for (const farm of farms.values()) {
      const ta = patch.ta ?? farm.ta;
      const th = patch.th ?? farm.th;
      if (ta > th) {
        issues.push(patch.ta !== undefined ? { field: 'ta', problem: `must not exceed th (${th})` } : { field: 'th', problem: `must not be below ta (${ta})` });
        break;
      }
    }
  }
  if (issues.length === 0 && kind === 'cluster' && patch.serversAlwaysOn !== undefined) {
    for (const id of subjectIds) {
      const hosts = await tx.hosts.count({ field: 'clusterId', op: 'eq', value: id });
      if ((patch.serversAlwaysOn ?? 0) > hosts) {
        issues.push({ field: 'serversAlwaysOn', problem: `must not exceed the cluster's ${hosts} hosts` });
        break;
      }
    }
  }
  if (issues.length) throw validation(`invalid consolidation settings: ${issues.map((i) => `${i.field} ${i.problem}`).join('; ')}`, issues);
}

async function loadsBy(repos: Repositories, by: 'hostId' | 'datastoreId', ids: string[]): Promise<VmLoad[]> {
  const out: VmLoad[] = [];
  for (const part of chunks([...new Set(ids)])) out.push(...(await repos.consolidation.vmLoads(by, part)));
  return out;
}

const byName = (name: string): Filter => ({ field: 'name', op: 'eq', value: name, ci: true });

/**
 * Every table an Eco4Cloud host or VM row derives from, and the stored sample runs its Performance
 * comes from; one stamp read per request covers them all.
 */
const INVENTORY_TABLES: StampedTable[] = ['sites', 'clusters', 'hosts', 'consolidation_settings', 'vms', 'sample_runs'];

/** The part of a stamp (`table:n|table:n`) that concerns some tables: the key of a narrower cache. */
const stampOf = (stamp: string, tables: readonly string[]): string =>
  stamp
    .split('|')
    .filter((part) => tables.includes(part.slice(0, part.indexOf(':'))))
    .join('|');

/**
 * One read shared by every caller that arrives while none is waiting to start: a caller never
 * joins a read already sent, so it still sees every write committed before it asked.
 */
function sharedReads(read: () => Promise<string>): () => Promise<string> {
  let sent: Promise<unknown> = Promise.resolve();
  let waiting: Promise<string> | undefined;
  return () => {
    if (!waiting) {
      const next = sent.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        waiting = undefined;
        return read();
      });
      waiting = next;
      sent = next;
    }
    return waiting;
  };
}

interface Directory {
  hosts: Host[];
  hostsById: Map<string, Host>;
  clusters: Map<string, Cluster>;
  sites: Map<string, Site>;
  hostSettings: Map<string, HostConsolidation>;
  vmRows: Map<string, ConsolidationSettings>;
}

/** Every host, cluster, farm and setting in four queries; the effective settings resolved in memory. */
async function readDirectory(repos: Repositories): Promise<Directory> {
  const [hosts, clusters, sites, rows] = await Promise.all([
    repos.hosts.list({ order: [{ field: 'seq', direction: 'asc' }] }),
    repos.clusters.list(),
    repos.sites.list(),
    repos.consolidation.list(),
  ]);
  const of = (kind: ConsolidationSubject): Map<string, ConsolidationSettings> => new Map(rows.filter((r) => r.subjectKind === kind).map((r) => [r.subjectId, r]));
  const [siteRows, clusterRows, hostRows] = [of('site'), of('cluster'), of('host')];
  const farms = new Map(sites.map((site) => [site.id, farmOf(siteRows.get(site.id))]));
  const clusterSettings = new Map(clusters.map((c) => [c.id, clusterOf(clusterRows.get(c.id), farms.get(c.siteId) ?? farmOf(undefined))]));
  const hostSettings = new Map(
    hosts.map((h) => {
      const inherited = (h.clusterId ? clusterSettings.get(h.clusterId) : undefined) ?? farms.get(h.siteId) ?? farmOf(undefined);
      return [h.id, hostOf(hostRows.get(h.id), inherited)];
    }),
  );
  return {
    hosts,
    hostsById: new Map(hosts.map((h) => [h.id, h])),
    clusters: new Map(clusters.map((c) => [c.id, c])),
    sites: new Map(sites.map((site) => [site.id, site])),
    hostSettings,
    vmRows: of('vm'),
  };
}

export function createConsolidationService({ store, clock }: ServiceDeps, jobs: JobService): ConsolidationService {
  /**
   * Per-host VM demand is a pure function of the sample minute and the hosts and VMs rows, so
   * it is kept until either changes (the change stamp is shared by every process on the database).
   */
  let cache: { key: string; byHost: Map<string, VmDemand[]> } = { key: '', byHost: new Map() };
  // Concurrent requests share one stamp read (each still sees every write committed before it asked).
  const readStamp = sharedReads(() => store.changeStamp(INVENTORY_TABLES));
  // Built once per stamp even when many requests miss together; settings and parents do not follow the minute.
  let directory: { key: string; value: Promise<Directory> } | undefined;
  let inventoryCache: { key: string; value: Promise<ConsolidationInventory> } | undefined;
  let seqCache: { key: string; value: Promise<number[]> } | undefined;

  function vmSeqsAt(stamp: string): Promise<number[]> {
    const key = stampOf(stamp, ['vms']);
    if (seqCache?.key !== key) {
      const value = store.repos.consolidation.vmSeqs();
      seqCache = { key, value };
      value.catch(() => {
        if (seqCache?.value === value) seqCache = undefined;
      });
    }
    return seqCache.value;
  }

  let pagerVersion: { key: string; version: object } = { key: '', version: {} };

  /**
   * Performance is the latest stored sample (the sampler writes one per interval); an object
   * without one (no sample taken yet, or created since the last) is computed for the current minute.
   */
  const latestSamples = createLatestSamplesCache(() => store.repos);
  const storedAt = (stamp: string, at: Date) => latestSamples(stampOf(stamp, ['sample_runs']), at);

  async function pageAt({ offset = 0, limit }: { offset?: number; limit?: number }, stamp: string, at: Date): Promise<{ vms: Vm[] } & VmDetails> {
    const seqs = await vmSeqsAt(stamp);
    const wanted = limit === undefined ? seqs.slice(offset) : seqs.slice(offset, offset + limit);
    // The seqs were read after the stamp: a VM deleted since is simply missing from its page.
    const vms = await store.repos.consolidation.vmsBySeq(wanted);
    return { vms, ...(await detailsAt(vms, stamp, at)) };
  }

  async function detailsAt(vms: Vm[], stamp: string, at: Date): Promise<VmDetails> {
    const dir = await directoryAt(stamp);
    return {
      hosts: dir.hostsById,
      clusters: dir.clusters,
      sites: dir.sites,
      settings: new Map(vms.map((v) => [v.id, vmOf(dir.vmRows.get(v.id))])),
      performance: await vmPerformanceAt(vms, dir.hostsById, stamp, at),
    };
  }

  async function vmPerformanceAt(vms: Vm[], hosts: Map<string, Host>, stamp: string, at: Date): Promise<Map<string, VmPerformance>> {
    const stored = vms.length ? await storedAt(stamp, at) : undefined;
    const sampled = stored ? await stored.vms() : new Map<string, VmPerformance>();
    const unsampled = vms.filter((v) => !sampled.has(v.id));
    if (!unsampled.length) return new Map(vms.map((v) => [v.id, sampled.get(v.id)!]));
    const hostIds = [...new Set(unsampled.map((v) => v.hostId).filter((id): id is string => id !== null))];
    const computed = vmPerformanceOn(unsampled, hosts, await demandsOnHosts(hostIds, at, stamp), at);
    return new Map(vms.map((v) => [v.id, sampled.get(v.id) ?? computed.get(v.id)!]));
  }

  async function hostPerformanceAt(hosts: Host[], stamp: string, at: Date): Promise<Map<string, HostPerformance>> {
    const stored = hosts.length ? await storedAt(stamp, at) : undefined;
    const sampled = stored ? await stored.hosts() : new Map<string, HostPerformance>();
    const unsampled = hosts.filter((h) => !sampled.has(h.id));
    const demands = unsampled.length ? await demandsOnHosts(unsampled.map((h) => h.id), at, stamp) : new Map<string, VmDemand[]>();
    return new Map(hosts.map((h) => [h.id, sampled.get(h.id) ?? hostPerformance(h, demands.get(h.id) ?? [], at)]));
  }

  function directoryAt(stamp: string): Promise<Directory> {
    const key = stampOf(stamp, ['sites', 'clusters', 'hosts', 'consolidation_settings']);
    if (directory?.key !== key) {
      const value = readDirectory(store.repos);
      directory = { key, value };
      value.catch(() => {
        if (directory?.value === value) directory = undefined;
      });
    }
    return directory.value;
  }

  function inventoryAt(stamp: string, at: Date): Promise<ConsolidationInventory> {
    const key = `${at.getTime()}|${stamp}`;
    if (inventoryCache?.key !== key) {
      const value = (async (): Promise<ConsolidationInventory> => {
        const dir = await directoryAt(stamp);
        const hostPerformanceMap = await hostPerformanceAt(dir.hosts, stamp, at);
        return { hosts: dir.hosts, hostsById: dir.hostsById, clusters: dir.clusters, sites: dir.sites, hostSettings: dir.hostSettings, hostPerformance: hostPerformanceMap };
      })();
      inventoryCache = { key, value };
      value.catch(() => {
        if (inventoryCache?.value === value) inventoryCache = undefined;
      });
    }
    return inventoryCache.value;
  }

  async function demandsOnHosts(hostIds: string[], at: Date, stamp?: string): Promise<Map<string, VmDemand[]>> {
    const key = `${at.getTime()}|${stampOf(stamp ?? (await readStamp()), ['hosts', 'vms'])}`;
    if (cache.key !== key) cache = { key, byHost: new Map() };
    const { byHost } = cache;
    const missing = [...new Set(hostIds)].filter((id) => !byHost.has(id));
    if (missing.length) {
      const loaded = new Map<string, VmDemand[]>(missing.map((id) => [id, []]));
      for (const vm of await loadsBy(store.repos, 'hostId', missing)) if (vm.hostId) loaded.get(vm.hostId)?.push(vmDemand(vm, at));
      if (cache.key === key) for (const [id, demands] of loaded) byHost.set(id, demands);
      return new Map(hostIds.map((id) => [id, byHost.get(id) ?? loaded.get(id) ?? []]));
    }
    return new Map(hostIds.map((id) => [id, byHost.get(id) ?? []]));
  }

  async function openRoundJobs(siteId: string): Promise<boolean> {
    const open = await store.repos.jobs.list({
      filter: { all: [{ field: 'origin', op: 'eq', value: CONSOLIDATION_ORIGIN }, { field: 'state', op: 'in', value: ['queued', 'running'] }] },
    });
    return open.some((j) => j.input.consolidationSiteId === siteId);
  }

  async function plan(tx: Repositories, siteId: string, now: Date): Promise<ConsolidationPlan | undefined> {
    const farm = (await effectiveFarms(tx, [siteId])).get(siteId)!;
    if (!farm.consolidationOn) return undefined;
    const clusters = await tx.clusters.list({ filter: { field: 'siteId', op: 'eq', value: siteId } });
    const clusterSettings = await effectiveClusters(tx, clusters);
    const hosts = (await tx.hosts.list({ filter: { field: 'siteId', op: 'eq', value: siteId } })).filter((h) => h.clusterId);
    const hostSettings = await effectiveHosts(tx, hosts);
    const at = sampleTime(now);
    const vms = await loadsBy(tx, 'hostId', hosts.map((h) => h.id));
    const vmSettings = await effectiveVms(tx, vms.map((v) => v.id));
    const clusterOfHost = new Map(hosts.map((h) => [h.id, h.clusterId!]));
    const planHosts: PlanHost[] = hosts.map((h) => {
      const s = hostSettings.get(h.id)!;
      return {
        id: h.id,
        seq: h.seq,
        clusterId: h.clusterId!,
        on: h.power === 'on' && h.state === 'up',
        off: h.power === 'off' && h.state !== 'maintenance',
        cpuCores: h.cpuCores,
        memoryMb: h.memoryMb,
        powerIdleWatts: h.powerIdleWatts,
        powerMaxWatts: h.powerMaxWatts,
        standbyEnabled: s.standbyEnabled,
        minutesInState: (now.getTime() - (h.powerChangedAt ?? h.createdAt).getTime()) / 60_000,
        powerOffMinUptime: s.powerOffMinUptime,
        powerOnMinDowntime: s.powerOnMinDowntime,
      };
    });
    const planVms: PlanVm[] = vms.map((vm) => {
      const d = vmDemand(vm, at);
      const s = vmSettings.get(vm.id)!;
      return {
        id: vm.id,
        seq: vm.seq,
        hostId: vm.hostId!,
        clusterId: clusterOfHost.get(vm.hostId!)!,
        cpuCores: d.cpuCores,
        activeMemoryMb: d.activeMemoryMb,
        grantedMemoryMb: d.grantedMemoryMb,
        migrationEnabled: s.migrationEnabled,
        clusterMigrationEnabled: s.clusterMigrationEnabled,
      };
    });
    return planConsolidation({
      ta: farm.ta,
      th: farm.th,
      clusters: clusters.map((c) => {
        const s = clusterSettings.get(c.id)!;
        return { id: c.id, enabled: s.consolidationEnabled, serversAlwaysOn: s.serversAlwaysOn };
      }),
      hosts: planHosts,
      vms: planVms,
      maxMigrations: 200,
    });
  }

  async function recordRound(tx: Repositories, siteId: string, p: ConsolidationPlan): Promise<Job[]> {
    const recorded: Job[] = [];
    const tag = { consolidationSiteId: siteId };
    for (const hostId of p.powerOn) {
      recorded.push(await jobs.record(tx, { kind: 'host.power_on', origin: CONSOLIDATION_ORIGIN, input: { hostId, ...tag }, affected: [{ kind: 'host', id: hostId }] }));
    }
    for (const m of p.moves) {
      recorded.push(
        await jobs.record(tx, {
          kind: 'vm.move',
          origin: CONSOLIDATION_ORIGIN,
          input: { vmId: m.vmId, hostId: m.toHostId, fromHostId: m.fromHostId, reason: m.reason, ...tag },
          affected: [
            { kind: 'vm', id: m.vmId },
            { kind: 'host', id: m.toHostId },
          ],
        }),
      );
    }
    for (const hostId of p.powerOff) {
      recorded.push(await jobs.record(tx, { kind: 'host.standby', origin: CONSOLIDATION_ORIGIN, input: { hostId, ...tag }, affected: [{ kind: 'host', id: hostId }] }));
    }
    return recorded;
  }

  async function round(siteId: string, due: (row: ConsolidationSettings | undefined, now: Date) => boolean): Promise<ConsolidationRound | undefined> {
    if (await openRoundJobs(siteId)) return undefined;
    const result = await store.transaction(async (tx) => {
      const now = clock.now();
      await mustGet(tx.sites, 'site', siteId);
      const siteRow = { all: [{ field: 'subjectKind', op: 'eq' as const, value: 'site' }, { field: 'subjectId', op: 'eq' as const, value: siteId }] };
      let [row] = await tx.consolidation.list({ filter: siteRow });
      if (!row) {
        await tx.consolidation.upsert('site', [siteId], {});
        [row] = await tx.consolidation.list({ filter: siteRow });
      }
      // The row lock makes concurrent schedulers (several workers) agree on who runs the round.
      const locked = row ? await tx.consolidation.lock(row.id) : undefined;
      if (!due(locked, now)) return undefined;
      if (locked) await tx.consolidation.update(locked.id, { lastRoundAt: now });
      const p = await plan(tx, siteId, now);
      if (!p) return undefined;
      return { siteId, at: now, plan: p, jobs: await recordRound(tx, siteId, p) };
    });
    if (!result) return undefined;
    for (const job of result.jobs) await jobs.dispatch(job);
    return result;
  }

  function vmPerformanceOn(vms: Vm[], hosts: Map<string, Host>, demands: Map<string, VmDemand[]>, at: Date): Map<string, VmPerformance> {
    return new Map(
      vms.map((vm) => {
        const onHost = vm.hostId ? (demands.get(vm.hostId) ?? []) : [];
        const own = onHost.find((d) => d.vm.id === vm.id) ?? vmDemand(vm, at);
        return [vm.id, vmPerformance(own, vm.hostId ? hosts.get(vm.hostId) : undefined, onHost, at)];
      }),
    );
  }

  return {
    async inventory() {
      const at = sampleTime(clock.now());
      return inventoryAt(await readStamp(), at);
    },

    async vmDetails(vms) {
      const at = sampleTime(clock.now());
      return detailsAt(vms, await readStamp(), at);
    },

    async vmPager() {
      const at = sampleTime(clock.now());
      const stamp = await readStamp();
      // Pages show the latest stored sample: they stay the same until the next run (or a change),
      // not only for the minute; without a stored run they are computed for the minute.
      const stored = await storedAt(stamp, at);
      const key = `${stored ? `run:${stored.at.getTime()}` : `minute:${at.getTime()}`}|${stamp}`;
      if (pagerVersion.key !== key) pagerVersion = { key, version: {} };
      return { version: pagerVersion.version, key, page: (paging) => pageAt(paging, stamp, at) };
    },

    farms: (siteIds) => effectiveFarms(store.repos, siteIds),
    clusters: (clusters) => effectiveClusters(store.repos, clusters),
    hosts: (hosts) => effectiveHosts(store.repos, hosts),
    vms: (vmIds) => effectiveVms(store.repos, vmIds),

    async configure(kind, name, patch) {
      return store.transaction(async (tx) => {
        const subjects: { id: string }[] =
          kind === 'site'
            ? await tx.sites.list({ filter: byName(name) })
            : kind === 'cluster'
              ? await tx.clusters.list({ filter: byName(name) })
              : kind === 'host'
                ? await tx.hosts.list({ filter: byName(name) })
                : await tx.vms.list({ filter: byName(name) });
        const ids = subjects.map((s) => s.id);
        await checkPatch(tx, kind, ids, patch);
        await tx.consolidation.upsert(kind, ids, patch);
        return ids.length;
      });
    },

    async hostPerformance(hosts) {
      const at = sampleTime(clock.now());
      return hostPerformanceAt(hosts, await readStamp(), at);
    },

    async vmPerformance(vms) {
      const at = sampleTime(clock.now());
      const hostIds = [...new Set(vms.map((v) => v.hostId).filter((id): id is string => id !== null))];
      const hosts = new Map((await listIn((q) => store.repos.hosts.list(q), 'id', hostIds)).map((h) => [h.id, h]));
      return vmPerformanceAt(vms, hosts, await readStamp(), at);
    },

    async datastorePerformance(datastores) {
      const at = sampleTime(clock.now());
      const stored = datastores.length ? await storedAt(await readStamp(), at) : undefined;
      const sampled = stored ? await stored.datastores() : new Map<string, DatastorePerformance>();
      if (datastores.every((d) => sampled.has(d.id))) return new Map(datastores.map((d) => [d.id, sampled.get(d.id)!]));
      const vms = await loadsBy(store.repos, 'datastoreId', datastores.map((d) => d.id));
      const hostIds = [...new Set(vms.map((v) => v.hostId).filter((id): id is string => id !== null))];
      const poweredOn = new Set((await listIn((q) => store.repos.hosts.list(q), 'id', hostIds)).filter((h) => h.power === 'on').map((h) => h.id));
      const byDatastore = new Map<string, VmDemand[]>(datastores.map((d) => [d.id, []]));
      for (const vm of vms) if (vm.datastoreId && vm.hostId && poweredOn.has(vm.hostId)) byDatastore.get(vm.datastoreId)?.push(vmDemand(vm, at));
      return new Map(datastores.map((d) => [d.id, sampled.get(d.id) ?? datastorePerformance(byDatastore.get(d.id) ?? [], at)]));
    },

    runRound: (siteId) => round(siteId, () => true),

    async tick(intervalMs = ROUND_INTERVAL_MS) {
      const on = await store.repos.consolidation.list({
        filter: { all: [{ field: 'subjectKind', op: 'eq', value: 'site' }, { field: 'consolidationOn', op: 'eq', value: true }] },
        order: [{ field: 'seq', direction: 'asc' }],
      });
      const rounds: ConsolidationRound[] = [];
      for (const row of on) {
        const done = await round(row.subjectId, (locked, now) => !locked?.lastRoundAt || now.getTime() - locked.lastRoundAt.getTime() >= intervalMs);
        if (done) rounds.push(done);
      }
      return rounds;
    },
  };
}
