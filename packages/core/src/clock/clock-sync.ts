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
  const refresh = async (): Promise<void> => {
    const state = await store.readClockState();
    if (state && (state.frozenAtMs !== clock.getState().frozenAtMs || state.offsetMs !== clock.getState().offsetMs)) clock.setState(state);
  };
  const timer = setInterval(() => {
    if (!stopped) refresh().catch(() => undefined);
  }, intervalMs);
  timer.unref();
  return {
    async set(state) {
      clock.setState(state);
      await store.writeClockState(state);
      return clock.getState();
    },
    refresh,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
