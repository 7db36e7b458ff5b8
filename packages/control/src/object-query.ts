import { Request } from 'express';
import { CoreError, Filter, ListQuery, Page, Services, Store } from '@rosetta/core';
import { stringParams } from '@rosetta/http';

/** Object kinds the control plane can page through, for dashboards and tooling. */
export const OBJECT_KINDS = ['sites', 'clusters', 'hosts', 'devices', 'datastores', 'vms', 'aggregates', 'policies', 'backups', 'volumes', 'filesystems', 'jobs', 'bricks', 'targets'] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** Reference and state fields a page can be narrowed by (?hostId=...); a kind's repository refuses the fields it lacks. */
export const OBJECT_FILTER_FIELDS = ['siteId', 'clusterId', 'hostId', 'deviceId', 'volumeId', 'filesystemId', 'datastoreId', 'state', 'power', 'kind'] as const;

/** The text field `q` and `name` search in; kinds without a name are searched by what names them, or (null) by id only. */
const LABEL: Partial<Record<ObjectKind, string | null>> = { bricks: null, jobs: 'kind' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX32 = /^[0-9a-f]{32}$/i;

interface ObjectReads {
  page(query: ListQuery): Promise<Page<unknown>>;
  get(id: string): Promise<unknown>;
}

export function isObjectKind(kind: string): kind is ObjectKind {
  return (OBJECT_KINDS as readonly string[]).includes(kind);
}

/** Bricks and targets have no service of their own (their aggregates own them): read them from the store. */
export function objectReads(kind: ObjectKind, services: Services, store: Store): ObjectReads {
  if (kind !== 'bricks' && kind !== 'targets') return services[kind];
  const repo = store.repos[kind];
  return {
    page: (query) => repo.page(query),
    async get(id) {
      const found = await repo.get(id);
      if (!found) throw new CoreError('NOT_FOUND', `no ${kind.slice(0, -1)} ${id}`, { kind: kind.slice(0, -1), id });
      return found;
    },
  };
}

/**
 * `q` finds an object by name or by id in any dialect's form: a UUID (OmniStack, Eco4Cloud), 32 hex
 * digits (Heketi) or an integer (Lustre, Nova); `name` is a name substring; the filter fields match exactly
 * ("null" matches an unset reference, e.g. hosts outside any cluster).
 */
export function objectFilter(kind: ObjectKind, req: Request): Filter | undefined {
  const label = LABEL[kind] === undefined ? 'name' : LABEL[kind];
  const all: Filter[] = [];
  const name = stringParams(req.query.name, 'name')[0];
  if (name && !label) throw new CoreError('VALIDATION', `${kind} have no name to search`, { fields: [{ field: 'name', problem: `not a field of ${kind}` }] });
  if (name && label) all.push({ field: label, op: 'contains', value: name, ci: true });
  const q = stringParams(req.query.q, 'q')[0]?.trim();
  if (q) {
    const any: Filter[] = label ? [{ field: label, op: 'contains', value: q, ci: true }] : [];
    if (UUID.test(q)) any.push({ field: 'id', op: 'eq', value: q.toLowerCase() });
    if (HEX32.test(q)) {
      const h = q.toLowerCase();
      any.push({ field: 'id', op: 'eq', value: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}` });
    }
    if (/^\d{1,15}$/.test(q)) any.push({ field: 'seq', op: 'eq', value: Number(q) });
    all.push({ any });
  }
  for (const field of OBJECT_FILTER_FIELDS) {
    const value = stringParams(req.query[field], field)[0];
    if (value === undefined) continue;
    all.push(value === 'null' ? { field, op: 'isnull', value: true } : { field, op: 'eq', value });
  }
  return all.length ? { all } : undefined;
}
