import { Request } from 'express';
import { CoreError } from '@rosetta/core';
import { heketiError, unparseable } from './errors';
import { coreId } from './ids';

/**
 * Request bodies as Go's json.Unmarshal reads them into Heketi's types: unknown fields ignored,
 * field names matched case-insensitively, null leaves the zero value, a type mismatch fails
 * the whole request (422 "request unable to be parsed").
 */
export type GoType = 'int' | 'bool' | 'string' | 'float' | { array: GoType } | { map: GoType } | { struct: Record<string, GoType> };

export class GoDecodeError extends Error {}

function field(obj: Record<string, unknown>, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : obj[key];
}

export function decodeGo(value: unknown, type: GoType): unknown {
  if (type === 'int') {
    if (value === null || value === undefined) return 0;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new GoDecodeError('int');
    return value;
  }
  if (type === 'float') {
    if (value === null || value === undefined) return 0;
    if (typeof value !== 'number') throw new GoDecodeError('float');
    return value;
  }
  if (type === 'bool') {
    if (value === null || value === undefined) return false;
    if (typeof value !== 'boolean') throw new GoDecodeError('bool');
    return value;
  }
  if (type === 'string') {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'string') throw new GoDecodeError('string');
    return value;
  }
  if ('array' in type) {
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) throw new GoDecodeError('array');
    return value.map((v) => decodeGo(v, type.array));
  }
  if ('map' in type) {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new GoDecodeError('map');
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, decodeGo(v, type.map)]));
  }
  const obj = value === null || value === undefined ? {} : value;
  if (typeof obj !== 'object' || Array.isArray(obj)) throw new GoDecodeError('struct');
  return Object.fromEntries(Object.entries(type.struct).map(([name, t]) => [name, decodeGo(field(obj as Record<string, unknown>, name), t)]));
}

/** The raw body, JSON-decoded into a Go type; empty, malformed or mistyped bodies are unparseable. */
export function readBody<T>(req: Request, type: GoType): T {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw unparseable();
  }
  try {
    return decodeGo(parsed, type) as T;
  } catch (err) {
    if (err instanceof GoDecodeError) throw unparseable();
    throw err;
  }
}

/** Go's json error text for the endpoints that append it (/admin, /internal/logging). */
export function jsonErrorText(req: Request): string | undefined {
  const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  if (!raw.trim()) return 'unexpected end of JSON input';
  try {
    JSON.parse(raw);
    return undefined;
  } catch {
    const at = raw.trim().search(/[^\s{}[\]",:0-9.eE+\-a-z]/);
    const first = raw.trim()[0];
    if (!/[{["0-9tfn-]/.test(first)) return `invalid character '${first}' looking for beginning of value`;
    if (first === 'n' && !raw.trim().startsWith('nu')) return `invalid character '${raw.trim()[1] ?? ''}' in literal null (expecting 'u')`;
    return `invalid character '${raw.trim()[Math.max(at, 0)] ?? ''}' looking for beginning of value`;
  }
}

/** ozzo-validation's Errors: "key: message" sorted by key, "; "-joined, nested in parentheses, final ".". */
export type Issues = Map<string, string | Issues>;

export function formatIssues(issues: Issues): string {
  return (
    [...issues.keys()]
      .sort()
      .map((k) => {
        const v = issues.get(k)!;
        return `${k}: ${typeof v === 'string' ? v : `(${formatIssues(v)})`}`;
      })
      .join('; ') + '.'
  );
}

export function failValidation(issues: Issues): void {
  if (issues.size) throw heketiError(400, `validation failed: ${formatIssues(issues)}`);
}

export const DEVICE_NAME = /^\/[a-zA-Z0-9_.:/-]+$/;
export const VOLUME_NAME = /^[a-zA-Z0-9_-]+$/;
const TAG_NAME = /^[a-zA-Z0-9_.-]+$/;
const DNS_NAME = /^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** ozzo is.Host: an IP address or a DNS name. */
export const isHost = (s: string): boolean => IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s)) || (s.length <= 253 && DNS_NAME.test(s));

/** ValidateUUID: 32 runes, all hex. */
export const isHeketiId = (s: string): boolean => [...s].length === 32 && /^[0-9a-fA-F]+$/.test(s);

const runes = (s: string): number => [...s].length;

/** ValidateTags: one message for the first problem found. */
export function tagProblem(tags: Record<string, string> | undefined): string | undefined {
  if (!tags) return undefined;
  const keys = Object.keys(tags).sort();
  if (keys.length > 32) return `too many tags specified (${keys.length}), up to 32 supported`;
  for (const k of keys) {
    if (!k) return 'tag names may not be empty';
    if (runes(k) > 32) return `tag name ${k}: the length must be between 1 and 32`;
    if (runes(tags[k]) > 64) return `value of tag ${k}: the length must be no more than 64`;
    if (!TAG_NAME.test(k)) return `invalid characters in tag name ${k}`;
  }
  return undefined;
}

/** An {id} segment (already hex by the route pattern) as a core id; unknown forms are simply not found. */
export function idParam(params: Record<string, string>): string {
  const id = coreId(params.id ?? '');
  if (!id) throw new CoreError('NOT_FOUND', 'Id not found', {});
  return id;
}

export const TAGS_CHANGE: GoType = { struct: { tags: { map: 'string' }, change_type: 'string' } };
export const STATE_REQUEST: GoType = { struct: { state: 'string', healcheck: 'string' } };
