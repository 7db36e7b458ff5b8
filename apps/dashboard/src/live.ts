import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiError, announceRefusal, authHeaders } from './api';
import { ClockView, ExecutionMode, FaultHits, JournalEntry } from './types';

/**
 * Live updates: one server-sent-events stream (GET /_rosetta/events) for the whole page. It is read
 * with fetch rather than EventSource so the admin token can travel as a header. Views subscribe to
 * the small state below (stamps, clock, mode, fault hits) and re-read what they show when a stamp
 * moves; journal entries arrive as a stream of their own.
 */
export interface LiveState {
  connected: boolean;
  /** Why the stream is down, for the status badge. */
  problem: string | null;
  clock: ClockView | null;
  /** Real time (ms) the clock reading arrived, to let a running clock tick between events. */
  clockAt: number;
  mode: ExecutionMode | null;
  domainStamp: string;
  jobsStamp: string;
  faults: FaultHits[];
}

type JournalListener = (entries: JournalEntry[], cleared: boolean) => void;

let state: LiveState = { connected: false, problem: null, clock: null, clockAt: 0, mode: null, domainStamp: '', jobsStamp: '', faults: [] };
const listeners = new Set<() => void>();
const journalListeners = new Set<JournalListener>();

function update(patch: Partial<LiveState>): void {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

/** Applies a clock reading at once (after a control call), without waiting for the next event. */
export function setClock(clock: ClockView): void {
  update({ clock, clockAt: Date.now() });
}

export function setMode(mode: ExecutionMode): void {
  update({ mode });
}

interface Hello {
  clock: ClockView;
  mode: ExecutionMode;
  domainStamp: string;
  jobsStamp: string;
  faults: FaultHits[];
}

function handle(event: string, data: string): void {
  const body = JSON.parse(data) as unknown;
  switch (event) {
    case 'hello': {
      const h = body as Hello;
      update({ connected: true, problem: null, clock: h.clock, clockAt: Date.now(), mode: h.mode, domainStamp: h.domainStamp, jobsStamp: h.jobsStamp, faults: h.faults });
      break;
    }
    case 'clock':
      update({ clock: body as ClockView, clockAt: Date.now() });
      break;
    case 'mode':
      update({ mode: (body as { mode: ExecutionMode }).mode });
      break;
    case 'domain':
      update({ domainStamp: (body as { stamp: string }).stamp });
      break;
    case 'jobs':
      update({ jobsStamp: (body as { stamp: string }).stamp });
      break;
    case 'faults':
      update({ faults: (body as { faults: FaultHits[] }).faults });
      break;
    case 'journal': {
      const j = body as { cleared: boolean; entries: JournalEntry[] };
      for (const l of journalListeners) l(j.entries, j.cleared);
      break;
    }
    default:
      break;
  }
}

/** Splits the text/event-stream body into events (event + data lines, blank-line separated). */
async function read(res: Response, signal: AbortSignal): Promise<void> {
  if (!res.body) throw new Error('no stream body');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  while (!signal.aborted) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      if (data.length) handle(event, data.join('\n'));
    }
  }
}

let running: AbortController | null = null;

/** Connects, and reconnects two seconds after any loss, until stopLive(). */
export function startLive(): void {
  if (running) return;
  const controller = new AbortController();
  running = controller;
  void (async () => {
    while (!controller.signal.aborted) {
      try {
        const res = await fetch('/_rosetta/events', { headers: { ...authHeaders(), Accept: 'text/event-stream' }, signal: controller.signal, cache: 'no-store' });
        if (res.status === 401 || res.status === 403) {
          announceRefusal(new ApiError(res.status, 'UNAUTHENTICATED', 'admin token required'));
          throw new Error('admin token required');
        }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        await read(res, controller.signal);
        update({ connected: false, problem: 'stream ended' });
      } catch (err) {
        if (controller.signal.aborted) return;
        update({ connected: false, problem: (err as Error).message });
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  })();
}

export function restartLive(): void {
  running?.abort();
  running = null;
  startLive();
}

export function useLive(): LiveState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}

export function useJournalStream(listener: JournalListener): void {
  useEffect(() => {
    journalListeners.add(listener);
    return () => {
      journalListeners.delete(listener);
    };
  }, [listener]);
}

/** The virtual clock now, ticking between events while it runs. */
export function useClockNow(): { now: Date | null; frozen: boolean } {
  const live = useLive();
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!live.clock || live.clock.frozen) return;
    const t = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [live.clock]);
  if (!live.clock) return { now: null, frozen: false };
  const base = Date.parse(live.clock.now);
  return { now: new Date(live.clock.frozen ? base : base + (Date.now() - live.clockAt)), frozen: live.clock.frozen };
}
