/**
 * The one query language dialects speak to repositories. Field names are core field names
 * (camelCase, as on the entities); each repository whitelists the fields it can filter and
 * order by and rejects anything else, so no request parameter reaches SQL unchecked.
 */
export type Operator =
  | 'eq'
  | 'ne'
  | 'in'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'isnull'
  | 'contains'
  | 'startswith'
  | 'endswith'
  /** Glob with `*` as the only wildcard (OmniStack filters). */
  | 'glob'
  | 'regex';

export interface Condition {
  field: string;
  op: Operator;
  value: unknown;
  /** Compare case-insensitively (strings only). */
  ci?: boolean;
}

/** A condition tree: a plain condition, or all/any of sub-conditions. */
export type Filter = Condition | { all: Filter[] } | { any: Filter[] } | { not: Filter };

export interface Order {
  field: string;
  direction: 'asc' | 'desc';
  ci?: boolean;
}

export interface ListQuery {
  filter?: Filter;
  order?: Order[];
  limit?: number;
  offset?: number;
  /**
   * Keyset paging: only rows with a greater `seq` (order by seq ascending with it). Unlike a
   * filter it narrows the items only: a page's total is still that of the whole listing.
   */
  afterSeq?: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export const and = (...filters: (Filter | undefined)[]): Filter => ({
  all: filters.filter((f): f is Filter => f !== undefined),
});

export const eq = (field: string, value: unknown): Condition => ({ field, op: 'eq', value });
