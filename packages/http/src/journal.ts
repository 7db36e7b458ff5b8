import { AsyncLocalStorage } from 'async_hooks';
import { RequestHandler } from 'express';
import { onJobRecorded } from '@rosetta/core';
import { redactUrl } from './logging';

export interface JournalEntry {
  /** Position in this process's journal since start (or since the last clear). */
  seq: number;
  at: string;
  dialect: string;
  method: string;
  /** Path and query, secret parameters redacted. */
  path: string;
  /** 0 when the client went away (or the connection was dropped) before a response was sent. */
  status: number;
  latencyMs: number;
  principal: string | null;
  requestId: string | null;
  /** The parsed request body, secrets redacted, cut at 4 KiB: only while body capture is on. */
  body?: string;
  /** Ids of the jobs the request started (empty for most reads). */
  jobIds: string[];
  /** Ids of the objects those jobs were recorded as affecting. */
  objectIds: string[];
}

export interface JournalQuery {
  dialect?: string;
  /** An exact status ("404") or a class ("5xx"). */
  status?: string;
  /** Entries whose path contains this text (an object id, a resource name). */
  pathContains?: string;
  /** Entries whose request started this job. */
  jobId?: string;
  /** Entries whose jobs affect this object, or whose path names it. */
  objectId?: string;
  /** Entries with seq greater than this, for tailing. */
  after?: number;
  limit?: number;
}

/**
 * A capped ring of recent requests, per process: a debugging aid for test harnesses. Memory is
 * bounded by `size` fixed-shape entries whatever the traffic; the oldest entry is overwritten.
 * Bodies are never kept.
 */
export interface RequestJournal {
  readonly size: number;
  middleware(dialect: string): RequestHandler;
  record(entry: Omit<JournalEntry, 'seq' | 'jobIds' | 'objectIds'> & Partial<Pick<JournalEntry, 'jobIds' | 'objectIds'>>): void;
  /** Newest first. */
  query(q?: JournalQuery): JournalEntry[];
  count(): number;
  clear(): void;
  /** Bodies are kept only when asked for; off by default. */
  captureBodies: boolean;
}

const MAX_PATH = 512;
const MAX_BODY = 4096;

/** Keys whose values are secrets in some vendor API: passwords, keys, tokens, tickets, credentials. */
const SECRET_KEY = /pass(word|wd)?|secret|token|ticket|key|credential|authorization/i;

/** JSON of a parsed body with secret-named fields masked, cut to MAX_BODY characters. */
export function redactBody(body: unknown): string | undefined {
  if (Buffer.isBuffer(body)) {
    // Dialects that read raw bodies (Heketi signs them) leave a Buffer: journal it as JSON when it is.
    const raw = body;
    if (!raw.length) return undefined;
    try {
      body = JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      return `[${raw.length} bytes, not JSON]`;
    }
  }
  if (body === undefined || (typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0)) return undefined;
  let text: string;
  try {
    text = JSON.stringify(body, (key, value) => (key && SECRET_KEY.test(key) && value !== null && typeof value !== 'object' ? '[redacted]' : value)) ?? '';
  } catch {
    return '[unserialisable]';
  }
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}...` : text;
}

/** The jobs started while handling one request, collected through the core's job hook. */
interface RequestJobs {
  jobIds: string[];
  objectIds: string[];
}

const MAX_JOBS = 64;
const requestJobs = new AsyncLocalStorage<RequestJobs>();
let hooked = false;

function hookJobs(): void {
  if (hooked) return;
  hooked = true;
  onJobRecorded((job) => {
    const jobs = requestJobs.getStore();
    // Bounded so a bulk request cannot grow one entry without limit.
    if (!jobs || jobs.jobIds.length >= MAX_JOBS) return;
    jobs.jobIds.push(job.id);
    for (const a of job.affected) if (!jobs.objectIds.includes(a.id) && jobs.objectIds.length < MAX_JOBS) jobs.objectIds.push(a.id);
  });
}

function statusMatcher(status: string | undefined): (s: number) => boolean {
  if (!status) return () => true;
  const cls = /^([1-5])xx$/i.exec(status);
  if (cls) return (s) => Math.floor(s / 100) === Number(cls[1]);
  const n = Number(status);
  return (s) => s === n;
}

export function createRequestJournal(size = 10_000): RequestJournal {
  if (!Number.isInteger(size) || size < 1) throw new Error(`journal size must be a positive integer, got ${size}`);
  let ring: (JournalEntry | undefined)[] = new Array(size);
  let next = 0;
  hookJobs();

  const journal: RequestJournal = {
    size,
    captureBodies: false,
    record(entry) {
      ring[next % size] = { seq: next + 1, jobIds: [], objectIds: [], ...entry };
      next++;
    },
    middleware(dialect) {
      return (req, res, next) => {
        const started = process.hrtime.bigint();
        const jobs: RequestJobs = { jobIds: [], objectIds: [] };
        let done = false;
        const finish = (): void => {
          if (done) return;
          done = true;
          const url = redactUrl(req.originalUrl);
          const body = journal.captureBodies ? redactBody(req.body) : undefined;
          journal.record({
            at: new Date().toISOString(),
            dialect,
            method: req.method,
            path: url.length > MAX_PATH ? `${url.slice(0, MAX_PATH)}...` : url,
            status: res.headersSent ? res.statusCode : 0,
            latencyMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100,
            principal: req.principal?.name ?? null,
            requestId: req.requestId ?? null,
            // Copies: work the request left running (in this context) must not change a recorded entry.
            jobIds: [...jobs.jobIds],
            objectIds: [...jobs.objectIds],
            ...(body === undefined ? {} : { body }),
          });
        };
        res.once('finish', finish);
        res.once('close', finish);
        requestJobs.run(jobs, next);
      };
    },
    query({ dialect, status, pathContains, jobId, objectId, after = 0, limit = 100 } = {}) {
      const matchStatus = statusMatcher(status);
      const out: JournalEntry[] = [];
      for (let i = next - 1; i >= Math.max(0, next - size) && out.length < limit; i--) {
        const e = ring[i % size];
        if (!e || e.seq <= after) break;
        if (dialect && e.dialect !== dialect) continue;
        if (!matchStatus(e.status)) continue;
        if (pathContains && !e.path.includes(pathContains)) continue;
        if (jobId && !e.jobIds.includes(jobId)) continue;
        if (objectId && !e.objectIds.includes(objectId) && !e.path.includes(objectId)) continue;
        out.push(e);
      }
      return out;
    },
    count: () => Math.min(next, size),
    clear() {
      ring = new Array(size);
      next = 0;
    },
  };
  return journal;
}
