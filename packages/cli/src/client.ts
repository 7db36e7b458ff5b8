/** A failure the control plane reported (an HTTP error status with its JSON error body). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The control plane could not be reached at all. */
export class ConnectError extends Error {}

/** A mistake in how the command was invoked (exit code 2). */
export class UsageError extends Error {}

export type Query = Record<string, string | number | boolean | string[] | undefined>;

export interface ControlClient {
  readonly url: string;
  get<T = unknown>(path: string, query?: Query): Promise<T>;
  getText(path: string, query?: Query): Promise<string>;
  post<T = unknown>(path: string, body?: unknown, query?: Query): Promise<T>;
  postText<T = unknown>(path: string, text: string, query?: Query): Promise<T>;
  put<T = unknown>(path: string, body?: unknown): Promise<T>;
  delete(path: string): Promise<void>;
}

/** Thin fetch wrapper over /_rosetta: JSON in and out, errors as ApiError/ConnectError. */
export function createControlClient(baseUrl: string, adminToken?: string): ControlClient {
  const root = `${baseUrl.replace(/\/+$/, '')}/_rosetta`;

  const urlOf = (path: string, query?: Query): string => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    const qs = params.toString();
    return `${root}${path}${qs ? `?${qs}` : ''}`;
  };

  async function send(method: string, path: string, options: { query?: Query; body?: string } = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (adminToken) headers.Authorization = `Bearer ${adminToken}`;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(urlOf(path, options.query), { method, headers, body: options.body });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new ConnectError(`cannot reach ${baseUrl}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    if (res.ok) return res;
    const text = await res.text();
    let code = `HTTP_${res.status}`;
    let message = text.slice(0, 500) || res.statusText;
    try {
      const parsed = JSON.parse(text) as { error?: { code?: string; message?: string; details?: { fields?: { field: string; problem: string }[] } } };
      if (parsed.error) {
        code = parsed.error.code ?? code;
        message = parsed.error.message ?? message;
        const fields = parsed.error.details?.fields;
        if (fields?.length) message += ` (${fields.map((f) => `${f.field} ${f.problem}`).join('; ')})`;
      }
    } catch {
      // not JSON: keep the text
    }
    throw new ApiError(res.status, code, message);
  }

  const json = async <T>(res: Response): Promise<T> => (res.status === 204 ? (undefined as T) : ((await res.json()) as T));

  return {
    url: baseUrl,
    get: async (path, query) => json(await send('GET', path, { query })),
    getText: async (path, query) => (await send('GET', path, { query })).text(),
    post: async (path, body, query) => json(await send('POST', path, { query, body: JSON.stringify(body ?? {}) })),
    postText: async (path, text, query) => json(await send('POST', path, { query, body: text })),
    put: async (path, body) => json(await send('PUT', path, { body: JSON.stringify(body ?? {}) })),
    delete: async (path) => {
      await send('DELETE', path);
    },
  };
}
