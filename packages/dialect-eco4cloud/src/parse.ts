import { ConsolidationPatch, ConsolidationSubject, CoreError, FieldIssue, validation } from '@rosetta/core';

/** The appliance's entity names, as its URLs spell them (matched case-insensitively). */
export const ENTITIES = ['Farm', 'Cluster', 'Host', 'Vm', 'DataStore'] as const;
export type EntityName = (typeof ENTITIES)[number];

export const PAGE_SIZE = 20;

const bad = (reason: string, message: string, fields: FieldIssue[] = []): CoreError => validation(message, fields, reason);

export function parseEntity(raw: string): EntityName {
  const found = ENTITIES.find((e) => e.toLowerCase() === raw.toLowerCase());
  if (!found) throw bad('unknown_entity', `unknown entity ${raw}`);
  return found;
}

/** One plain value: repeated parameters and bracketed objects are refused, not guessed at. */
function single(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw bad('bad_param', `parameter ${name} must be given once, as a plain value`);
}

export interface GetQuery {
  /** Filter values by lower-cased filter name; only the entity's own filters. */
  filters: Map<string, string>;
  /** 1-based page of at most PAGE_SIZE rows; undefined for every match. */
  page?: number;
}

/**
 * Filter names are matched case-insensitively (the document itself writes Cluster_name and
 * host_name). Parameters that are not filters of the entity are ignored, as a query-string
 * API ignores cache-busters and the like; none of them reaches the store.
 */
export function parseGetQuery(query: Record<string, unknown>, filterNames: readonly string[]): GetQuery {
  const filters = new Map<string, string>();
  let page: number | undefined;
  for (const [key, raw] of Object.entries(query)) {
    const name = key.toLowerCase();
    if (name === 'page') {
      const text = single(raw, key).trim();
      if (!/^\d{1,9}$/.test(text) || Number(text) < 1) throw bad('bad_param', 'page must be a positive integer', [{ field: 'page', problem: 'must be a positive integer' }]);
      page = Number(text);
    } else if (filterNames.includes(name)) {
      if (filters.has(name)) throw bad('bad_param', `parameter ${key} must be given once`);
      filters.set(name, single(raw, key));
    }
  }
  return { filters, page };
}

export const pageOf = (page: number | undefined): { limit?: number; offset?: number } =>
  page === undefined ? {} : { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };

export type ParamType = 'boolean' | 'int' | 'float' | 'string';

export interface SetParam {
  field: keyof ConsolidationPatch;
  type: ParamType;
}

export interface SetSpec {
  kind: ConsolidationSubject;
  /** Settable parameters by lower-cased vendor name. */
  settable: Record<string, SetParam>;
  /** Every parameter the entity's get returns, lower-cased: the read-only ones are these minus settable. */
  readable: readonly string[];
}

export interface SetRequest {
  name: string;
  patch: ConsolidationPatch;
}

function coerce(value: unknown, type: ParamType): { ok: true; value: ConsolidationPatch[keyof ConsolidationPatch] } | { ok: false; problem: string } {
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return { ok: true, value: value.trim().toLowerCase() === 'true' };
      return { ok: false, problem: 'must be true or false' };
    case 'int':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return { ok: true, value };
      if (typeof value === 'string' && /^-?\d{1,9}$/.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return { ok: false, problem: 'must be an integer' };
    case 'float':
      if (typeof value === 'number' && Number.isFinite(value)) return { ok: true, value };
      if (typeof value === 'string' && /^-?(\d+(\.\d*)?|\.\d+)$/.test(value.trim())) return { ok: true, value: Number(value.trim()) };
      return { ok: false, problem: 'must be a number' };
    case 'string':
      if (typeof value === 'string') return { ok: true, value: value.trim() as ConsolidationPatch['drsMode'] };
      return { ok: false, problem: 'must be a string' };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function pairs(body: Record<string, unknown>, key: string, issues: string[]): { name: string; value: unknown }[] {
  const entry = Object.entries(body).find(([k]) => k.toLowerCase() === key.toLowerCase());
  if (!entry) {
    issues.push(`${key} is missing`);
    return [];
  }
  const list = entry[1];
  if (!Array.isArray(list)) {
    issues.push(`${key} must be a list of {"name","value"} objects`);
    return [];
  }
  const out: { name: string; value: unknown }[] = [];
  list.forEach((item, i) => {
    if (!isObject(item) || typeof item.name !== 'string' || !('value' in item)) {
      issues.push(`${key}[${i}] must be an object with name and value`);
      return;
    }
    out.push({ name: item.name, value: item.value });
  });
  return out;
}

/** Decodes a set body: every problem is collected, so one answer names them all. */
export function parseSetBody(body: unknown, spec: SetSpec): SetRequest {
  if (!isObject(body)) throw bad('bad_body', 'request body must be a JSON object with setList and whereList');
  const issues: string[] = [];
  const setList = pairs(body, 'setList', issues);
  const whereList = pairs(body, 'whereList', issues);
  if (setList.length === 0 && !issues.some((i) => i.startsWith('setList'))) issues.push('setList is empty');
  const patch: ConsolidationPatch = {};
  const seen = new Set<string>();
  for (const { name, value } of setList) {
    const key = name.toLowerCase();
    const param = spec.settable[key];
    if (seen.has(key)) {
      issues.push(`parameter ${name} is given more than once`);
      continue;
    }
    seen.add(key);
    if (!param) {
      issues.push(spec.readable.includes(key) ? `parameter ${name} is read-only` : `unknown parameter ${name}`);
      continue;
    }
    const coerced = coerce(value, param.type);
    if (!coerced.ok) issues.push(`${name} ${coerced.problem}`);
    else (patch as Record<string, unknown>)[param.field] = coerced.value;
  }
  let target: string | undefined;
  for (const { name, value } of whereList) {
    if (name.toLowerCase() !== 'name') issues.push(`unknown condition ${name}: only name is allowed`);
    else if (target !== undefined) issues.push('condition name is given more than once');
    else if (typeof value !== 'string' || value === '') issues.push('condition name must be a non-empty string');
    else target = value;
  }
  if (target === undefined && whereList.length === 0 && !issues.some((i) => i.startsWith('whereList'))) issues.push('whereList must contain name');
  if (issues.length) throw bad('bad_set', issues.join('; '));
  return { name: target!, patch };
}

/** Credentials from the query string, a form or a JSON body; a body value wins. */
export function parseLogin(query: Record<string, unknown>, body: unknown): { username: unknown; password: unknown } {
  const pick = (key: string): unknown => {
    const fromBody = isObject(body) ? body[key] : undefined;
    const value = fromBody ?? query[key];
    return typeof value === 'string' ? value : undefined;
  };
  return { username: pick('username'), password: pick('password') };
}

/**
 * Bodies are read as text and decoded here, because clients post the set document with
 * whatever content type their tool defaults to (curl -d sends a form type): text that looks
 * like a JSON object is JSON, anything else a form.
 */
export function decodeBody(text: unknown, contentType: string | undefined): unknown {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || /json/i.test(contentType ?? '')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new CoreError('VALIDATION', 'malformed JSON in request body', { reason: 'malformed_json' });
    }
  }
  return Object.fromEntries(new URLSearchParams(trimmed));
}
