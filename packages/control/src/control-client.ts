import type { ErrorCode, FaultRule, FaultRuleEffect, Job, JobExecutionMode, JobState, LoadSummary } from '@rosetta/core';

/** An entity as it crosses the wire: dates become ISO strings. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export interface ClockView {
  now: string;
  frozen: boolean;
  offsetMs: number;
}

export interface SnapshotView {
  name: string;
  createdAt: string;
  schema: string;
  rowCounts: Record<string, number>;
  rows: number;
  /** Fault rules and clock saved with the domain; absent for snapshots taken before they were. */
  control?: { faultRules: number; clock: { frozenAtMs: number | null; offsetMs: number } | null };
}

/** What POST /faults takes: match criteria, one effect, and optional limits. */
export interface FaultRuleInput {
  target?: 'request' | 'step';
  dialect?: string;
  method?: string;
  route?: string;
  jobKind?: string;
  step?: string;
  effect: FaultRuleEffect;
  count?: number;
  probability?: number;
  seed?: string;
  expiresInSeconds?: number;
}

export interface Paged<T> {
  total: number;
  items: T[];
}

/** A refusal of the control plane, with its core error code, HTTP status and details. */
export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'INTERNAL' | `HTTP_${number}`,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${code} (HTTP ${status}): ${message}`);
    this.name = 'ControlApiError';
  }
}

export interface ControlClient {
  /** Base URL of the gateway (the control plane is under /_rosetta). */
  readonly url: string;
  health(): Promise<{ status: string }>;
  /** Empties the domain and the fault rules, sets job execution to normal, then loads a fixture by name. */
  reset(fixture?: string): Promise<{ fixture: string; loaded: LoadSummary | null }>;
  /** Replaces the domain with a fixture document. */
  loadFixture(doc: object): Promise<{ loaded: LoadSummary }>;
  /** A page in creation order; `after` = the previous page's `next` (keyset), or `offset`; `q`, `name` and field filters (`hostId`, `state`, ...). */
  objects<T = Record<string, unknown>>(
    kind: string,
    query?: { name?: string; q?: string; limit?: number; offset?: number; after?: number; [field: string]: string | number | undefined },
  ): Promise<Paged<T> & { next: number | null }>;
  object<T = Record<string, unknown>>(kind: string, id: string): Promise<T>;
  clock: {
    get(): Promise<ClockView>;
    freeze(): Promise<ClockView>;
    /** A duration like "90s", "15m", "1h30m", or a number of milliseconds. */
    advance(by: string | number): Promise<ClockView>;
    resume(): Promise<ClockView>;
    real(): Promise<ClockView>;
  };
  faults: {
    add(rule: FaultRuleInput): Promise<Wire<FaultRule>>;
    list(): Promise<Wire<FaultRule>[]>;
    get(id: string): Promise<Wire<FaultRule>>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  jobs: {
    list(query?: { state?: JobState | JobState[]; kind?: string | string[]; limit?: number; offset?: number }): Promise<Paged<Wire<Job>>>;
    get(id: string): Promise<Wire<Job>>;
    cancel(id: string): Promise<Wire<Job>>;
    fail(id: string, message?: string): Promise<Wire<Job>>;
    /** Manual mode: lets the job run this many more steps. */
    step(id: string, steps?: number): Promise<{ job: Wire<Job>; granted: number; mode: JobExecutionMode }>;
    mode(): Promise<JobExecutionMode>;
    setMode(mode: JobExecutionMode): Promise<JobExecutionMode>;
    /** Polls until the job has ended (succeeded, failed or cancelled); rejects after timeoutMs. */
    wait(id: string, options?: { timeoutMs?: number; intervalMs?: number }): Promise<Wire<Job>>;
  };
  snapshots: {
    save(name: string, options?: { replace?: boolean }): Promise<SnapshotView>;
    restore(name: string): Promise<{ restored: SnapshotView; requeuedJobs: number; ms: number }>;
    list(): Promise<SnapshotView[]>;
    get(name: string): Promise<SnapshotView>;
    remove(name: string): Promise<void>;
    /** The snapshot document as JSON text, ready to write to a file. */
    export(name: string): Promise<string>;
    import(document: string | object, options?: { name?: string; replace?: boolean }): Promise<SnapshotView>;
  };
  journal: {
    query(filter?: { dialect?: string; status?: string; path?: string; job?: string; object?: string; after?: number; limit?: number }): Promise<{ size: number; count: number; entries: Record<string, unknown>[] }>;
    clear(): Promise<void>;
  };
  domainFaults: {
    host(id: string, change: { state?: 'up' | 'down' | 'maintenance'; power?: 'on' | 'off' }): Promise<Record<string, unknown>>;
    device(id: string, state: 'online' | 'offline' | 'failed'): Promise<Record<string, unknown>>;
    datastore(id: string, full: boolean): Promise<Record<string, unknown>>;
  };
}

type Query = Record<string, string | number | boolean | (string | number)[] | undefined>;

const ENDED: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/** A typed client of /_rosetta over fetch, for test suites and tools. */
export function createControlClient(baseUrl: string, options: { adminToken?: string } = {}): ControlClient {
  const root = `${baseUrl.replace(/\/+$/, '')}/_rosetta`;

  async function call<T>(method: string, path: string, init: { query?: Query; body?: unknown; text?: boolean } = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, String(v));
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options.adminToken) headers.Authorization = `Bearer ${options.adminToken}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    const qs = params.toString();
    const res = await fetch(`${root}${path}${qs ? `?${qs}` : ''}`, { method, headers, body });
    const text = await res.text();
    if (!res.ok) {
      let parsed: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: report the text
      }
      const e = parsed.error;
      throw new ControlApiError(res.status, (e?.code ?? `HTTP_${res.status}`) as ControlApiError['code'], e?.message ?? (text.slice(0, 500) || res.statusText), e?.details);
    }
    if (init.text) return text as T;
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const get = <T>(path: string, query?: Query) => call<T>('GET', path, { query });
  const post = <T>(path: string, body: unknown = {}, query?: Query) => call<T>('POST', path, { body, query });
  const del = (path: string) => call<void>('DELETE', path);
  const seg = encodeURIComponent;

  const jobs: ControlClient['jobs'] = {
    list: (q = {}) => get<{ total: number; jobs: Wire<Job>[] }>('/jobs', q).then((r) => ({ total: r.total, items: r.jobs })),
    get: (id) => get(`/jobs/${seg(id)}`),
    cancel: (id) => post(`/jobs/${seg(id)}/cancel`),
    fail: (id, message) => post(`/jobs/${seg(id)}/fail`, message === undefined ? {} : { message }),
    step: (id, steps = 1) => post(`/jobs/${seg(id)}/step`, { steps }),
    mode: () => get<{ mode: JobExecutionMode }>('/jobs/execution').then((r) => r.mode),
    setMode: (mode) => call<{ mode: JobExecutionMode }>('PUT', '/jobs/execution', { body: { mode } }).then((r) => r.mode),
    async wait(id, { timeoutMs = 10_000, intervalMs = 20 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const job = await jobs.get(id);
        if (ENDED.includes(job.state)) return job;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${job.state} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
  };

  return {
    url: baseUrl,
    health: () => get('/health'),
    reset: (fixture = 'empty') => post('/reset', { fixture }),
    loadFixture: (doc) => post('/fixture', doc),
    objects: (kind, q = {}) => get(`/objects/${seg(kind)}`, q),
    object: (kind, id) => get(`/objects/${seg(kind)}/${seg(id)}`),
    clock: {
      get: () => get('/clock'),
      freeze: () => post('/clock/freeze'),
      advance: (by) => post('/clock/advance', typeof by === 'number' ? { ms: by } : { duration: by }),
      resume: () => post('/clock/resume'),
      real: () => post('/clock/real'),
    },
    faults: {
      add: (rule) => post('/faults', rule),
      list: () => get<{ faults: Wire<FaultRule>[] }>('/faults').then((r) => r.faults),
      get: (id) => get(`/faults/${seg(id)}`),
      remove: (id) => del(`/faults/${seg(id)}`),
      clear: () => del('/faults'),
    },
    jobs,
    snapshots: {
      save: (name, o = {}) => post('/snapshots', { name, replace: o.replace ?? false }),
      restore: (name) => post(`/snapshots/${seg(name)}/restore`),
      list: () => get<{ snapshots: SnapshotView[] }>('/snapshots').then((r) => r.snapshots),
      get: (name) => get(`/snapshots/${seg(name)}`),
      remove: (name) => del(`/snapshots/${seg(name)}`),
      export: (name) => call<string>('GET', `/snapshots/${seg(name)}/export`, { text: true }),
      import: (document, o = {}) => post('/snapshots/import', document, { name: o.name, replace: o.replace ? 'true' : undefined }),
    },
    journal: {
      query: (filter = {}) => get('/journal', filter),
      clear: () => del('/journal'),
    },
    domainFaults: {
      host: (id, change) => post(`/domain-faults/hosts/${seg(id)}`, change),
      device: (id, state) => post(`/domain-faults/devices/${seg(id)}`, { state }),
      datastore: (id, full) => post(`/domain-faults/datastores/${seg(id)}`, { full }),
    },
  };
}
