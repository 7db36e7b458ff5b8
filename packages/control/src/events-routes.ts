import { Response, Router } from 'express';
import { ControllableClock, FaultService, JobControl, Store } from '@rosetta/core';
import { JournalEntry, RequestJournal } from '@rosetta/http';
import { clockView } from './clock-routes';

export interface EventStreamDeps {
  store: Store;
  clock: ControllableClock;
  faults: FaultService;
  jobControl: JobControl;
  journal: RequestJournal;
  /** False once the gateway is closing: open streams are ended so the server can stop. */
  isReady(): boolean;
  /** How often the shared poller looks for changes (real time); 1 s by default. */
  intervalMs?: number;
}

type StampedTable = Parameters<Store['changeStamp']>[0][number];

/** Every stamped table but jobs: a write to any of them moves the domain stamp. */
const DOMAIN_TABLES: StampedTable[] = [
  'sites', 'clusters', 'hosts', 'host_aggregates', 'host_aggregate_hosts', 'devices', 'datastores', 'vms',
  'volumes', 'bricks', 'filesystems', 'targets', 'policies', 'consolidation_settings',
];
/** At most this many journal entries in one event; a client that falls further behind re-reads /journal. */
const JOURNAL_BATCH = 500;

interface Frame {
  clock: ReturnType<typeof clockView>;
  mode: string;
  domainStamp: string;
  jobsStamp: string;
  faults: { id: string; hits: number; evaluations: number; remaining: number | null }[];
  journalSeq: number;
}

/**
 * One poller for every open stream, running only while someone listens, so ten open dashboards
 * cost the database what one does: per tick a change-stamp read (two stamps, one query each) and
 * the fault rules' hit counts; the journal, clock and execution mode are this process's memory.
 */
function createEventHub(deps: EventStreamDeps) {
  const clients = new Set<Response>();
  const intervalMs = deps.intervalMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let last: Frame | undefined;

  const send = (res: Response, event: string, data: unknown): void => {
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const broadcast = (event: string, data: unknown): void => {
    for (const res of clients) send(res, event, data);
  };

  async function read(): Promise<Frame> {
    const [domainStamp, jobsStamp, mode, rules] = await Promise.all([
      deps.store.changeStamp(DOMAIN_TABLES),
      deps.store.changeStamp(['jobs']),
      deps.jobControl.mode(),
      deps.faults.list({ order: [{ field: 'seq', direction: 'asc' }], limit: 1000 }),
    ]);
    const newest = deps.journal.query({ limit: 1 })[0];
    return {
      clock: clockView(deps.clock, deps.clock.getState()),
      mode,
      domainStamp,
      jobsStamp,
      faults: rules.map((r) => ({ id: r.id, hits: r.hits, evaluations: r.evaluations, remaining: r.remaining })),
      journalSeq: newest?.seq ?? 0,
    };
  }

  /** What changed since the previous frame, as events; the clock goes every tick (it doubles as a heartbeat). */
  function publish(next: Frame, prev: Frame): void {
    broadcast('clock', next.clock);
    if (next.mode !== prev.mode) broadcast('mode', { mode: next.mode });
    if (next.domainStamp !== prev.domainStamp) broadcast('domain', { stamp: next.domainStamp });
    if (next.jobsStamp !== prev.jobsStamp) broadcast('jobs', { stamp: next.jobsStamp });
    if (JSON.stringify(next.faults) !== JSON.stringify(prev.faults)) broadcast('faults', { faults: next.faults });
    if (next.journalSeq < prev.journalSeq) {
      broadcast('journal', { cleared: true, entries: [] });
    } else if (next.journalSeq > prev.journalSeq) {
      const entries: JournalEntry[] = deps.journal.query({ after: prev.journalSeq, limit: JOURNAL_BATCH });
      broadcast('journal', { cleared: false, behind: next.journalSeq - prev.journalSeq > entries.length, entries: entries.reverse() });
    }
  }

  async function tick(): Promise<void> {
    timer = undefined;
    if (!deps.isReady()) {
      // Shutting down: end each stream and its connection, so the server's close is not held open by a keep-alive socket.
      for (const res of clients) {
        res.end();
        res.socket?.end();
      }
      clients.clear();
    }
    if (!clients.size) return;
    try {
      const next = await read();
      if (last) publish(next, last);
      last = next;
    } catch (err) {
      broadcast('problem', { message: (err as Error).message });
    }
    if (clients.size && !timer) timer = setTimeout(() => void tick(), intervalMs);
  }

  return {
    async subscribe(res: Response): Promise<void> {
      // The first frame is read before the headers go, so a failure still gets the control plane's error shape.
      const first = await read();
      res.status(200).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.flushHeaders();
      res.write('retry: 2000\n\n');
      send(res, 'hello', first);
      clients.add(res);
      if (!last) last = first;
      res.on('close', () => {
        clients.delete(res);
        if (!clients.size) {
          if (timer) clearTimeout(timer);
          timer = undefined;
          last = undefined;
        }
      });
      if (!timer) timer = setTimeout(() => void tick(), intervalMs);
    },
  };
}

/**
 * GET /events: a server-sent-events stream of what changed, for dashboards. Events:
 * hello (the full state at connect), clock (every tick), mode (job execution mode), domain and jobs
 * (their change stamps moved: re-read what you show), faults (rules added, removed or hit), journal
 * (new request-journal entries, oldest first; cleared when the journal was emptied).
 */
export function eventRoutes(r: Router, deps: EventStreamDeps): void {
  const hub = createEventHub(deps);
  r.get('/events', async (_req, res) => {
    await hub.subscribe(res);
  });
}
