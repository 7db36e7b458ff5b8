import { Request, Response } from 'express';
import { WireResponse } from '@rosetta/http';
import { goEncode, goEncodeIndent } from './go-json';

/**
 * The handful of ways Heketi's Go handlers write a response. Everything a route answers goes
 * through here, so headers and bytes match net/http's.
 */
const STATUS_TEXT: Record<number, string> = { 202: 'Accepted', 301: 'Moved Permanently', 303: 'See Other' };

function write(res: Response, status: number, headers: Record<string, string>, body: string | Buffer = ''): void {
  res.status(status);
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  if (status !== 204) res.setHeader('Content-Length', String(Buffer.byteLength(body)));
  res.end(status === 204 ? undefined : body);
}

/** json.NewEncoder(w).Encode after w.Header().Set("Content-Type", "application/json; charset=UTF-8"). */
export const sendJson = (res: Response, status: number, value: unknown, indent = false): void =>
  write(res, status, { 'Content-Type': 'application/json; charset=UTF-8' }, indent ? goEncodeIndent(value) : goEncode(value));

/** A body goEncode already produced (a cached rendering). */
export const sendEncodedJson = (res: Response, status: number, body: string | Buffer): void =>
  write(res, status, { 'Content-Type': 'application/json; charset=UTF-8' }, body);

/** A body written as is under the given headers (a download). */
export const sendBytes = (res: Response, status: number, headers: Record<string, string>, body: string | Buffer): void =>
  write(res, status, headers, body);

/** w.WriteHeader(status) with nothing written: no Content-Type at all. */
export const sendEmpty = (res: Response, status: number, headers: Record<string, string> = {}): void => write(res, status, headers);

/** http.Error: text/plain, nosniff, message plus newline. */
export const errorWire = (status: number, message: string): WireResponse => ({
  status,
  headers: { 'X-Content-Type-Options': 'nosniff' },
  contentType: 'text/plain; charset=utf-8',
  body: `${message}\n`,
});

export const sendError = (res: Response, status: number, message: string): void =>
  write(res, status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }, `${message}\n`);

const htmlEscape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' })[c]!);

/** http.Redirect: Location, and for GET a small HTML body (HEAD gets the type, no body). */
export function sendRedirect(req: Request, res: Response, location: string, status: number): void {
  const headers: Record<string, string> = { Location: location };
  if (req.method === 'GET' || req.method === 'HEAD') headers['Content-Type'] = 'text/html; charset=utf-8';
  const body = req.method === 'GET' ? `<a href="${htmlEscape(location)}">${STATUS_TEXT[status] ?? ''}</a>.\n\n` : '';
  write(res, status, headers, body);
}

/**
 * The Location a client can follow. Heketi sends `/queue/<id>` from its root. Under Rosetta's
 * mount prefix the Go client (so heketi-cli), curl -L and any RFC 3986 client resolve Location
 * against the request URL, so it carries the prefix; Heketi's Python client instead appends
 * Location to its base URL (which already ends with the prefix) and signs qsh over it, so it gets
 * the mount-relative path. Its `requests` library names itself in User-Agent. At the root of
 * Heketi's own port the two are the same bytes Heketi sends.
 */
export function publicPath(req: Request, path: string): string {
  const appendsToBase = req.headers['user-agent']?.startsWith('python-requests/') ?? false;
  return appendsToBase ? path : `${req.baseUrl}${path}`;
}
