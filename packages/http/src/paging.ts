import { CoreError } from '@rosetta/core';

export interface IntParamOptions {
  min?: number;
  max?: number;
  fallback?: number;
  /** Values above max are clamped instead of refused (Tastypie's limit). */
  clamp?: boolean;
}

/** Parses one integer query parameter, or throws a VALIDATION error naming it. */
export function intParam(raw: unknown, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback, clamp }: IntParamOptions = {}): number | undefined {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  if (value === undefined || value === '') return fallback;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) {
    throw new CoreError('VALIDATION', `${name} must be an integer`, { fields: [{ field: name, problem: 'must be an integer' }], reason: 'bad_param' });
  }
  const n = Number(value);
  if (n < min || (n > max && !clamp)) {
    throw new CoreError('VALIDATION', `${name} must be between ${min} and ${max}`, {
      fields: [{ field: name, problem: `must be between ${min} and ${max}` }],
      reason: 'bad_param',
    });
  }
  return Math.min(n, max);
}

/** Query values as strings: repeated parameters arrive as arrays, nested objects are refused. */
export function stringParams(raw: unknown, name: string): string[] {
  if (raw === undefined) return [];
  const values = Array.isArray(raw) ? raw : [raw];
  if (values.some((v) => typeof v !== 'string')) {
    throw new CoreError('VALIDATION', `${name} must be a plain value`, { fields: [{ field: name, problem: 'must be a plain value' }], reason: 'bad_param' });
  }
  return values as string[];
}
