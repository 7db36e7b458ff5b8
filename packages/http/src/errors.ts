import { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { CoreError, isCoreError } from '@rosetta/core';
import type { Logger } from 'pino';
import { WireResponse, sendWire } from './wire';
import { toCoreBodyError } from './body';

/** What each dialect supplies: its one mapping from core errors to its vendor's wire shape. */
export interface ErrorRenderer {
  render(err: CoreError, req: Request): WireResponse;
  /** The vendor's 500 for anything unexpected; the request id lets an operator find the log line. */
  internal(req: Request): WireResponse;
  /** The vendor's answer for a route it does not have. */
  notFound(req: Request): WireResponse;
}

/** Renders every error through the dialect's renderer; unexpected ones are logged, never leaked. */
export function errorHandler(renderer: ErrorRenderer, logger?: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const core = isCoreError(err) ? err : toCoreBodyError(err);
    if (core) {
      sendWire(res, renderer.render(core, req));
      return;
    }
    logger?.error({ err, requestId: req.requestId, method: req.method, path: req.path }, 'unhandled error');
    sendWire(res, renderer.internal(req));
  };
}

export function notFoundHandler(renderer: ErrorRenderer): RequestHandler {
  return (req, res) => sendWire(res, renderer.notFound(req));
}
