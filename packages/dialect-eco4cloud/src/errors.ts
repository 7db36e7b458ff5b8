import { Request } from 'express';
import { CoreError, assertNever } from '@rosetta/core';
import { ErrorRenderer, WireResponse } from '@rosetta/http';

/**
 * The appliance answers every API call with a JSON document whose `result` says how it went
 * (`ok` or `error`) and whose `error` says why; the outcome is in the body, not the status,
 * so business errors are HTTP 200. Only a path outside the API (404) and an internal fault
 * (500) use other statuses, still with the same body shape.
 */
export const errorBody = (message: string, req?: Request): Record<string, unknown> =>
  isSet(req) ? { result: 'error', rows_affected: 0, error: message } : { result: 'error', error: message };

function isSet(req?: Request): boolean {
  return req !== undefined && /\/set\/?$/i.test(req.path);
}

const camelToSnake = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Core field issues in the vendor's parameter names. */
function describe(err: CoreError): string {
  const fields = err.details.fields ?? [];
  if (fields.length === 0) return err.message;
  return fields.map((f) => `${camelToSnake(f.field)} ${f.problem}`).join('; ');
}

function message(err: CoreError): string {
  switch (err.code) {
    case 'UNAUTHENTICATED':
      if (err.details.reason === 'expired_ticket') return 'ticket expired: login again';
      if (err.details.reason === 'missing_login') return 'username and password are required';
      if (err.details.reason === 'missing_credentials') return 'missing ticket: login first and send the ticket header';
      if (err.details.reason === 'bad_credentials') return 'invalid username or password';
      return 'invalid ticket';
    case 'PERMISSION_DENIED':
      return 'user is not allowed to change settings';
    case 'VALIDATION':
      if (err.details.reason === 'malformed_json') return 'malformed JSON in request body';
      if (err.details.reason === 'body_too_large') return 'request body too large';
      return describe(err);
    case 'NOT_FOUND':
      return err.details.kind ? `${err.details.kind} not found` : err.message;
    case 'ALREADY_EXISTS':
    case 'INVALID_STATE':
    case 'CAPACITY':
    case 'CONFLICT':
      return err.message;
    case 'UNAVAILABLE':
      return 'service temporarily unavailable';
    default:
      return assertNever(err.code);
  }
}

export const eco4CloudErrors: ErrorRenderer = {
  render: (err, req): WireResponse => ({ status: 200, body: errorBody(message(err), req) }),
  internal: (req): WireResponse => ({ status: 500, body: errorBody(`internal error (request ${req.requestId ?? '-'})`, req) }),
  notFound: (req): WireResponse => ({ status: 404, body: { result: 'error', error: `unknown request ${req.method} ${req.path}` } }),
};
