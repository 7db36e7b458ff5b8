import { Request, Response } from 'express';
import { Condition, Filter, Order } from '@rosetta/core';
import { pythonJson } from './wire-json';

/** A response decided by the dialect itself (Tastypie's ImmediateHttpResponse). */
export class TastypieReply extends Error {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`tastypie ${status}`);
  }
}

/** Django's escape(), with the quotes put back as Tastypie's sanitize() does. */
export const sanitize = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const badRequest = (message: string): TastypieReply => new TastypieReply(400, { error: sanitize(message) });
export const MISMATCHED = 'Invalid resource lookup data provided (mismatched type).';

export type Method = 'get' | 'post' | 'put' | 'delete' | 'patch';
export const ALL_METHODS: readonly Method[] = ['get', 'post', 'put', 'delete', 'patch'];

export type FieldType = 'string' | 'integer' | 'float' | 'decimal' | 'boolean' | 'list' | 'dict' | 'date' | 'datetime' | 'related';

export interface FieldSpec {
  type: FieldType;
  help?: string;
  readonly?: boolean;
  nullable?: boolean;
  blank?: boolean;
  unique?: boolean;
  default?: unknown;
  related?: 'to_one' | 'to_many';
  enumeration?: readonly string[];
}

/** Tastypie ALL and ALL_WITH_RELATIONS. */
export const ALL = 1;
export const ALL_WITH_RELATIONS = 2;
export type Filtering = Record<string, readonly string[] | typeof ALL | typeof ALL_WITH_RELATIONS>;

export const FILTER_INT = ['exact', 'gte', 'lte', 'gt', 'lt'] as const;
export const FILTER_STR = ['contains', 'exact', 'startswith', 'endswith'] as const;
export const FILTER_ENUM = ['exact', 'contains', 'startswith', 'endswith', 'in'] as const;

/** Django's QUERY_TERMS (1.6). */
const QUERY_TERMS = new Set([
  'exact', 'iexact', 'contains', 'icontains', 'gt', 'gte', 'lt', 'lte', 'in', 'startswith', 'istartswith',
  'endswith', 'iendswith', 'range', 'year', 'month', 'day', 'week_day', 'hour', 'minute', 'second', 'isnull', 'search', 'regex', 'iregex',
]);

export interface Relation {
  /** Resource whose filtering governs the next lookup level. */
  resource: () => ResourceDef;
}

export interface ParsedFilter {
  /** Wire field path: ['host'] or ['host', 'fqdn']. */
  path: string[];
  lookup: string;
  value: unknown;
}

export interface ListRequest {
  filters: ParsedFilter[];
  order: { field: string; desc: boolean }[];
  limit: number;
  offset: number;
  params: URLSearchParams;
}

export interface Ctx {
  req: Request;
  res: Response;
  /** Where the dialect is mounted ('' or '/lustre'): every URI we hand out starts with it. */
  base: string;
}

export interface ResourceDef<C extends Ctx = Ctx> {
  name: string;
  fields: Record<string, FieldSpec>;
  filtering?: Filtering;
  ordering?: readonly string[];
  /** Related fields a filter may descend through (ALL_WITH_RELATIONS). */
  relations?: Record<string, Relation>;
  listAllowed: readonly Method[];
  detailAllowed: readonly Method[];
  list?(ctx: C, q: ListRequest): Promise<{ objects: unknown[]; total: number }>;
  detail?(ctx: C, pk: string): Promise<unknown | undefined>;
  post?(ctx: C): Promise<TastypieReply>;
  putList?(ctx: C): Promise<TastypieReply>;
  patchList?(ctx: C): Promise<TastypieReply>;
  deleteList?(ctx: C): Promise<TastypieReply>;
  put?(ctx: C, pk: string): Promise<TastypieReply>;
  patch?(ctx: C, pk: string): Promise<TastypieReply>;
  delete?(ctx: C, pk: string): Promise<TastypieReply>;
  /** Sub-URLs of the resource (`conf_param/`, `dismiss_all/`): path after the resource name, no slashes. */
  extra?: Record<string, { allowed: readonly Method[]; handle(ctx: C): Promise<TastypieReply> }>;
  /** Sub-URLs of one object (`<pk>/metric/`). */
  detailExtra?: Record<string, { allowed: readonly Method[]; handle(ctx: C, pk: string): Promise<TastypieReply> }>;
  /** Resources whose list GET answers something other than the envelope (system_status, session). */
  rawList?: boolean;
  /**
   * The list depends only on hosts, targets, filesystems, jobs and devices (not on the user or the
   * clock), so a rendered page may be served again until the domain's change stamp moves.
   */
  cacheList?: boolean;
}

const DEFAULT_HELP: Record<FieldType, string> = {
  string: 'Unicode string data. Ex: "Hello World"',
  integer: 'Integer data. Ex: 2673',
  float: 'Floating point numeric data. Ex: 26.73',
  decimal: 'Fixed precision numeric data. Ex: 26.73',
  boolean: 'Boolean data. Ex: True',
  list: "A list of data. Ex: ['abc', 26.73, 8]",
  dict: "A dictionary of data. Ex: {'price': 26.73, 'name': 'Daniel'}",
  date: 'A date as a string. Ex: "2010-11-10"',
  datetime: 'A date & time as a string. Ex: "2010-11-10T03:07:43"',
  related: 'A single related resource. Can be either a URI or set of nested resource data.',
};

export function buildSchema(def: ResourceDef): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(def.fields)) {
    const help = f.help ?? (f.related === 'to_many' ? 'Many related resources. Can be either a list of URIs or list of individually nested resource data.' : DEFAULT_HELP[f.type]);
    fields[name] = {
      blank: f.blank ?? false,
      default: f.default === undefined ? 'No default provided.' : f.default,
      help_text: help,
      nullable: f.nullable ?? false,
      readonly: f.readonly ?? false,
      type: f.type,
      unique: f.unique ?? false,
      ...(f.related ? { related_type: f.related } : {}),
      ...(f.enumeration ? { enumeration: f.enumeration } : {}),
    };
  }
  const schema: Record<string, unknown> = {
    allowed_detail_http_methods: def.detailAllowed,
    allowed_list_http_methods: def.listAllowed,
    default_format: 'application/json',
    default_limit: 20,
    fields,
  };
  if (def.filtering && Object.keys(def.filtering).length) schema.filtering = def.filtering;
  if (def.ordering && def.ordering.length) schema.ordering = def.ordering;
  return schema;
}

/** Tastypie's check_filtering: which path a filter may take, or the exact 400 it answers. */
function checkFiltering(def: ResourceDef, field: string, lookup: string, bits: string[]): string[] {
  const allowed = def.filtering?.[field];
  if (allowed === undefined) throw badRequest(`The '${field}' field does not allow filtering.`);
  if (allowed !== ALL && allowed !== ALL_WITH_RELATIONS && !allowed.includes(lookup)) {
    throw badRequest(`'${lookup}' is not an allowed filter on the '${field}' field.`);
  }
  if (bits.length) {
    const relation = def.relations?.[field];
    if (def.fields[field]?.type !== 'related' || !relation) throw badRequest(`The '${field}' field does not support relations.`);
    if (allowed !== ALL_WITH_RELATIONS) throw badRequest(`Lookups are not allowed more than one level deep on the '${field}' field.`);
    const related = relation.resource();
    if (!(bits[0] in related.fields)) throw badRequest(`The '${bits[0]}' field does not allow filtering.`);
    return [field, ...checkFiltering(related, bits[0], lookup, bits.slice(1))];
  }
  return [field];
}

/** filter_value_to_python: booleans and None by spelling, lists for __in / __range from repeats and commas. */
function filterValue(params: URLSearchParams, key: string, lookup: string): unknown {
  const all = params.getAll(key);
  const last = all[all.length - 1];
  if (last === 'true' || last === 'True') return true;
  if (last === 'false' || last === 'False') return false;
  if (last === 'nil' || last === 'none' || last === 'None') return null;
  if ((lookup === 'in' || lookup === 'range') && last.length) return all.flatMap((v) => v.split(','));
  return last;
}

const RESERVED = new Set(['limit', 'offset', 'order_by', 'sort_by', 'format', 'callback']);

export function parseFilters(def: ResourceDef, params: URLSearchParams): ParsedFilter[] {
  const out: ParsedFilter[] = [];
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key) || RESERVED.has(key)) continue;
    seen.add(key);
    const bits = key.split('__');
    const field = bits.shift()!;
    // Tastypie moves along silently when a parameter names no field of the resource.
    if (!Object.prototype.hasOwnProperty.call(def.fields, field)) continue;
    let lookup = 'exact';
    if (bits.length && QUERY_TERMS.has(bits[bits.length - 1])) lookup = bits.pop()!;
    const path = checkFiltering(def, field, lookup, bits);
    out.push({ path, lookup, value: filterValue(params, key, lookup) });
  }
  return out;
}

export function parseOrder(def: ResourceDef, params: URLSearchParams): { field: string; desc: boolean }[] {
  const args = params.getAll('order_by').length ? params.getAll('order_by') : params.getAll('sort_by');
  return args.map((arg) => {
    const first = arg.split('__')[0];
    const desc = first.startsWith('-');
    const field = desc ? first.slice(1) : first;
    if (!Object.prototype.hasOwnProperty.call(def.fields, field)) throw badRequest(`No matching '${field}' field for ordering on.`);
    if (!def.ordering?.includes(field)) throw badRequest(`The '${field}' field does not allow ordering.`);
    return { field, desc };
  });
}

const PY_INT = /^\s*[+-]?\d+\s*$/;
export const MAX_LIMIT = 1000;

export function parsePaging(params: URLSearchParams): { limit: number; offset: number } {
  const rawLimit = params.has('limit') ? params.getAll('limit').pop()! : '20';
  if (!PY_INT.test(rawLimit)) throw badRequest(`Invalid limit '${rawLimit}' provided. Please provide a positive integer.`);
  let limit = Number(rawLimit);
  if (limit < 0) throw badRequest(`Invalid limit '${rawLimit}' provided. Please provide a positive integer >= 0.`);
  if (limit === 0 || limit > MAX_LIMIT) limit = MAX_LIMIT;
  const rawOffset = params.has('offset') ? params.getAll('offset').pop()! : '0';
  if (!PY_INT.test(rawOffset)) throw badRequest(`Invalid offset '${rawOffset}' provided. Please provide an integer.`);
  const offset = Number(rawOffset);
  if (offset < 0) throw badRequest(`Invalid offset '${rawOffset}' provided. Please provide a positive integer >= 0.`);
  return { limit, offset };
}

/** next/previous keep every other parameter (repeats included) and put limit and offset last. */
export function pageUri(listUri: string, params: URLSearchParams, limit: number, offset: number): string {
  const kept = new URLSearchParams();
  for (const [k, v] of params) if (k !== 'limit' && k !== 'offset') kept.append(k, v);
  kept.append('limit', String(limit));
  kept.append('offset', String(offset));
  return `${listUri}?${kept.toString()}`;
}

export function listMeta(listUri: string, params: URLSearchParams, limit: number, offset: number, total: number): Record<string, unknown> {
  return {
    limit,
    next: offset + limit >= total ? null : pageUri(listUri, params, limit, offset + limit),
    offset,
    previous: offset - limit < 0 ? null : pageUri(listUri, params, limit, offset - limit),
    total_count: total,
  };
}

/** How a wire field filters and orders in core terms. */
export interface Column {
  field: string;
  type: 'int' | 'string' | 'bool' | 'date';
  /** Turns wire values (integer ids) into core values (uuids); unknown ones drop out. */
  resolve?: (values: unknown[]) => Promise<unknown[]>;
}

const LOOKUP_OPS: Record<string, { op: Condition['op']; ci?: boolean }> = {
  exact: { op: 'eq' },
  iexact: { op: 'eq', ci: true },
  contains: { op: 'contains' },
  icontains: { op: 'contains', ci: true },
  startswith: { op: 'startswith' },
  istartswith: { op: 'startswith', ci: true },
  endswith: { op: 'endswith' },
  iendswith: { op: 'endswith', ci: true },
  in: { op: 'in' },
  gt: { op: 'gt' },
  gte: { op: 'gte' },
  lt: { op: 'lt' },
  lte: { op: 'lte' },
  isnull: { op: 'isnull' },
  regex: { op: 'regex' },
  iregex: { op: 'regex', ci: true },
};

/** The Django value conversion that raises ValueError (Tastypie's "mismatched type"). */
function convert(type: Column['type'], value: unknown): unknown {
  if (value === null) return null;
  switch (type) {
    case 'int':
      if (typeof value === 'boolean') return value ? 1 : 0;
      // Beyond 64 bits PostgreSQL would fail the query; no row can match, so say so as Django's ValueError does.
      if (typeof value !== 'string' || !PY_INT.test(value) || !Number.isSafeInteger(Number(value))) throw badRequest(MISMATCHED);
      return Number(value);
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (value === '1') return true;
      if (value === '0') return false;
      throw badRequest(MISMATCHED);
    case 'date': {
      // Naive times are UTC, as IML's settings (USE_TZ, TIME_ZONE = "UTC") read them.
      const text = String(value);
      const d = new Date(/(Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T') ? text : `${text}Z`);
      if (Number.isNaN(d.getTime())) throw badRequest(MISMATCHED);
      return d;
    }
    case 'string':
      return typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
  }
}

/**
 * Compiles parsed Tastypie filters into the core query language. Only fields the resource maps
 * reach the repository, and the repository whitelists them again.
 */
export async function compileFilters(filters: ParsedFilter[], columns: Record<string, Column>): Promise<Filter | undefined> {
  const all: Filter[] = [];
  for (const f of filters) {
    const column = columns[f.path.join('__')];
    if (!column) continue;
    // psycopg2 refuses NUL in a string with a ValueError, which Tastypie reports as a mismatched type.
    if ((Array.isArray(f.value) ? f.value : [f.value]).some((v) => typeof v === 'string' && v.includes('\u0000'))) throw badRequest(MISMATCHED);
    const lookup = f.lookup === 'range' ? null : LOOKUP_OPS[f.lookup];
    if (f.lookup === 'range') {
      const [lo, hi] = (Array.isArray(f.value) ? f.value : [f.value]).map((v) => convert(column.type, v));
      all.push({ all: [{ field: column.field, op: 'gte', value: lo }, { field: column.field, op: 'lte', value: hi }] });
      continue;
    }
    if (!lookup) {
      // Date-part and full-text lookups (year, month, search ...) have no core counterpart: nothing matches.
      all.push({ any: [] });
      continue;
    }
    if (lookup.op === 'isnull') {
      all.push({ field: column.field, op: 'isnull', value: Boolean(f.value) && f.value !== 'False' && f.value !== '0' });
      continue;
    }
    if (f.value === null) {
      all.push({ field: column.field, op: 'isnull', value: true });
      continue;
    }
    const isText = ['contains', 'startswith', 'endswith', 'regex'].includes(lookup.op);
    const raw = lookup.op === 'in' ? (Array.isArray(f.value) ? f.value : [f.value]) : [f.value];
    let values = isText ? raw.map((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))) : raw.map((v) => convert(column.type, v));
    if (column.resolve && !isText) values = await column.resolve(values);
    if (lookup.op === 'in') all.push({ field: column.field, op: 'in', value: values, ci: lookup.ci });
    else if (values.length === 0) all.push({ any: [] });
    else all.push({ field: column.field, op: lookup.op, value: values[0], ci: lookup.ci });
  }
  return all.length ? { all } : undefined;
}

export function compileOrder(order: ListRequest['order'], columns: Record<string, Column>): Order[] {
  return order
    .map((o) => ({ column: columns[o.field], desc: o.desc }))
    .filter((o) => o.column)
    .map((o) => ({ field: o.column.field, direction: o.desc ? ('desc' as const) : ('asc' as const) }));
}

/** The same filters evaluated over rendered objects, for resources that live in configuration. */
/** Numbers compare as numbers, times (ISO strings) as instants, anything else as text. */
function comparable(x: unknown): number | string {
  if (typeof x === 'number') return x;
  const text = String(x);
  if (text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  const time = Date.parse(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(text) ? `${text}Z` : text);
  return Number.isNaN(time) ? text : time;
}

export function memoryPage(objects: Record<string, unknown>[], q: ListRequest): { objects: unknown[]; total: number } {
  const matches = (o: Record<string, unknown>, f: ParsedFilter): boolean => {
    let v: unknown = o;
    for (const p of f.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
    const ci = f.lookup.startsWith('i') && f.lookup !== 'in' && f.lookup !== 'isnull';
    const norm = (x: unknown): string => (ci ? String(x).toLowerCase() : String(x));
    const want = f.value;
    switch (f.lookup.replace(/^i(?=exact|contains|startswith|endswith|regex)/, '')) {
      case 'exact':
        return want === null ? v === null || v === undefined : typeof want === 'boolean' ? v === want : norm(v) === norm(want);
      case 'in':
        return (Array.isArray(want) ? want : [want]).some((w) => norm(v) === norm(w));
      case 'contains':
        return norm(v).includes(norm(want));
      case 'startswith':
        return norm(v).startsWith(norm(want));
      case 'endswith':
        return norm(v).endsWith(norm(want));
      case 'isnull':
        return (v === null || v === undefined) === Boolean(want);
      case 'gt':
        return comparable(v) > comparable(want);
      case 'gte':
        return comparable(v) >= comparable(want);
      case 'lt':
        return comparable(v) < comparable(want);
      case 'lte':
        return comparable(v) <= comparable(want);
      default:
        return true;
    }
  };
  let rows = objects.filter((o) => q.filters.every((f) => matches(o, f)));
  for (const o of [...q.order].reverse()) {
    rows = [...rows].sort((a, b) => {
      const x = a[o.field] as string | number;
      const y = b[o.field] as string | number;
      const c = x < y ? -1 : x > y ? 1 : 0;
      return o.desc ? -c : c;
    });
  }
  return { objects: rows.slice(q.offset, q.offset + q.limit), total: rows.length };
}

/** Writes a body the way Django does: JSON as application/json (no charset), empty bodies as text/html. */
export function sendReply(res: Response, reply: TastypieReply): void {
  res.status(reply.status);
  for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
  if (reply.body === undefined) {
    if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end();
    return;
  }
  if (typeof reply.body === 'string' || Buffer.isBuffer(reply.body)) {
    if (!res.getHeader('Content-Type')) res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(reply.body);
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(Buffer.from(pythonJson(reply.body), 'utf8'));
}

export const ok = (body: unknown): TastypieReply => new TastypieReply(200, body);
export const accepted = (body: unknown): TastypieReply => new TastypieReply(202, body);
export const noContent = (): TastypieReply => new TastypieReply(204);
