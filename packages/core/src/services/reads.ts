import { notFound } from '../errors';
import { Filter, ListQuery, Page } from '../ports/query';
import { Repositories, Repository, Store } from '../ports/repositories';

export interface Reads<E> {
  get(id: string): Promise<E>;
  find(id: string): Promise<E | undefined>;
  findBySeq(seq: number): Promise<E | undefined>;
  list(query?: ListQuery): Promise<E[]>;
  page(query?: ListQuery): Promise<Page<E>>;
  count(filter?: Filter): Promise<number>;
  sumBy(sumField: string, groupField: string, filter?: Filter): Promise<Record<string, number>>;
  countBy(groupField: string, filter?: Filter): Promise<Record<string, number>>;
}

/** The read side every service shares: lookups and SQL-filtered pages, NOT_FOUND in core words. */
export function readsOf<E>(store: Store, kind: string, pick: (r: Repositories) => Repository<E, unknown, unknown>): Reads<E> {
  const repo = (): Repository<E, unknown, unknown> => pick(store.repos);
  return {
    async get(id) {
      const found = await repo().get(id);
      if (!found) throw notFound(kind, id);
      return found;
    },
    find: (id) => repo().get(id),
    findBySeq: (seq) => repo().getBySeq(seq),
    list: (query) => repo().list(query),
    page: (query) => repo().page(query),
    count: (filter) => repo().count(filter),
    sumBy: (sumField, groupField, filter) => repo().sumBy(sumField, groupField, filter),
    countBy: (groupField, filter) => repo().countBy(groupField, filter),
  };
}

/** Loads a row inside a transaction with a row lock, or fails NOT_FOUND. */
export async function mustLock<E>(repo: Repository<E, unknown, unknown>, kind: string, id: string): Promise<E> {
  const row = await repo.lock(id);
  if (!row) throw notFound(kind, id);
  return row;
}

export async function mustGet<E>(repo: Repository<E, unknown, unknown>, kind: string, id: string): Promise<E> {
  const row = await repo.get(id);
  if (!row) throw notFound(kind, id);
  return row;
}
