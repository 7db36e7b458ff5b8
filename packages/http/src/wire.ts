import { Response } from 'express';

/** A vendor-shaped response: what a dialect's error renderer returns. */
export interface WireResponse {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON (with contentType if given), strings as-is, undefined as an empty body. */
  body?: unknown;
  contentType?: string;
}

export function sendWire(res: Response, wire: WireResponse): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(wire.status);
  for (const [name, value] of Object.entries(wire.headers ?? {})) res.setHeader(name, value);
  if (wire.body === undefined) {
    res.end();
  } else if (typeof wire.body === 'string' || Buffer.isBuffer(wire.body)) {
    if (wire.contentType) res.setHeader('Content-Type', wire.contentType);
    res.send(wire.body);
  } else {
    res.setHeader('Content-Type', wire.contentType ?? 'application/json');
    res.send(JSON.stringify(wire.body));
  }
}
