import { Clock } from '../ports/clock';

/** Persistable clock state: real time shifted by offsetMs, or frozen at frozenAtMs. */
export interface ClockState {
  frozenAtMs: number | null;
  offsetMs: number;
}

export const REAL_TIME: ClockState = { frozenAtMs: null, offsetMs: 0 };

/** Longest real wait between re-checks, so a sleeper notices state changes made elsewhere. */
const RECHECK_MS = 100;

/**
 * A clock that runs in real time until told otherwise: it can be frozen, advanced and
 * returned to real time. Sleepers measure virtual time, so a step of 30 s on a frozen clock
 * finishes when the clock is advanced past it, not before.
 */
export class ControllableClock implements Clock {
  private state: ClockState;
  private readonly waiters = new Set<() => void>();

  constructor(initial: ClockState = REAL_TIME, private readonly realNow: () => number = Date.now) {
    this.state = { ...initial };
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  nowMs(): number {
    return this.state.frozenAtMs ?? this.realNow() + this.state.offsetMs;
  }

  getState(): ClockState {
    return { ...this.state };
  }

  isFrozen(): boolean {
    return this.state.frozenAtMs !== null;
  }

  setState(state: ClockState): void {
    this.state = { ...state };
    this.wake();
  }

  freeze(): ClockState {
    this.setState({ frozenAtMs: this.nowMs(), offsetMs: this.state.offsetMs });
    return this.getState();
  }

  /** Continues running from the current virtual time. */
  unfreeze(): ClockState {
    const now = this.nowMs();
    this.setState({ frozenAtMs: null, offsetMs: now - this.realNow() });
    return this.getState();
  }

  advance(ms: number): ClockState {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance takes a non-negative duration');
    const { frozenAtMs, offsetMs } = this.state;
    this.setState(frozenAtMs === null ? { frozenAtMs, offsetMs: offsetMs + ms } : { frozenAtMs: frozenAtMs + ms, offsetMs });
    return this.getState();
  }

  reset(): ClockState {
    this.setState(REAL_TIME);
    return this.getState();
  }

  async sleep(ms: number): Promise<void> {
    const until = this.nowMs() + Math.max(0, ms);
    for (;;) {
      const remaining = until - this.nowMs();
      if (remaining <= 0) return;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, this.isFrozen() ? RECHECK_MS : Math.min(remaining, RECHECK_MS));
        timer.unref();
        this.waiters.add(done);
      });
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
