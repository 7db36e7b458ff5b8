import { Request } from 'express';
import { CoreError, Filter, ListQuery, Order } from '@rosetta/core';
import { stringParams } from '@rosetta/http';

export const MAX_LIMIT = 5000;
export const DEFAULT_LIMIT = 500;

export const badParam = (name: string, problem: string): CoreError =>
  new CoreError('VALIDATION', `Invalid value for parameter ${name}: ${problem}`, { reason: 'bad_param', fields: [{ field: name, problem }] });
const badSort = (message: string, field: string): CoreError =>
  new CoreError('VALIDATION', message, { reason: 'bad_sort', fields: [{ field, problem: message }] });
export const badBody = (field: string, problem: string): CoreError =>
  new CoreError('VALIDATION', `Invalid body: ${field} ${problem}`, { reason: 'invalid_body', fields: [{ field, problem }] });

/** One query value: empty means absent (the Go SDK sends every parameter, most of them empty). */
export function queryValue(req: Request, name: string): string | undefined {
  const values = stringParams((req.query as Record<string, unknown>)[name], name);
  const last = values[values.length - 1];
  return last === undefined || last === '' ? undefined : last;
}

/** A query parameter Spring binds as required: absent or empty is HPE's MissingServletRequestParameterException. */
export function requiredQuery(req: Request, name: string): string {
  const value = queryValue(req, name);
  if (value === undefined) {
    throw new CoreError('VALIDATION', `Required String parameter '${name}' is not present`, { reason: 'missing_param', fields: [{ field: name, problem: 'is required' }] });
  }
  return value;
}

/** A required int query parameter: Spring's TypeMismatchException when it is not a number. */
export function intQuery(req: Request, name: string): number {
  const raw = requiredQuery(req, name);
  if (!/^-?\d+$/.test(raw)) {
    throw new CoreError('VALIDATION', `Failed to convert value of type 'java.lang.String' to required type 'int'; nested exception is java.lang.NumberFormatException: For input string: "${raw}"`, {
      reason: 'type_mismatch',
      fields: [{ field: name, problem: 'must be an integer' }],
    });
  }
  return Number(raw);
}

/** Booleans as clients spell them: true/false in any case (Python and PowerShell send True). */
export function boolValue(raw: string | undefined, name: string): boolean | undefined {
  if (raw === undefined) return undefined;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw badParam(name, 'must be true or false');
}

export interface FilterContext {
  ci: boolean;
}

/** Turns one filter parameter's raw value into a core filter (possibly after looking ids up). */
export type FilterBuilder = (raw: string, ctx: FilterContext, name: string) => Filter | Promise<Filter>;

export interface CollectionSpec {
  filters: Record<string, FilterBuilder>;
  /** Sortable vendor fields -> core fields. */
  sorts: Record<string, string>;
  /** Sort fields compared case-insensitively whatever `case` says (backup names). */
  alwaysCi?: string[];
  defaultSort?: string;
}

export interface ParsedList {
  query: ListQuery;
  limit: number;
  offset: number;
  fields?: string[];
  showOptional: boolean;
}

const list = (raw: string): string[] => raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);

/** `a,b*` -> a OR b*: ids, names and most string filters take comma lists and `*` wildcards. */
export const text =
  (field: string, wildcards = true): FilterBuilder =>
  (raw, { ci }) => ({
    any: list(raw).map((v) => (wildcards && v.includes('*') ? { field, op: 'glob' as const, value: v, ci } : { field, op: 'eq' as const, value: v, ci })),
  });

export const ids =
  (field: string): FilterBuilder =>
  (raw) => ({ field, op: 'in', value: list(raw).map((v) => v.toLowerCase()) });

/** Enum filters use the vendor's uppercase names and ignore `case`; a name outside the enum is a bad value. */
export const enumOf =
  (field: string, map: Record<string, string | null>): FilterBuilder =>
  (raw, _ctx, name) => {
    const values = list(raw).map((v) => {
      const key = v.toUpperCase();
      if (!Object.prototype.hasOwnProperty.call(map, key)) throw badParam(name, `${v} is not one of ${Object.keys(map).join(', ')}`);
      return map[key];
    });
    const known = values.filter((v): v is string => v !== null);
    return known.length ? { field, op: 'in', value: known } : { any: [] };
  };

/** An enum value every core object has (VM state ALIVE, host type OMNISTACK): all or nothing. */
export const constant =
  (map: Record<string, boolean>): FilterBuilder =>
  (raw, _ctx, name) => {
    const hit = list(raw).some((v) => {
      const key = v.toUpperCase();
      if (!Object.prototype.hasOwnProperty.call(map, key)) throw badParam(name, `${v} is not one of ${Object.keys(map).join(', ')}`);
      return map[key];
    });
    return hit ? { all: [] } : { any: [] };
  };

export const numberRange =
  (field: string, op: 'gte' | 'lte'): FilterBuilder =>
  (raw, _ctx, name) => {
    if (!/^-?\d+(\.\d+)?$/.test(raw.trim())) throw badParam(name, 'must be a number');
    return { field, op, value: Number(raw) };
  };

export const dateRange =
  (field: string, op: 'gte' | 'lte'): FilterBuilder =>
  (raw, _ctx, name) => {
    const d = parseDate(raw);
    if (!d) throw badParam(name, 'must be an ISO-8601 date');
    // Objects show times to the second: "before 12:41:08" includes what shows 12:41:08 (stored 12:41:08.5).
    const wholeSecond = op === 'lte' && !/\.\d/.test(raw);
    return { field, op, value: wholeSecond ? new Date(d.getTime() + 999) : d };
  };

export const boolFilter =
  (field: string): FilterBuilder =>
  (raw, _ctx, name) => ({ field, op: 'eq', value: boolValue(raw, name) });

export function parseDate(raw: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw.trim())) return undefined;
  const d = new Date(raw.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The standard list parameters plus the collection's filters, everything checked before SQL. */
export async function parseList(req: Request, spec: CollectionSpec, base?: Filter): Promise<ParsedList> {
  const limitRaw = queryValue(req, 'limit');
  const offsetRaw = queryValue(req, 'offset');
  if (limitRaw !== undefined && (!/^\d+$/.test(limitRaw) || Number(limitRaw) > MAX_LIMIT)) {
    throw badSort(`Invalid limit: ${limitRaw}. The limit must be between 0 and ${MAX_LIMIT}`, 'limit');
  }
  if (offsetRaw !== undefined && !/^\d+$/.test(offsetRaw)) throw badSort(`Invalid offset: ${offsetRaw}`, 'offset');
  const limit = limitRaw === undefined ? DEFAULT_LIMIT : Number(limitRaw);
  const offset = offsetRaw === undefined ? 0 : Number(offsetRaw);
  const caseRaw = queryValue(req, 'case');
  if (caseRaw !== undefined && !/^(sensitive|insensitive)$/i.test(caseRaw)) throw badParam('case', 'must be sensitive or insensitive');
  const ci = /^insensitive$/i.test(caseRaw ?? '');
  const orderRaw = queryValue(req, 'order');
  if (orderRaw !== undefined && !/^(ascending|descending)$/i.test(orderRaw)) throw badSort(`Invalid order: ${orderRaw}`, 'order');
  const direction = /^ascending$/i.test(orderRaw ?? '') ? 'asc' : 'desc';
  const sortRaw = queryValue(req, 'sort') ?? spec.defaultSort;
  const order: Order[] = [];
  if (sortRaw !== undefined) {
    const core = Object.prototype.hasOwnProperty.call(spec.sorts, sortRaw) ? spec.sorts[sortRaw] : undefined;
    if (!core) throw badSort(`Invalid sort criteria: ${sortRaw}`, 'sort');
    order.push({ field: core, direction, ci: ci || (spec.alwaysCi ?? []).includes(sortRaw) });
  }
  const conditions: Filter[] = base ? [base] : [];
  for (const [name, build] of Object.entries(spec.filters)) {
    const raw = queryValue(req, name);
    if (raw !== undefined) conditions.push(await build(raw, { ci }, name));
  }
  const fieldsRaw = queryValue(req, 'fields');
  return {
    query: { filter: conditions.length ? { all: conditions } : undefined, order, limit, offset },
    limit,
    offset,
    fields: fieldsRaw ? list(fieldsRaw) : undefined,
    showOptional: boolValue(queryValue(req, 'show_optional_fields'), 'show_optional_fields') ?? false,
  };
}

/** `fields=a,b`: only those keys, in the object's own order; unknown names are ignored. */
export function project<T extends Record<string, unknown>>(obj: T, fields: string[] | undefined): Partial<T> {
  if (!fields) return obj;
  return Object.fromEntries(Object.entries(obj).filter(([k]) => fields.includes(k))) as Partial<T>;
}

// ---- request bodies -------------------------------------------------------------------------

export type Body = Record<string, unknown>;

/** A JSON object body; `null`, `""` and absent bodies read as {} (clients send all three). */
export function objectBody(req: Request): Body {
  const b: unknown = req.body;
  if (b === undefined || b === null || b === '') return {};
  if (typeof b !== 'object' || Array.isArray(b)) throw badBody('body', 'must be a JSON object');
  return b as Body;
}

export function arrayBody(req: Request): Body[] {
  const b: unknown = req.body;
  if (!Array.isArray(b) || b.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) throw badBody('body', 'must be a JSON array of objects');
  return b as Body[];
}

export function str(body: Body, name: string, required: true): string;
export function str(body: Body, name: string, required?: false): string | undefined;
export function str(body: Body, name: string, required = false): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw badBody(name, 'is required');
    return undefined;
  }
  if (typeof v !== 'string') throw badBody(name, 'must be a string');
  return v;
}

/** Numbers, also as numeric strings (the Prometheus connector sends sizes as strings). */
export function num(body: Body, name: string, required = false): number | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw badBody(name, 'is required');
    return undefined;
  }
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw badBody(name, 'must be a number');
  return n;
}

/** Booleans, also as "true"/"false" strings (one backup module sends app_consistent as a string). */
export function bool(body: Body, name: string): boolean | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return /^true$/i.test(v);
  throw badBody(name, 'must be true or false');
}

/** A required, non-empty array of non-empty strings. */
export function stringList(body: Body, name: string): string[] {
  const v = body[name];
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !x)) throw badBody(name, 'must be a non-empty list of strings');
  return v as string[];
}

/** An id list that may arrive as a single string (the Prometheus connector does that). */
export function idList(body: Body, name: string): string[] {
  const v = body[name];
  if (typeof v === 'string' && v) return [v];
  if (!Array.isArray(v) || v.length === 0 || v.some((x) => typeof x !== 'string' || !x)) throw badBody(name, 'must be a non-empty list of ids');
  return v as string[];
}
