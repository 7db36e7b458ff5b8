import { Request } from 'express';
import { CoreError, assertNever } from '@rosetta/core';
import { ErrorRenderer, WireResponse } from '@rosetta/http';
import { pythonJson } from './wire-json';

const CANNED = 'Sorry, this request could not be processed. Please try again later.';
const json = (status: number, body: unknown): WireResponse => ({ status, body: pythonJson(body), contentType: 'application/json' });

/** Core errors in Tastypie's shapes: empty 404s and 401s, {"error": ...} for bad requests, field dicts for validation. */
export function renderCoreError(err: CoreError): WireResponse {
  switch (err.code) {
    case 'NOT_FOUND':
      return { status: 404 };
    case 'VALIDATION':
      if (err.details.reason === 'malformed_json') return json(400, { error: 'Request is not valid JSON.' });
      if (err.details.reason === 'body_too_large') return { status: 413 };
      if (err.details.fields?.length) return json(400, Object.fromEntries(err.details.fields.map((f) => [f.field, [f.problem]])));
      return json(400, { error: err.message });
    case 'ALREADY_EXISTS':
    case 'CONFLICT':
      return json(400, { __all__: err.message });
    case 'INVALID_STATE':
      return json(400, { state: err.message });
    case 'CAPACITY':
      return json(400, { error: err.message });
    case 'UNAUTHENTICATED':
    case 'PERMISSION_DENIED':
      return { status: 401 };
    case 'UNAVAILABLE':
      return json(503, { error_message: CANNED });
    default:
      return assertNever(err.code);
  }
}

export const lustreErrors: ErrorRenderer = {
  render: (err) => renderCoreError(err),
  internal: () => json(500, { error_message: CANNED }),
  notFound: (req: Request) => ({
    status: 404,
    contentType: 'text/html; charset=utf-8',
    body: `<h1>Not Found</h1><p>The requested URL ${req.originalUrl.split('?')[0].replace(/[<>&"']/g, '')} was not found on this server.</p>`,
  }),
};
