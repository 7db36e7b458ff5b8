import { CoreError } from '../errors';
import { SeededIds } from '../ids';
import { NewCluster } from '../model/cluster';
import { NewDatastore } from '../model/datastore';
import { NewDevice } from '../model/device';
import { NewDevicePath } from '../model/lustre-objects';
import { NewHost } from '../model/host';
import { NewPolicy } from '../model/policy';
import { NewSite } from '../model/site';
import { NewVm } from '../model/vm';
import { NewHostAggregate } from '../model/aggregate';
import { Store } from '../ports/repositories';
import { Fixture, FixtureHost } from './fixture';
import { assertValidFixture } from './validate-fixture';
import { expandFixture } from './generate-topology';

const GIB = 1024 ** 3;
const CHUNK = 2000;

export interface LoadProgress {
  done: number;
  total: number;
  table: string;
}

export interface LoadSummary {
  sites: number;
  clusters: number;
  hosts: number;
  devices: number;
  datastores: number;
  vms: number;
  policies: number;
  aggregates: number;
}

interface Rows {
  sites: NewSite[];
  policies: NewPolicy[];
  clusters: NewCluster[];
  datastores: (NewDatastore & { id: string })[];
  hosts: NewHost[];
  devices: NewDevice[];
  /** Nodes of shared LUNs (every node of such a device, its owner's first and primary). */
  devicePaths: NewDevicePath[];
  vms: NewVm[];
  aggregates: { row: NewHostAggregate & { id: string }; hostIds: string[] }[];
}

/** Turns a fixture into rows with ids derived from the seed and each object's name. */
function toRows(fixture: Fixture): Rows {
  const ids = new SeededIds(fixture.seed ?? 'rosetta');
  const rows: Rows = { sites: [], policies: [], clusters: [], datastores: [], hosts: [], devices: [], devicePaths: [], vms: [], aggregates: [] };
  const shared: { deviceId: string; ownerId: string; path: string; alsoOn: { host: string; path?: string }[] }[] = [];
  const policyIds = new Map<string, string>();
  const hostIds = new Map<string, string>();
  for (const p of fixture.policies ?? []) {
    const id = ids.uuid(`policy/${p.name}`);
    policyIds.set(p.name, id);
    rows.policies.push({
      id,
      name: p.name,
      rules: (p.rules ?? []).map((r, i) => ({
        id: ids.uuid(`policy/${p.name}/rule/${i}`),
        frequencyMinutes: r.frequencyMinutes,
        retentionMinutes: r.retentionMinutes,
        destination: r.destination ?? 'local',
        consistency: r.consistency ?? 'NONE',
      })),
    });
  }
  const addHost = (h: FixtureHost, siteId: string, clusterId: string | null, datastores: Map<string, NewDatastore & { id: string }>): void => {
    const id = ids.uuid(`host/${h.name}`);
    hostIds.set(h.name, id);
    rows.hosts.push({
      id,
      siteId,
      clusterId,
      name: h.name,
      managementAddress: h.address ?? null,
      storageAddress: h.storageAddress ?? h.address ?? null,
      zone: h.zone ?? 1,
      state: h.state ?? 'up',
      power: h.power ?? (h.state === 'down' ? 'off' : 'on'),
      cpuCores: h.cpuCores ?? 16,
      cpuMhz: h.cpuMhz ?? 2400,
      memoryMb: Math.round((h.memoryGiB ?? 256) * 1024),
      model: h.model ?? null,
      serial: h.serial ?? null,
      powerIdleWatts: h.powerIdleWatts ?? 120,
      powerMaxWatts: h.powerMaxWatts ?? 450,
      ipmi: h.ipmi ?? {},
      tags: h.tags ?? {},
    });
    for (const d of h.devices ?? []) {
      if (d.alsoOn?.length) shared.push({ deviceId: ids.uuid(`host/${h.name}/device/${d.name}`), ownerId: id, path: d.name, alsoOn: d.alsoOn });
      rows.devices.push({
        id: ids.uuid(`host/${h.name}/device/${d.name}`),
        hostId: id,
        name: d.name,
        kind: d.kind ?? 'disk',
        sizeBytes: Math.round(d.sizeGiB * GIB),
        serial: d.serial ?? null,
      });
    }
    for (const v of h.vms ?? []) {
      const datastore = v.datastore ? datastores.get(v.datastore) : undefined;
      const diskBytes = Math.round((v.diskGiB ?? 0) * GIB);
      if (datastore) datastore.usedBytes = (datastore.usedBytes ?? 0) + diskBytes;
      rows.vms.push({
        id: ids.uuid(`host/${h.name}/vm/${v.name}`),
        hostId: id,
        datastoreId: datastore?.id ?? null,
        policyId: v.policy ? policyIds.get(v.policy) : null,
        name: v.name,
        state: v.state ?? 'running',
        cpuCount: v.cpuCount ?? 2,
        memoryMb: Math.round(v.memoryMiB ?? 4096),
        diskBytes,
      });
    }
  };
  for (const s of fixture.sites ?? []) {
    const siteId = ids.uuid(`site/${s.name}`);
    rows.sites.push({ id: siteId, name: s.name });
    for (const c of s.clusters ?? []) {
      const clusterId = ids.uuid(`site/${s.name}/cluster/${c.name}`);
      rows.clusters.push({ id: clusterId, siteId, name: c.name, tags: c.tags ?? {} });
      const datastores = new Map<string, NewDatastore & { id: string }>();
      for (const d of c.datastores ?? []) {
        const row = {
          id: ids.uuid(`site/${s.name}/cluster/${c.name}/datastore/${d.name}`),
          clusterId,
          name: d.name,
          capacityBytes: Math.round(d.capacityGiB * GIB),
          usedBytes: 0,
          policyId: d.policy ? policyIds.get(d.policy) : null,
        };
        datastores.set(d.name, row);
        rows.datastores.push(row);
      }
      for (const h of c.hosts ?? []) addHost(h, siteId, clusterId, datastores);
    }
    for (const h of s.hosts ?? []) addHost(h, siteId, null, new Map());
  }
  for (const ds of rows.datastores) {
    if ((ds.usedBytes ?? 0) > ds.capacityBytes) {
      throw new CoreError('CAPACITY', `datastore ${ds.name}: its VMs need ${ds.usedBytes} bytes, it holds ${ds.capacityBytes}`, {
        kind: 'datastore',
        name: ds.name,
      });
    }
  }
  for (const a of fixture.aggregates ?? []) {
    rows.aggregates.push({
      row: { id: ids.uuid(`aggregate/${a.name}`), name: a.name, availabilityZone: a.availabilityZone ?? null, metadata: a.metadata ?? {} },
      hostIds: (a.hosts ?? []).map((h) => hostIds.get(h)!),
    });
  }
  // Paths name hosts that may be defined after the device's own, so they are resolved last.
  for (const s of shared) {
    rows.devicePaths.push({ id: ids.uuid(`device/${s.deviceId}/path/${s.ownerId}`), deviceId: s.deviceId, hostId: s.ownerId, path: s.path, primary: true, use: true });
    for (const p of s.alsoOn) {
      const hostId = hostIds.get(p.host)!;
      rows.devicePaths.push({ id: ids.uuid(`device/${s.deviceId}/path/${hostId}`), deviceId: s.deviceId, hostId, path: p.path ?? s.path, primary: false, use: true });
    }
  }
  return rows;
}

/**
 * Validates a fixture (every problem reported with its path) and writes it in one
 * transaction with multi-row inserts: a 50,000-VM topology loads in seconds.
 */
export async function loadTopology(store: Store, doc: unknown, onProgress?: (p: LoadProgress) => void): Promise<LoadSummary> {
  const fixture = expandFixture(assertValidFixture(doc));
  const rows = toRows(fixture);
  const total = rows.sites.length + rows.policies.length + rows.clusters.length + rows.datastores.length +
    rows.hosts.length + rows.devices.length + rows.devicePaths.length + rows.vms.length + rows.aggregates.length;
  let done = 0;
  await store.transaction(async (tx) => {
    const put = async <T>(table: string, items: T[], insertMany: (chunk: T[]) => Promise<void>): Promise<void> => {
      for (let i = 0; i < items.length; i += CHUNK) {
        const chunk = items.slice(i, i + CHUNK);
        await insertMany(chunk);
        done += chunk.length;
        onProgress?.({ done, total, table });
      }
    };
    await put('sites', rows.sites, (c) => tx.sites.insertMany(c));
    await put('policies', rows.policies, (c) => tx.policies.insertMany(c));
    await put('clusters', rows.clusters, (c) => tx.clusters.insertMany(c));
    await put('datastores', rows.datastores, (c) => tx.datastores.insertMany(c));
    await put('hosts', rows.hosts, (c) => tx.hosts.insertMany(c));
    await put('devices', rows.devices, (c) => tx.devices.insertMany(c));
    await put('device paths', rows.devicePaths, (c) => tx.devicePaths.insertMany(c));
    await put('vms', rows.vms, (c) => tx.vms.insertMany(c));
    await put('aggregates', rows.aggregates, async (chunk) => {
      for (const { row, hostIds } of chunk) {
        await tx.aggregates.insert(row);
        for (const hostId of hostIds) await tx.aggregates.addHost(row.id, hostId);
      }
    });
  }, { bulkLoad: true });
  await store.analyze();
  return {
    sites: rows.sites.length,
    clusters: rows.clusters.length,
    hosts: rows.hosts.length,
    devices: rows.devices.length,
    datastores: rows.datastores.length,
    vms: rows.vms.length,
    policies: rows.policies.length,
    aggregates: rows.aggregates.length,
  };
}
