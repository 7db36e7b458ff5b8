import { Knex } from 'knex';
import { Condition, CoreError, Filter, ListQuery } from '@rosetta/core';

export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'uuid';

export interface Column {
  column: string;
  type: ColumnType;
}

/** The whitelist of what a table lets callers filter and order by: core field name -> column. */
export type FieldMap = Record<string, Column>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID_RE.test(value);

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

function column(fields: FieldMap, name: string, table: string): Column {
  const col = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
  if (!col) {
    throw new CoreError('VALIDATION', `cannot filter or order by ${JSON.stringify(name)}`, {
      fields: [{ field: name, problem: 'is not a filterable field' }],
      reason: 'unknown_field',
      kind: table,
    });
  }
  return col;
}

/** Values that cannot match a uuid column (a malformed id) simply match nothing. */
function coerce(col: Column, value: unknown): { ok: boolean; value: unknown } {
  if (col.type === 'uuid' && value !== null) return { ok: isUuid(value), value };
  if (col.type === 'number' && typeof value === 'string') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new CoreError('VALIDATION', `${JSON.stringify(value)} is not a number`, { reason: 'bad_value' });
    return { ok: true, value: n };
  }
  return { ok: true, value };
}

function applyCondition(qb: Knex.QueryBuilder, c: Condition, fields: FieldMap, table: string): void {
  const col = column(fields, c.field, table);
  const ref = `${table}.${col.column}`;
  const lhs = c.ci ? `lower(??::text)` : '??';
  const ciValue = (v: unknown): unknown => (c.ci && typeof v === 'string' ? v.toLowerCase() : v);
  const like = (pattern: string): void => {
    qb.whereRaw(`??::text ${c.ci ? 'ILIKE' : 'LIKE'} ? ESCAPE '\\'`, [ref, pattern]);
  };
  switch (c.op) {
    case 'eq':
    case 'ne': {
      if (c.value === null) {
        if (c.op === 'eq') qb.whereNull(ref);
        else qb.whereNotNull(ref);
        return;
      }
      const { ok, value } = coerce(col, c.value);
      if (!ok) {
        if (c.op === 'eq') qb.whereRaw('false');
        return;
      }
      qb.whereRaw(`${lhs} ${c.op === 'eq' ? '=' : 'IS DISTINCT FROM'} ?`, [ref, ciValue(value) as Knex.Value]);
      return;
    }
    case 'in': {
      const values = (Array.isArray(c.value) ? c.value : [c.value]).map((v) => coerce(col, v)).filter((v) => v.ok).map((v) => ciValue(v.value));
      if (values.length === 0) qb.whereRaw('false');
      else if (c.ci) qb.whereRaw(`lower(??::text) IN (${values.map(() => '?').join(',')})`, [ref, ...(values as Knex.Value[])]);
      else qb.whereIn(ref, values as Knex.Value[]);
      return;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const op = { lt: '<', lte: '<=', gt: '>', gte: '>=' }[c.op];
      const { ok, value } = coerce(col, c.value);
      if (!ok) qb.whereRaw('false');
      else qb.where(ref, op, value as Knex.Value);
      return;
    }
    case 'isnull':
      if (c.value) qb.whereNull(ref);
      else qb.whereNotNull(ref);
      return;
    case 'contains':
      return like(`%${escapeLike(String(c.value))}%`);
    case 'startswith':
      return like(`${escapeLike(String(c.value))}%`);
    case 'endswith':
      return like(`%${escapeLike(String(c.value))}`);
    case 'glob':
      return like(escapeLike(String(c.value)).replace(/\*/g, '%'));
    case 'regex':
      qb.whereRaw(`??::text ${c.ci ? '~*' : '~'} ?`, [ref, String(c.value)]);
      return;
  }
}

export function applyFilter(qb: Knex.QueryBuilder, filter: Filter | undefined, fields: FieldMap, table: string): void {
  if (!filter) return;
  if ('all' in filter) {
    for (const f of filter.all) qb.where((sub) => applyFilter(sub, f, fields, table));
  } else if ('any' in filter) {
    if (filter.any.length === 0) qb.whereRaw('false');
    else qb.where((sub) => filter.any.forEach((f) => sub.orWhere((inner) => applyFilter(inner, f, fields, table))));
  } else if ('not' in filter) {
    qb.whereNot((sub) => applyFilter(sub, filter.not, fields, table));
  } else {
    applyCondition(qb, filter, fields, table);
  }
}

export function applyOrder(qb: Knex.QueryBuilder, query: ListQuery, fields: FieldMap, table: string): void {
  for (const o of query.order ?? []) {
    const ref = `${table}.${column(fields, o.field, table).column}`;
    const dir = o.direction === 'desc' ? 'DESC' : 'ASC';
    if (o.ci) qb.orderByRaw(`lower(??::text) ${dir}`, [ref]);
    else qb.orderByRaw(`?? ${dir}`, [ref]);
  }
  // A stable tie-breaker, so pages never overlap or skip rows.
  qb.orderBy(`${table}.seq`, query.order?.some((o) => o.field === 'seq' && o.direction === 'desc') ? 'desc' : 'asc');
}
