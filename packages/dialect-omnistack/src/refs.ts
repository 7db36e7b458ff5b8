import { Cluster, Datastore, Device, Host, Policy, Services, Site, Vm } from '@rosetta/core';

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
}

export interface RefNeeds {
  hostIds?: (string | null)[];
  clusterIds?: (string | null)[];
  datastoreIds?: (string | null)[];
  policyIds?: (string | null)[];
  vmIds?: (string | null)[];
  /** Load devices and VMs of the hosts of every loaded cluster (capacity figures). */
  capacity?: boolean;
}

const uniq = (values: (string | null | undefined)[]): string[] => [...new Set(values.filter((v): v is string => typeof v === 'string'))];
const byId = <T extends { id: string }>(items: T[]): Map<string, T> => new Map(items.map((i) => [i.id, i]));
const inIds = (ids: string[]) => ({ field: 'id', op: 'in' as const, value: ids });

export async function loadRefs(services: Services, needs: RefNeeds): Promise<Refs> {
  const fetch = async <T extends { id: string }>(ids: string[], list: (q: object) => Promise<T[]>): Promise<Map<string, T>> =>
    ids.length ? byId(await list({ filter: inIds(ids) })) : new Map();
  const [vms, policiesDirect] = await Promise.all([
    fetch(uniq(needs.vmIds ?? []), (q) => services.vms.list(q)),
    Promise.resolve(uniq(needs.policyIds ?? [])),
  ]);
  const hostIds = uniq([...(needs.hostIds ?? []), ...[...vms.values()].map((v) => v.hostId)]);
  const datastoreIds = uniq([...(needs.datastoreIds ?? []), ...[...vms.values()].map((v) => v.datastoreId)]);
  const [hosts, datastores] = await Promise.all([
    fetch(hostIds, (q) => services.hosts.list(q)),
    fetch(datastoreIds, (q) => services.datastores.list(q)),
  ]);
  const clusterIds = uniq([...(needs.clusterIds ?? []), ...[...hosts.values()].map((h) => h.clusterId), ...[...datastores.values()].map((d) => d.clusterId)]);
  const policyIds = uniq([...policiesDirect, ...[...datastores.values()].map((d) => d.policyId), ...[...vms.values()].map((v) => v.policyId)]);
  const [clusters, policies, members, hostSites] = await Promise.all([
    fetch(clusterIds, (q) => services.clusters.list(q)),
    fetch(policyIds, (q) => services.policies.list(q)),
    clusterIds.length
      ? services.hosts.list({ filter: { field: 'clusterId', op: 'in', value: clusterIds }, order: [{ field: 'seq', direction: 'asc' }] })
      : Promise.resolve([] as Host[]),
    // Sites of the hosts already known come along now; a cluster's own site is nearly always among them.
    fetch(uniq([...hosts.values()].map((h) => h.siteId)), (q) => services.sites.list(q)),
  ]);
  const clusterHosts = new Map<string, Host[]>();
  for (const h of members) {
    hosts.set(h.id, hosts.get(h.id) ?? h);
    clusterHosts.set(h.clusterId!, [...(clusterHosts.get(h.clusterId!) ?? []), h]);
  }
  const missingSites = uniq([...[...clusters.values()].map((c) => c.siteId), ...[...hosts.values()].map((h) => h.siteId)]).filter((id) => !hostSites.has(id));
  const sites = new Map([...hostSites, ...(await fetch(missingSites, (q) => services.sites.list(q)))]);
  const hostDevices = new Map<string, Device[]>();
  const vmBytesByHost = new Map<string, number>();
  if (needs.capacity && hosts.size) {
    const ids = [...hosts.keys()];
    const [devices, vmBytes] = await Promise.all([
      services.devices.list({ filter: { field: 'hostId', op: 'in', value: ids } }),
      services.vms.sumBy('diskBytes', 'hostId', { field: 'hostId', op: 'in', value: ids }),
    ]);
    for (const d of devices) hostDevices.set(d.hostId, [...(hostDevices.get(d.hostId) ?? []), d]);
    for (const [hostId, bytes] of Object.entries(vmBytes)) vmBytesByHost.set(hostId, bytes);
  }
  return { sites, clusters, hosts, datastores, policies, vms, clusterHosts, hostDevices, vmBytesByHost };
}
