import { Request } from 'express';
import { CoreError, ErrorCode, assertNever } from '@rosetta/core';
import { ErrorRenderer, WireResponse } from '@rosetta/http';
import { JSON_TYPE, vendorPath } from './wire';

const EX = 'com.simplivity.restapi.exceptions.';

/** Vendor object type names, as ObjectNotFoundException messages and affected_objects spell them. */
export const VENDOR_KIND: Record<string, string> = {
  vm: 'virtual_machine',
  host: 'host',
  cluster: 'omnistack_cluster',
  datastore: 'datastore',
  backup: 'backup',
  policy: 'policy',
  rule: 'rule',
  job: 'task',
  site: 'cluster_group',
  certificate: 'certificate',
  external_store: 'external_store',
};

/**
 * Numeric task error codes. HPE documents 13 (duplicate name) and 130 (power state); the rest
 * follow the errno the condition corresponds to, as the appliance's file system reports them.
 */
export function taskErrorCode(code: ErrorCode): number {
  switch (code) {
    case 'ALREADY_EXISTS':
      return 13;
    case 'INVALID_STATE':
      return 130;
    case 'NOT_FOUND':
      return 2;
    case 'VALIDATION':
      return 22;
    case 'PERMISSION_DENIED':
    case 'UNAUTHENTICATED':
      return 1;
    case 'CAPACITY':
      return 28;
    case 'CONFLICT':
      return 16;
    case 'UNAVAILABLE':
      return 11;
    default:
      return assertNever(code);
  }
}

interface SpringBody {
  exception: string;
  message: string;
  error_code?: string;
}

/** The Spring-Boot body OmniStack answers errors with; status is a string, as in HPE's samples. */
export function springError(req: Request, status: number, body: SpringBody, clockMs: number): WireResponse {
  return {
    status,
    contentType: JSON_TYPE,
    body: { exception: body.exception, path: vendorPath(req), ...(body.error_code ? { error_code: body.error_code } : {}), message: body.message, timestamp: clockMs, status: String(status) },
  };
}

function validation(err: CoreError): { status: number; exception: string; message: string } {
  switch (err.details.reason) {
    case 'malformed_json':
    case 'bad_body':
      return { status: 400, exception: 'org.springframework.http.converter.HttpMessageNotReadableException', message: 'Could not read document: malformed JSON' };
    case 'body_too_large':
      return { status: 413, exception: `${EX}BodyTooLargeException`, message: 'Request body too large' };
    case 'unsupported_encoding':
      return { status: 415, exception: 'org.springframework.web.HttpMediaTypeNotSupportedException', message: err.message };
    case 'media_type':
      return { status: 415, exception: 'org.springframework.web.HttpMediaTypeNotSupportedException', message: err.message };
    case 'method_not_allowed':
      return { status: 405, exception: 'org.springframework.web.HttpRequestMethodNotSupportedException', message: err.message };
    case 'bad_sort':
      return { status: 400, exception: `${EX}InvalidSortCriteriaException`, message: err.message };
    case 'bad_param':
    case 'bad_value':
    case 'unknown_field':
      return { status: 400, exception: `${EX}InvalidParameterException`, message: err.message };
    case 'missing_param':
      return { status: 400, exception: 'org.springframework.web.bind.MissingServletRequestParameterException', message: err.message };
    case 'type_mismatch':
      return { status: 400, exception: 'org.springframework.beans.TypeMismatchException', message: err.message };
    default:
      return { status: 400, exception: `${EX}InvalidBodyException`, message: err.message };
  }
}

const TASK_EXCEPTION = 'com.simplivity.rpc.common.TaskException';

export function createRenderer(clockMs: () => number): ErrorRenderer {
  const spring = (req: Request, status: number, body: SpringBody): WireResponse => springError(req, status, body, clockMs());
  return {
    render(err, req) {
      const code = err.code;
      switch (code) {
        case 'NOT_FOUND':
          return spring(req, 404, {
            exception: `${EX}ObjectNotFoundException`,
            message: `Object type: ${VENDOR_KIND[err.details.kind ?? ''] ?? err.details.kind ?? 'object'} id: ${err.details.id ?? err.details.name ?? ''} could not be found`,
          });
        case 'VALIDATION': {
          const v = validation(err);
          const wire = spring(req, v.status, { exception: v.exception, message: v.message });
          return err.details.reason === 'method_not_allowed' ? { ...wire, headers: { Allow: err.details.name ?? '' } } : wire;
        }
        case 'ALREADY_EXISTS':
          return spring(req, 400, { exception: TASK_EXCEPTION, error_code: String(taskErrorCode(code)), message: 'Duplicate name exists.' });
        case 'INVALID_STATE':
        case 'CAPACITY':
          return spring(req, 400, { exception: TASK_EXCEPTION, error_code: String(taskErrorCode(code)), message: err.message });
        case 'CONFLICT':
          return spring(req, 400, { exception: `${EX}ObjectInUseException`, message: err.message });
        case 'PERMISSION_DENIED':
          return spring(req, 400, { exception: `${EX}PermissionDeniedException`, message: 'Permission denied.' });
        case 'UNAUTHENTICATED':
          return unauthenticated(req, err, clockMs());
        case 'UNAVAILABLE':
          return spring(req, 503, { exception: `${EX}ServiceUnavailableException`, message: err.message });
        default:
          return assertNever(code);
      }
    },
    internal: (req) => spring(req, 500, { exception: `${EX}InternalServerException`, message: `Internal server error (request ${req.requestId})` }),
    notFound: (req) => spring(req, 404, { exception: 'org.springframework.web.servlet.NoHandlerFoundException', message: `No handler found for ${req.method} ${vendorPath(req)}` }),
  };
}

/**
 * Spring OAuth2's answers: a dead bearer token gets {error: invalid_token, message}, quoting
 * the token (clients re-login on error == invalid_token); no token at all gets the Spring-Boot
 * 401 whose status HPE's sample shows as a number.
 */
function unauthenticated(req: Request, err: CoreError, now: number): WireResponse {
  const token = err.details.id ?? '';
  const message =
    err.details.reason === 'token_idle'
      ? `Access token expired due to inactivity: ${token}`
      : err.details.reason === 'token_expired'
        ? `Access token expired: ${token}`
        : err.details.reason === 'token_unknown'
          ? `Invalid access token: ${token}`
          : undefined;
  if (message) {
    return {
      status: 401,
      contentType: JSON_TYPE,
      headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message.replace(/"/g, '')}"` },
      body: { error: 'invalid_token', message },
    };
  }
  return {
    status: 401,
    contentType: JSON_TYPE,
    headers: { 'WWW-Authenticate': 'Bearer realm="oauth", error="unauthorized", error_description="Full authentication is required to access this resource"' },
    body: { timestamp: now, status: 401, error: 'Unauthorized', exception: `${EX}SvtExceptions$UnauthorizedException`, message: 'Unauthorized', path: vendorPath(req) },
  };
}
