import { Request } from 'express';
import { CoreError, assertNever, splitZones } from '@rosetta/core';
import { ErrorRenderer, WireResponse } from '@rosetta/http';
import { pyRepr } from './schema';
import { selfBase } from './urls';

/**
 * What the handler was doing, so a core fact can be worded as Nova words it for that API
 * (the same zone conflict is a 400 on update and a 409 on add_host).
 */
export interface NovaOp {
  op: string;
  /** The id as the client wrote it in the URL. */
  id?: string;
  host?: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    novaOp?: NovaOp;
  }
}

/** A message already in Nova's words: the handler knew exactly what Nova says. */
export const novaFault = (code: 'VALIDATION' | 'NOT_FOUND' | 'PERMISSION_DENIED' | 'CONFLICT', message: string, reason = 'nova'): CoreError =>
  new CoreError(code, message, { reason });

export const policyFault = (rule: string): CoreError => novaFault('PERMISSION_DENIED', `Policy doesn't allow ${rule} to be performed.`);

const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

const CONTENT_TYPE = 'application/json; charset=UTF-8';

export function computeFault(status: number, message: string, headers?: Record<string, string>): WireResponse {
  const name = FAULT_NAMES[status] ?? 'computeFault';
  return { status, body: { [name]: { code: status, message } }, contentType: CONTENT_TYPE, headers };
}

/** keystonemiddleware's answer for a missing, forged or expired token. */
export const KEYSTONE_401 = {
  error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' },
};

const ACTION_PREFIX: Record<string, string> = {
  aggregate_update: 'Cannot update aggregate %s. Reason: ',
  aggregate_metadata: 'Cannot update metadata of aggregate %s. Reason: ',
  aggregate_add_host: 'Cannot add host to aggregate %s. Reason: ',
  aggregate_remove_host: 'Cannot update aggregate %s. Reason: ',
  aggregate_delete: 'Cannot remove host from aggregate %s. Reason: ',
};

const prefix = (op: NovaOp | undefined): string => (ACTION_PREFIX[op?.op ?? ''] ?? 'Invalid input received: %s ').replace('%s', op?.id ?? '');

/** Zone conflicts are 409 when adding or removing a host, 400 otherwise (Nova's controllers). */
const zoneStatus = (op: NovaOp | undefined): number => (op?.op === 'aggregate_add_host' || op?.op === 'aggregate_remove_host' ? 409 : 400);

function notFoundMessage(err: CoreError, op: NovaOp | undefined): string {
  if (op?.op === 'aggregate_remove_host') return `Cannot remove host ${op.host} in aggregate ${op.id}`;
  switch (err.details.kind) {
    case 'aggregate':
      return `Aggregate ${op?.id ?? err.details.id} could not be found.`;
    case 'host':
      return `Compute host ${op?.host ?? err.details.name ?? err.details.id} could not be found.`;
    case 'vm':
      return `Instance ${op?.id ?? err.details.id} could not be found.`;
    default:
      return 'The resource could not be found.';
  }
}

function statusOf(code: CoreError['code']): number {
  switch (code) {
    case 'VALIDATION':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'PERMISSION_DENIED':
    case 'CAPACITY':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'ALREADY_EXISTS':
    case 'CONFLICT':
    case 'INVALID_STATE':
      return 409;
    case 'UNAVAILABLE':
      return 503;
    default:
      return assertNever(code);
  }
}

/** Core error -> Nova fault. One switch over every code, worded per operation where Nova does. */
export function renderComputeError(err: CoreError, req: Request, identityUrl: () => string): WireResponse {
  const op = req.novaOp;
  const { reason } = err.details;
  if (reason === 'nova') return computeFault(statusOf(err.code), err.message);
  switch (err.code) {
    case 'VALIDATION':
      switch (reason) {
        case 'malformed_json':
        case 'bad_body':
        case 'unsupported_encoding':
          return computeFault(400, 'Malformed request body');
        case 'body_too_large':
          return computeFault(413, 'Request is too large.');
        case 'unsupported_media':
          return computeFault(415, 'Unsupported Content-Type');
        case 'unknown_zone':
          return computeFault(400, 'The requested availability zone is not available');
        case 'empty_zone':
          return computeFault(400, `${prefix(op)}Aggregate ${err.details.name} does not support empty named availability zone.`);
        default:
          return computeFault(400, `Invalid input received: ${err.message}`);
      }
    case 'NOT_FOUND':
      return computeFault(404, notFoundMessage(err, op));
    case 'ALREADY_EXISTS':
      if (err.details.kind === 'aggregate_host') return computeFault(409, `Aggregate ${op?.id} already has host ${op?.host ?? err.details.name}.`);
      if (err.details.kind === 'aggregate') return computeFault(409, `Aggregate ${err.details.name} already exists.`);
      return computeFault(409, err.message);
    case 'CONFLICT':
      switch (reason) {
        case 'zone_conflict':
          return computeFault(
            zoneStatus(op),
            `${prefix(op)}One or more hosts already in availability zone(s) [${splitZones(err.details.name ?? '').map(pyRepr).join(', ')}].`,
          );
        case 'zone_has_vms':
          return computeFault(zoneStatus(op), `${prefix(op)}One or more hosts contain instances in this zone.`);
        case 'has_children':
          if (op?.op === 'aggregate_delete') return computeFault(400, `${prefix(op)}Host aggregate is not empty.`);
          return computeFault(409, err.message);
        default:
          return computeFault(409, err.message);
      }
    case 'INVALID_STATE':
      return computeFault(409, err.message);
    case 'PERMISSION_DENIED':
      return computeFault(403, err.message);
    case 'UNAUTHENTICATED':
      return {
        status: 401,
        body: KEYSTONE_401,
        contentType: 'application/json',
        headers: { 'WWW-Authenticate': `Keystone uri="${identityUrl()}"` },
      };
    case 'CAPACITY':
      return computeFault(403, err.message);
    case 'UNAVAILABLE':
      if (reason === 'version_not_acceptable') return computeFault(406, err.message);
      return computeFault(503, err.message);
    default:
      return assertNever(err.code);
  }
}

export function computeRenderer(identityUrl: (req: Request) => string): ErrorRenderer {
  return {
    render: (err, req) => renderComputeError(err, req, () => identityUrl(req)),
    internal: () => computeFault(500, 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.'),
    notFound: () => computeFault(404, 'The resource could not be found.'),
  };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export const keystoneError = (status: number, message: string, headers?: Record<string, string>): WireResponse => ({
  status,
  body: { error: { code: status, message, title: TITLES[status] ?? 'Error' } },
  contentType: 'application/json',
  headers,
});

const KEYSTONE_400 = 'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

/** Core error -> Keystone's {"error": {code, message, title}}. */
export function renderIdentityError(err: CoreError): WireResponse {
  switch (err.code) {
    case 'VALIDATION':
      if (err.details.reason === 'body_too_large') return keystoneError(413, 'Request Entity Too Large');
      if (err.details.reason === 'nova') return keystoneError(400, err.message);
      return keystoneError(400, KEYSTONE_400);
    case 'UNAUTHENTICATED':
      return keystoneError(401, 'The request you have made requires authentication.');
    case 'PERMISSION_DENIED':
      return keystoneError(403, err.details.reason === 'nova' ? err.message : 'You are not authorized to perform the requested action.');
    case 'NOT_FOUND':
      return keystoneError(404, err.details.reason === 'nova' ? err.message : 'Could not find the requested resource.');
    case 'ALREADY_EXISTS':
    case 'CONFLICT':
    case 'INVALID_STATE':
      return keystoneError(409, err.message);
    case 'CAPACITY':
      return keystoneError(403, err.message);
    case 'UNAVAILABLE':
      return keystoneError(503, 'The service is unavailable.');
    default:
      return assertNever(err.code);
  }
}

export const identityRenderer: ErrorRenderer = {
  render: (err, req) => {
    const wire = renderIdentityError(err);
    // Keystone names itself on every 401, as keystonemiddleware does for the services behind it.
    return wire.status === 401 ? { ...wire, headers: { ...wire.headers, 'WWW-Authenticate': `Keystone uri="${selfBase(req)}"` } } : wire;
  },
  internal: () => keystoneError(500, 'An unexpected error prevented the server from fulfilling your request.'),
  notFound: () => keystoneError(404, 'The resource could not be found.'),
};
