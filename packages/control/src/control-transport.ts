import type { ErrorCode } from '@rosetta/core';

/** Query parameters; an array repeats the key (`state=queued&state=running`), undefined is left out. */
export type ControlQuery = Record<string, string | number | boolean | (string | number)[] | undefined>;

/** A refusal of the control plane, with its core error code, HTTP status and details. */
export class ControlApiError extends Error {
  /** The server's own message, with any field problems appended: the message without the code prefix. */
  readonly reason: string;

  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'INTERNAL' | `HTTP_${number}`,
    reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code} (HTTP ${status}): ${reason}`);
    this.name = 'ControlApiError';
    this.reason = reason;
  }
}

/** The control plane could not be reached at all (refused, unresolvable, reset before a response). */
export class ControlUnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: string,
  ) {
    super(`cannot reach ${url}: ${cause}`);
    this.name = 'ControlUnreachableError';
  }
}

/** The generic verbs over /_rosetta: JSON in and out, failures as ControlApiError or ControlUnreachableError. */
export interface ControlTransport {
  /** Base URL of the gateway (the control plane is under /_rosetta). */
  readonly url: string;
  get<T = unknown>(path: string, query?: ControlQuery): Promise<T>;
  getText(path: string, query?: ControlQuery): Promise<string>;
  /** Sends `body` as JSON (`{}` when absent). */
  post<T = unknown>(path: string, body?: unknown, query?: ControlQuery): Promise<T>;
  /** Sends `text` as it is, labelled JSON: for documents read from files, which need no re-encoding. */
  postText<T = unknown>(path: string, text: string, query?: ControlQuery): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: Record<string, unknown> & { fields?: { field: string; problem: string }[] } };
}

/** Turns a failed response into ControlApiError; a body that is not the control plane's JSON error is quoted as text. */
function apiError(status: number, statusText: string, text: string): ControlApiError {
  let parsed: ErrorBody = {};
  try {
    parsed = JSON.parse(text) as ErrorBody;
  } catch {
    // not JSON (a proxy's page, an empty body): report the text
  }
  const e = parsed?.error;
  let reason = e?.message ?? (text.slice(0, 500) || statusText);
  const fields = e?.details?.fields;
  if (Array.isArray(fields) && fields.length) reason += ` (${fields.map((f) => `${f.field} ${f.problem}`).join('; ')})`;
  return new ControlApiError(status, (e?.code ?? `HTTP_${status}`) as ControlApiError['code'], reason, e?.details);
}

/** The one fetch-based transport both the typed client and the `rosetta` CLI are built on. */
export function createControlTransport(baseUrl: string, options: { adminToken?: string } = {}): ControlTransport {
  const root = `${baseUrl.replace(/\/+$/, '')}/_rosetta`;

  const urlOf = (path: string, query?: ControlQuery): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    const qs = params.toString();
    return `${root}${path}${qs ? `?${qs}` : ''}`;
  };

  /** Resolves with the body text of a 2xx response; the body is always read so the connection is released. */
  async function send(method: string, path: string, init: { query?: ControlQuery; body?: string } = {}): Promise<string> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.adminToken) headers.Authorization = `Bearer ${options.adminToken}`;
    if (init.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(urlOf(path, init.query), { method, headers, body: init.body });
    } catch (err) {
      // undici reports the socket error (ECONNREFUSED, ENOTFOUND) as the cause of a bare "fetch failed".
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ControlUnreachableError(baseUrl, cause?.code ?? cause?.message ?? (err as Error).message);
    }
    const text = await res.text();
    if (!res.ok) throw apiError(res.status, res.statusText, text);
    return text;
  }

  const json = <T>(text: string): T => (text ? JSON.parse(text) : undefined) as T;

  return {
    url: baseUrl,
    get: async (path, query) => json(await send('GET', path, { query })),
    getText: (path, query) => send('GET', path, { query }),
    post: async (path, body, query) => json(await send('POST', path, { query, body: JSON.stringify(body ?? {}) })),
    postText: async (path, text, query) => json(await send('POST', path, { query, body: text })),
    put: async (path, body) => json(await send('PUT', path, { body: JSON.stringify(body ?? {}) })),
    delete: async (path) => {
      await send('DELETE', path);
    },
  };
}
