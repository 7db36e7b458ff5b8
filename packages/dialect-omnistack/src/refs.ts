import { Cluster, Datastore, Device, GuestAccountState, Host, Policy, Services, Site, Vm, coalescedReads } from '@rosetta/core';

type StampedTable = Parameters<Services['changes']['stamp']>[0][number];

/**
 * What every VM row is computed from: the VMs and the parents they name. A write to any of these
 * tables by any gateway or worker moves the stamp and drops everything cached under it.
 */
export const VM_TABLES: StampedTable[] = ['sites', 'clusters', 'hosts', 'datastores', 'policies', 'vms', 'vm_guest_credentials'];

const stamps = new WeakMap<Services, () => Promise<string>>();

/**
 * The change stamp over VM_TABLES, read once per burst: a read always starts after the caller
 * asked (coalescedReads), so a write that finished before a request is always seen by it.
 */
export function vmStamp(services: Services): Promise<string> {
  let read = stamps.get(services);
  if (!read) stamps.set(services, (read = coalescedReads(() => services.changes.stamp(VM_TABLES))));
  return read();
}

/** Everything a page of OmniStack objects names besides itself, fetched in a few batched queries. */
export interface Refs {
  sites: Map<string, Site>;
  clusters: Map<string, Cluster>;
  hosts: Map<string, Host>;
  datastores: Map<string, Datastore>;
  policies: Map<string, Policy>;
  vms: Map<string, Vm>;
  /** Hosts of each loaded cluster, in sequence order (first = primary replica holder). */
  clusterHosts: Map<string, Host[]>;
  /** Devices and the disk bytes of VMs per host, only when capacity figures are wanted. */
  hostDevices: Map<string, Device[]>;
  vmBytesByHost: Map<string, number>;
  /** Whether each VM of guestVmIds has a guest account for VSS backups, and whether it was validated (never the secret). */
  guestAccounts: Map<string, Pick<GuestAccountState, 'overrideValidation'>>;
  /** Kind (StoreOnceOnPrem, StoreOnceCloud) of each registered external store by name, when asked for. */
  externalStoreKinds: Map<string, string>;
}

export interface RefNeeds {
  hostIds?: (string | null)[];
  clusterIds?: (string | null)[];
  datastoreIds?: (string | null)[];
  policyIds?: (string | null)[];
  vmIds?: (string | null)[];
  /** Load devices and VMs of the hosts of every loaded cluster (capacity figures). */
  capacity?: boolean;
  /** VMs whose guest account state (app_aware_vm_status) is shown. */
  guestVmIds?: (string | null)[];
  /** Load the external stores' kinds (backups kept on one show its backup_store_type). */
  externalStores?: boolean;
}

const uniq = (values: (string | null | undefined)[]): string[] => [...new Set(values.filter((v): v is string => typeof v === 'string'))];
const byId = <T extends { id: string }>(items: T[]): Map<string, T> => new Map(items.map((i) => [i.id, i]));
const inIds = (ids: string[]) => ({ field: 'id', op: 'in' as const, value: ids });

interface Topology {
  sites: Map<string, Site>;
  clusters: Map<string, Cluster>;
  hosts: Map<string, Host>;
  datastores: Map<string, Datastore>;
  policies: Map<string, Policy>;
  clusterHosts: Map<string, Host[]>;
}

const bySeq = { order: [{ field: 'seq', direction: 'asc' as const }] };

async function readTopology(services: Services): Promise<Topology> {
  const [sites, clusters, hosts, datastores, policies] = await Promise.all([
    services.sites.list(bySeq),
    services.clusters.list(bySeq),
    services.hosts.list(bySeq),
    services.datastores.list(bySeq),
    services.policies.list(bySeq),
  ]);
  const clusterHosts = new Map<string, Host[]>();
  for (const h of hosts) if (h.clusterId) clusterHosts.set(h.clusterId, [...(clusterHosts.get(h.clusterId) ?? []), h]);
  return { sites: byId(sites), clusters: byId(clusters), hosts: byId(hosts), datastores: byId(datastores), policies: byId(policies), clusterHosts };
}

/**
 * Every VM, host, backup and datastore row names its parents (hosts, clusters, sites,
 * datastores, policies): a federation has at most a few thousand of those, so one process-wide
 * copy is kept until the store's change stamp over their tables (and the VMs', see vmStamp)
 * moves. The stamp is read before the data, so a copy is never older than its stamp (at worst
 * read once more); concurrent requests share one stamp read and one reload. A request then
 * costs one tiny stamp query instead of five lookups.
 */
function topologyCache(services: Services): () => Promise<Topology> {
  let current: { key: string; topology: Promise<Topology> } | undefined;
  return async () => {
    const key = await vmStamp(services);
    if (current?.key !== key) {
      const topology = readTopology(services);
      current = { key, topology };
      topology.catch(() => {
        if (current?.topology === topology) current = undefined;
      });
    }
    return current.topology;
  };
}

const caches = new WeakMap<Services, () => Promise<Topology>>();

/** The shared topology maps: read-only for callers (a copy is shared by every request). */
export async function topology(services: Services): Promise<Topology> {
  let cache = caches.get(services);
  if (!cache) caches.set(services, (cache = topologyCache(services)));
  return cache();
}

export async function loadRefs(services: Services, needs: RefNeeds): Promise<Refs> {
  const vmIds = uniq(needs.vmIds ?? []);
  const guestIds = uniq(needs.guestVmIds ?? []);
  const [top, vmList, guests, stores] = await Promise.all([
    topology(services),
    vmIds.length ? services.vms.list({ filter: inIds(vmIds) }) : Promise.resolve([] as Vm[]),
    guestIds.length ? services.vms.guestAccounts(guestIds) : Promise.resolve([] as GuestAccountState[]),
    needs.externalStores ? services.externalStores.list() : Promise.resolve([]),
  ]);
  const guestAccounts = new Map(guests.map((g) => [g.id, { overrideValidation: g.overrideValidation }]));
  const hostDevices = new Map<string, Device[]>();
  const vmBytesByHost = new Map<string, number>();
  if (needs.capacity && top.hosts.size) {
    // Only the hosts this page shows (and their clusters' members) need device and VM totals.
    const clusterIds = uniq(needs.clusterIds ?? []);
    const ids = uniq([...(needs.hostIds ?? []), ...clusterIds.flatMap((c) => (top.clusterHosts.get(c) ?? []).map((h) => h.id))]);
    if (ids.length) {
      const [devices, vmBytes] = await Promise.all([
        services.devices.list({ filter: { field: 'hostId', op: 'in', value: ids } }),
        services.vms.sumBy('diskBytes', 'hostId', { field: 'hostId', op: 'in', value: ids }),
      ]);
      for (const d of devices) hostDevices.set(d.hostId, [...(hostDevices.get(d.hostId) ?? []), d]);
      for (const [hostId, bytes] of Object.entries(vmBytes)) vmBytesByHost.set(hostId, bytes);
    }
  }
  return { ...top, vms: byId(vmList), hostDevices, vmBytesByHost, guestAccounts, externalStoreKinds: new Map(stores.map((s) => [s.name, s.kind])) };
}
