/**
 * Business errors. They carry facts, never HTTP statuses or vendor wording:
 * each dialect's errors.ts decides how its vendor says them.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_STATE'
  | 'VALIDATION'
  | 'PERMISSION_DENIED'
  | 'UNAUTHENTICATED'
  | 'CAPACITY'
  | 'CONFLICT'
  | 'UNAVAILABLE';

export const ERROR_CODES: readonly ErrorCode[] = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_STATE',
  'VALIDATION',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'CAPACITY',
  'CONFLICT',
  'UNAVAILABLE',
];

export interface FieldIssue {
  field: string;
  problem: string;
  /** A figure the problem is about, for dialects whose texts quote it (e.g. volumes a full cluster holds). */
  amount?: number;
}

export interface ErrorDetails {
  /** Entity kind concerned, in core words: 'host', 'device', 'volume' ... */
  kind?: string;
  id?: string;
  name?: string;
  state?: string;
  /** Machine-readable sub-reason, e.g. 'malformed_json', 'body_too_large', 'has_children'. */
  reason?: string;
  fields?: FieldIssue[];
  requested?: number;
  available?: number;
}

export class CoreError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    this.details = details;
  }
}

export function isCoreError(err: unknown): err is CoreError {
  return err instanceof CoreError;
}

export const notFound = (kind: string, id: string): CoreError =>
  new CoreError('NOT_FOUND', `${kind} ${id} not found`, { kind, id });

export const validation = (message: string, fields: FieldIssue[] = [], reason?: string): CoreError =>
  new CoreError('VALIDATION', message, { fields, reason });

/** Exhaustiveness guard for switches over closed unions (ErrorCode, JobState ...). */
export function assertNever(value: never): never {
  throw new Error(`unexpected value ${String(value)}`);
}
