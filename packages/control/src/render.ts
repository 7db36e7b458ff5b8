import { Request } from 'express';
import { CoreError, ErrorCode, assertNever } from '@rosetta/core';
import { ErrorRenderer } from '@rosetta/http';

function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'NOT_FOUND':
      return 404;
    case 'ALREADY_EXISTS':
    case 'CONFLICT':
    case 'INVALID_STATE':
      return 409;
    case 'VALIDATION':
      return 400;
    case 'PERMISSION_DENIED':
      return 403;
    case 'UNAUTHENTICATED':
      return 401;
    case 'CAPACITY':
      return 507;
    case 'UNAVAILABLE':
      return 503;
    default:
      return assertNever(code);
  }
}

/** The control plane's own JSON error shape: {"error": {"code", "message", "details", "requestId"}}. */
export const controlErrors: ErrorRenderer = {
  render(err: CoreError, req: Request) {
    const status = err.details.reason === 'body_too_large' ? 413 : statusOf(err.code);
    return { status, body: { error: { code: err.code, message: err.message, details: err.details, requestId: req.requestId } } };
  },
  internal: (req) => ({ status: 500, body: { error: { code: 'INTERNAL', message: 'internal error', requestId: req.requestId } } }),
  notFound: (req) => ({ status: 404, body: { error: { code: 'NOT_FOUND', message: `no control route ${req.method} ${req.path}` } } }),
};
