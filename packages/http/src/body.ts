import { IncomingMessage } from 'http';
import express, { NextFunction, Request, RequestHandler, Response } from 'express';
import { CoreError } from '@rosetta/core';

export interface BodyOptions {
  limitBytes: number;
  /** Which content types to parse as JSON; defaults to anything JSON-ish. */
  jsonTypes?: string | string[] | ((req: IncomingMessage) => boolean);
}

interface ParserError extends Error {
  type?: string;
  status?: number;
}

/** Body-parser failures become CoreErrors, so each dialect renders them in its vendor's shape. */
export function toCoreBodyError(err: unknown): CoreError | undefined {
  const e = err as ParserError;
  if (!e || typeof e !== 'object' || typeof e.type !== 'string') return undefined;
  switch (e.type) {
    case 'entity.parse.failed':
      return new CoreError('VALIDATION', 'malformed JSON in request body', { reason: 'malformed_json' });
    case 'entity.too.large':
      return new CoreError('VALIDATION', 'request body too large', { reason: 'body_too_large' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new CoreError('VALIDATION', 'unsupported request body encoding', { reason: 'unsupported_encoding' });
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new CoreError('VALIDATION', 'request body could not be read', { reason: 'bad_body' });
    default:
      return undefined;
  }
}

const wrap = (parser: RequestHandler): RequestHandler => (req: Request, res: Response, next: NextFunction) =>
  parser(req, res, (err?: unknown) => next(err ? (toCoreBodyError(err) ?? err) : undefined));

/** JSON (strict off: vendors accept `null` and scalars), urlencoded forms, and a byte cap. */
export function bodyParsers({ limitBytes, jsonTypes }: BodyOptions): RequestHandler[] {
  const jsonType = jsonTypes ?? ((req: IncomingMessage) => /json/i.test(req.headers['content-type'] ?? ''));
  return [
    wrap(express.json({ limit: limitBytes, strict: false, type: jsonType })),
    wrap(express.urlencoded({ limit: limitBytes, extended: false, type: 'application/x-www-form-urlencoded' })),
  ];
}
