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

/** A body already encoded as JSON (a cached one). */
export function sendEncoded(res: Response, status: number, json: string): void {
  res.status(status).type(JSON_TYPE).send(json);
}
