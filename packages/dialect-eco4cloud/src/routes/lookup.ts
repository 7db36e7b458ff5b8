import { Condition, Filter, Order, Reads } from '@rosetta/core';

/** Names match case-insensitively, as the appliance's database collation does. */
export const nameIs = (name: string): Condition => ({ field: 'name', op: 'eq', value: name, ci: true });

/** The in-memory twin of nameIs, for lists filtered from a cached inventory. */
export const sameName = (actual: string | undefined, wanted: string): boolean => actual !== undefined && actual.toLowerCase() === wanted.toLowerCase();

export const idIn = (field: string, ids: string[]): Condition => ({ field, op: 'in', value: ids });

/** Appliance order: creation order, which is stable across pages. */
export const BY_SEQ: Order[] = [{ field: 'seq', direction: 'asc' }];

export const allOf = (filters: Filter[]): Filter | undefined => (filters.length === 0 ? undefined : filters.length === 1 ? filters[0] : { all: filters });

export async function idsNamed<E extends { id: string }>(reads: Reads<E>, name: string): Promise<string[]> {
  return (await reads.list({ filter: nameIs(name) })).map((e) => e.id);
}

/** Parents of a page of rows, fetched in one query. */
export async function byIds<E extends { id: string }>(reads: Reads<E>, ids: (string | null | undefined)[]): Promise<Map<string, E>> {
  const wanted = [...new Set(ids.filter((id): id is string => typeof id === 'string'))];
  if (wanted.length === 0) return new Map();
  return new Map((await reads.list({ filter: idIn('id', wanted) })).map((e) => [e.id, e]));
}
