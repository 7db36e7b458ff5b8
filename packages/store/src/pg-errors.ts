import { CoreError, isCoreError } from '@rosetta/core';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

const isPgError = (err: unknown): err is PgError & Error =>
  err instanceof Error && typeof (err as PgError).code === 'string' && (err as PgError).code!.length === 5;

/** Key column and value from a unique-violation detail: `Key (name)=(x) already exists.` */
function parseKey(detail: string | undefined): { field?: string; value?: string } {
  const match = /Key \(([^)]+)\)=\((.*)\)/.exec(detail ?? '');
  return match ? { field: match[1], value: match[2] } : {};
}

/**
 * Database errors that express a domain rule become CoreErrors; anything else (lost
 * connection, syntax) is left alone to surface as a 500 and be logged.
 */
export function translatePgError(err: unknown, kind: string): unknown {
  if (isCoreError(err) || !isPgError(err)) return err;
  switch (err.code) {
    case '23505': {
      const { field, value } = parseKey(err.detail);
      return new CoreError('ALREADY_EXISTS', `${kind} with ${field ?? 'that key'} ${value ?? ''} already exists`.replace(/\s+$/, ''), {
        kind,
        name: value,
        reason: err.constraint,
      });
    }
    case '23503':
      return /is still referenced/.test(err.detail ?? '')
        ? new CoreError('CONFLICT', `${kind} is still in use`, { kind, reason: 'has_children' })
        : new CoreError('NOT_FOUND', `${kind} refers to something that does not exist`, { kind, reason: err.constraint });
    case '23514':
      return /capacity|free/.test(err.constraint ?? '')
        ? new CoreError('CAPACITY', `${kind} capacity exceeded`, { kind, reason: err.constraint })
        : new CoreError('VALIDATION', `${kind} value out of range`, { kind, reason: err.constraint });
    case '22001':
    case '22003':
    case '22P02':
    case '22007':
    case '22008':
    case '2201B':
      return new CoreError('VALIDATION', `invalid value for ${kind}: ${err.message}`, { kind, reason: 'bad_value' });
    default:
      return err;
  }
}

/** Worth retrying the whole transaction: deadlocks and serialization conflicts. */
export const isRetryable = (err: unknown): boolean => isPgError(err) && (err.code === '40P01' || err.code === '40001');

const MAX_ATTEMPTS = 4;

/**
 * Runs a whole transaction again when PostgreSQL chose it as a deadlock or serialization victim:
 * the other party has gone on, so a second attempt normally finds the way clear.
 */
export async function retryingTransaction<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt < MAX_ATTEMPTS && isRetryable(err)) continue;
      throw err;
    }
  }
}
