import type { FaultRule, FaultRuleEffect, Job, JobExecutionMode, JobState, LoadSummary } from '@rosetta/core';
import { createControlTransport } from './control-transport';

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

const ENDED: readonly string[] = ['succeeded', 'failed', 'cancelled'];

/**
 * A typed client of /_rosetta for test suites and tools, over the same transport as the CLI:
 * refusals throw ControlApiError, an unreachable gateway ControlUnreachableError.
 */
export function createControlClient(baseUrl: string, options: { adminToken?: string } = {}): ControlClient {
  const { get, post, put, delete: del, getText, postText } = createControlTransport(baseUrl, options);
  const seg = encodeURIComponent;

  const jobs: ControlClient['jobs'] = {
    list: (q = {}) => get<{ total: number; jobs: Wire<Job>[] }>('/jobs', q).then((r) => ({ total: r.total, items: r.jobs })),
    get: (id) => get(`/jobs/${seg(id)}`),
    cancel: (id) => post(`/jobs/${seg(id)}/cancel`),
    fail: (id, message) => post(`/jobs/${seg(id)}/fail`, message === undefined ? {} : { message }),
    step: (id, steps = 1) => post(`/jobs/${seg(id)}/step`, { steps }),
    mode: () => get<{ mode: JobExecutionMode }>('/jobs/execution').then((r) => r.mode),
    setMode: (mode) => put<{ mode: JobExecutionMode }>('/jobs/execution', { mode }).then((r) => r.mode),
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
      export: (name) => getText(`/snapshots/${seg(name)}/export`),
      import: (document, o = {}) => {
        const query = { name: o.name, replace: o.replace ? 'true' : undefined };
        return typeof document === 'string' ? postText('/snapshots/import', document, query) : post('/snapshots/import', document, query);
      },
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
