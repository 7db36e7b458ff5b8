import { Request, Response } from 'express';

/** The path as the vendor knows it: without the shared port's mount prefix or the query. */
export const vendorPath = (req: Request): string => (req.path === '/' ? '/' : req.path.replace(/\/+$/, '')) || '/';

/** OmniStack's timestamps: ISO-8601 UTC without milliseconds. */
export const isoSeconds = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export const EPOCH = '1970-01-01T00:00:00Z';

export const JSON_TYPE = 'application/json;charset=UTF-8';

/** JSON, as Spring sends it; clients parse the body whatever the type says. */
export function sendJson(res: Response, status: number, body: unknown): void {
  sendEncoded(res, status, JSON.stringify(body));
}

/**
 * The header a string body under JSON_TYPE actually goes out with: express rewrites the charset
 * parameter of a string body's type, but sends a Buffer's type as it is given.
 */
const SENT_JSON_TYPE = 'application/json; charset=utf-8';

/** A body already encoded as JSON (a cached one). */
export function sendEncoded(res: Response, status: number, json: string | Buffer): void {
  res.status(status).type(typeof json === 'string' ? JSON_TYPE : SENT_JSON_TYPE).send(json);
}
