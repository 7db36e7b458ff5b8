import { Store } from '../ports/repositories';
import { ControllableClock, ClockState } from './controllable-clock';

export interface ClockSync {
  /** Changes the clock here and for every other process sharing the database. */
  set(state: ClockState): Promise<ClockState>;
  /** Re-reads the shared state now. */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps a process's clock in step with the shared state row, so gateways and workers on
 * one database agree on virtual time. Changes made here apply at once; others' within intervalMs.
 */
export function startClockSync(store: Store, clock: ControllableClock, intervalMs = 1000): ClockSync {
  let stopped = false;
  // A read that overlapped a local set (begun before it, or while its write was uncommitted) may
  // hold the older state: it must not put that back over the newer one.
  let generation = 0;
  let writing = 0;
  const refresh = async (): Promise<void> => {
    const started = generation;
    const overlapped = writing > 0;
    const state = await store.readClockState();
    if (overlapped || writing > 0 || started !== generation) return;
    if (state && (state.frozenAtMs !== clock.getState().frozenAtMs || state.offsetMs !== clock.getState().offsetMs)) clock.setState(state);
  };
  const timer = setInterval(() => {
    if (!stopped) refresh().catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    async set(state) {
      generation++;
      writing++;
      clock.setState(state);
      try {
        await store.writeClockState(state);
      } finally {
        writing--;
      }
      return clock.getState();
    },
    refresh,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
