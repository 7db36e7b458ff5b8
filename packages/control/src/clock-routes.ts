import { Router } from 'express';
import { ClockState, ClockSync, ControllableClock, CoreError } from '@rosetta/core';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90", "90s", "15m", "1h30m", "2d": a duration in milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text) return undefined;
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNITS[unit], 0);
}

function advanceMs(body: unknown): number {
  const b = (body ?? {}) as { seconds?: unknown; ms?: unknown; duration?: unknown };
  const ms =
    typeof b.ms === 'number' ? b.ms : typeof b.seconds === 'number' ? b.seconds * 1000 : typeof b.duration === 'string' ? parseDuration(b.duration) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    throw new CoreError('VALIDATION', 'give seconds, ms or a duration like "15m" or "1h30m" (not negative)', {
      fields: [{ field: 'duration', problem: 'must be a non-negative duration' }],
    });
  }
  return ms;
}

const view = (clock: ControllableClock, state: ClockState) => ({
  now: clock.now().toISOString(),
  frozen: state.frozenAtMs !== null,
  offsetMs: state.frozenAtMs === null ? state.offsetMs : state.frozenAtMs - Date.now(),
});

/** The clock as the control plane shows it (GET /clock and the event stream). */
export { view as clockView };

/** The shared clock: read, freeze, advance, resume, or return to real time, for every process on the database. */
export function clockRoutes(r: Router, clock: ControllableClock, sync: ClockSync): void {
  const apply = async (next: ClockState) => view(clock, await sync.set(next));
  r.get('/clock', async (_req, res) => {
    await sync.refresh();
    res.json(view(clock, clock.getState()));
  });
  r.post('/clock/freeze', async (_req, res) => {
    await sync.refresh();
    res.json(await apply({ frozenAtMs: clock.nowMs(), offsetMs: clock.getState().offsetMs }));
  });
  r.post('/clock/advance', async (req, res) => {
    const ms = advanceMs(req.body);
    await sync.refresh();
    const { frozenAtMs, offsetMs } = clock.getState();
    res.json(await apply(frozenAtMs === null ? { frozenAtMs, offsetMs: offsetMs + ms } : { frozenAtMs: frozenAtMs + ms, offsetMs }));
  });
  r.post('/clock/resume', async (_req, res) => {
    await sync.refresh();
    res.json(await apply({ frozenAtMs: null, offsetMs: clock.nowMs() - Date.now() }));
  });
  r.post('/clock/real', async (_req, res) => {
    res.json(await apply({ frozenAtMs: null, offsetMs: 0 }));
  });
}
