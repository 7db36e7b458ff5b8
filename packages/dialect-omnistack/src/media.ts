import { NextFunction, Request, RequestHandler, Response } from 'express';
import { CoreError } from '@rosetta/core';

/** Every representation version HPE ever published: v1, v1.1 ... v1.25. */
export const LATEST_MINOR = 25;
const VND = /^application\/vnd\.simplivity\.v1(?:\.(\d+))?\+json$/i;

/** The vnd.simplivity minor version a media type names; 'json' for plain application/json; undefined otherwise. */
export function mediaVersion(contentType: string | undefined): number | 'json' | undefined {
  if (!contentType) return undefined;
  const type = contentType.split(';')[0].trim();
  if (/^application\/json$/i.test(type)) return 'json';
  const m = VND.exec(type);
  if (!m) return undefined;
  const minor = m[1] === undefined ? 0 : Number(m[1]);
  return minor <= LATEST_MINOR ? minor : undefined;
}

const unsupported = (type: string): CoreError =>
  new CoreError('VALIDATION', `Content type '${type}' not supported`, { reason: 'media_type', fields: [{ field: 'Content-Type', problem: 'not supported' }] });

const hasBody = (req: Request): boolean => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/**
 * Bodies OmniStack never reads (GET, DELETE, body-less actions): clients send `null`, `""`,
 * `{}` or nothing, with whatever Content-Type. Dropped here so no handler sees them.
 */
export function ignoreBodies(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'DELETE' || req.method === 'HEAD') req.body = undefined;
    next();
  };
}

/**
 * A JSON body's Content-Type must be a vnd.simplivity type or application/json. In strict mode
 * it must also be at least the operation's minimum version (HPE's 415); by default any version
 * passes, since HPE's own clients send versions older than the Swagger minimum.
 */
export function consumes(minMinor: number, strict: boolean): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const type = req.headers['content-type'];
    if (!type) return next();
    const version = mediaVersion(type);
    if (version === undefined) return hasBody(req) ? next(unsupported(type.split(';')[0].trim())) : next();
    if (strict && version !== 'json' && version < minMinor) return next(unsupported(type.split(';')[0].trim()));
    next();
  };
}
