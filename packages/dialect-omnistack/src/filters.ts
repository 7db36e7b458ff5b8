import { Filter, Services } from '@rosetta/core';
import { FilterBuilder, badParam, constant, text } from './parse';
import { hmsName } from './render';

/**
 * Filters on names of related objects (omnistack_cluster_name, policy_name ...) look the
 * related ids up first, then filter the collection by those ids in SQL, so paging and counts
 * stay exact whatever the page size.
 */
const inIds = (field: string, ids: string[]): Filter => ({ field, op: 'in', value: ids });

const globRe = (pattern: string, ci: boolean): RegExp =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, ci ? 'i' : '');

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** vSphere managed object ids (vm-12, domain-c3 ...) name the core sequence number. */
export const morefFilter =
  (prefix: string): FilterBuilder =>
  (raw) => {
    const seqs = list(raw)
      .map((v) => (v.startsWith(prefix) ? Number(v.slice(prefix.length)) : NaN))
      .filter((n) => Number.isSafeInteger(n));
    return seqs.length ? { field: 'seq', op: 'in', value: seqs } : { any: [] };
  };

export function createLookups(services: Services) {
  const siteIds = async (raw: string, ci: boolean, name: string, how: 'name' | 'hms' | 'datacenter' | 'id'): Promise<string[]> => {
    if (how === 'id') return list(raw);
    if (how === 'name') return (await services.sites.list({ filter: await text('name')(raw, { ci }, name) })).map((s) => s.id);
    const all = await services.sites.list();
    if (how === 'datacenter') return all.filter((s) => list(raw).includes(`datacenter-${s.seq}`)).map((s) => s.id);
    const patterns = list(raw).map((p) => globRe(p, ci));
    return all.filter((s) => patterns.some((re) => re.test(hmsName(s) ?? ''))).map((s) => s.id);
  };
  const clustersOfSites = async (ids: string[]): Promise<string[]> =>
    ids.length ? (await services.clusters.list({ filter: inIds('siteId', ids) })).map((c) => c.id) : [];
  const clusterIds = async (raw: string, ci: boolean, name: string, how: 'id' | 'name' | 'moref'): Promise<string[]> => {
    if (how === 'id') return list(raw);
    const filter = how === 'name' ? await text('name')(raw, { ci }, name) : await morefFilter('domain-c')(raw, { ci }, name);
    return (await services.clusters.list({ filter })).map((c) => c.id);
  };
  const datastoresOf = async (clusters: string[]): Promise<string[]> =>
    clusters.length ? (await services.datastores.list({ filter: inIds('clusterId', clusters) })).map((d) => d.id) : [];
  const hostsOf = async (clusters: string[]): Promise<string[]> =>
    clusters.length ? (await services.hosts.list({ filter: inIds('clusterId', clusters) })).map((h) => h.id) : [];

  return {
    siteIds,
    /** Sites by some criterion, then the collection's site field. */
    bySite: (field: string, how: 'name' | 'hms' | 'datacenter' | 'id'): FilterBuilder => async (raw, { ci }, name) => inIds(field, await siteIds(raw, ci, name, how)),
    /** Clusters of matching sites, then the collection's cluster field. */
    clusterBySite: (field: string, how: 'name' | 'hms' | 'datacenter' | 'id'): FilterBuilder => async (raw, { ci }, name) =>
      inIds(field, await clustersOfSites(await siteIds(raw, ci, name, how))),
    clusterByName: (field: string): FilterBuilder => async (raw, { ci }, name) => inIds(field, await clusterIds(raw, ci, name, 'name')),
    clusterByMoref: (field: string): FilterBuilder => async (raw, { ci }, name) => inIds(field, await clusterIds(raw, ci, name, 'moref')),
    /** VMs belong to their host's cluster (or, hostless, their datastore's). */
    vmCluster: (how: 'id' | 'name' | 'site-name' | 'site-hms' | 'site-datacenter' | 'site-id'): FilterBuilder => async (raw, { ci }, name) => {
      const clusters = how.startsWith('site-')
        ? await clustersOfSites(await siteIds(raw, ci, name, how.slice(5) as 'name' | 'hms' | 'datacenter' | 'id'))
        : await clusterIds(raw, ci, name, how as 'id' | 'name');
      const [hosts, datastores] = await Promise.all([hostsOf(clusters), datastoresOf(clusters)]);
      return { any: [inIds('hostId', hosts), { all: [{ field: 'hostId', op: 'isnull', value: true }, inIds('datastoreId', datastores)] }] };
    },
    /** Backups belong to their datastore's cluster. */
    backupCluster: (how: 'id' | 'name' | 'site-name' | 'site-datacenter' | 'site-id'): FilterBuilder => async (raw, { ci }, name) => {
      const clusters = how.startsWith('site-')
        ? await clustersOfSites(await siteIds(raw, ci, name, how.slice(5) as 'name' | 'datacenter' | 'id'))
        : await clusterIds(raw, ci, name, how as 'id' | 'name');
      return inIds('datastoreId', await datastoresOf(clusters));
    },
    byName: (field: string, read: (filter: Filter) => Promise<{ id: string }[]>): FilterBuilder => async (raw, ctx, name) =>
      inIds(field, (await read(await text('name')(raw, ctx, name))).map((o) => o.id)),
  };
}

/** A field every object renders with one value: the filter matches all or nothing. */
export const fixedText =
  (value: string | null): FilterBuilder =>
  (raw, { ci }) => (value !== null && list(raw).some((p) => globRe(p, ci).test(value)) ? { all: [] } : { any: [] });

export const fixedNumber =
  (value: number, op: 'gte' | 'lte'): FilterBuilder =>
  (raw, _ctx, name) => {
    if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw badParam(name, 'must be a number');
    const ok = op === 'gte' ? value >= Number(raw) : value <= Number(raw);
    return ok ? { all: [] } : { any: [] };
  };

export const fixedBool = (value: boolean): FilterBuilder => (raw, ctx, name) => constant({ TRUE: value, FALSE: !value })(raw, ctx, name);

/**
 * A text the vendor renders from other fields (no column holds it): the candidates' renderings are
 * matched with the filter's patterns, then the collection is filtered by their ids in SQL.
 */
export const derivedText =
  <T extends { id: string }>(read: () => Promise<T[]>, derive: (item: T) => string | null): FilterBuilder =>
  async (raw, { ci }) => {
    const patterns = list(raw).map((p) => globRe(p, ci));
    const matching = (await read()).filter((item) => {
      const value = derive(item);
      return value !== null && patterns.some((re) => re.test(value));
    });
    return { field: 'id', op: 'in', value: matching.map((item) => item.id) };
  };

/** Matches nothing whatever the value (timestamps rendered NA, external stores that do not exist). */
export const never: FilterBuilder = () => ({ any: [] });
