import { Store } from '../ports/repositories';
import { ClockState, ControllableClock } from './controllable-clock';
import { startClockSync } from './clock-sync';

/** A shared clock row whose reads and writes the test releases by hand, to order them. */
function sharedRow(initial: ClockState) {
  let row: ClockState = initial;
  const reads: (() => void)[] = [];
  const writes: (() => void)[] = [];
  const store = {
    readClockState: () => {
      const seen = { ...row }; // the read's snapshot is taken when it starts
      return new Promise<ClockState>((resolve) => reads.push(() => resolve(seen)));
    },
    writeClockState: (state: ClockState) =>
      new Promise<void>((resolve) =>
        writes.push(() => {
          row = { ...state };
          resolve();
        }),
      ),
  } as unknown as Store;
  return { store, reads, writes, get row() { return row; } };
}

const flush = () => new Promise((r) => setImmediate(r));

describe('clock sync', () => {
  const frozen = (ms: number): ClockState => ({ frozenAtMs: ms, offsetMs: 0 });

  it('a refresh that read before a local change does not undo it', async () => {
    const shared = sharedRow(frozen(1_000));
    const clock = new ControllableClock(frozen(1_000));
    const sync = startClockSync(shared.store, clock, 60_000);
    try {
      const stale = sync.refresh(); // reads 1,000 ...
      const advanced = sync.set(frozen(3_661_000)); // ... while the clock is advanced here
      shared.writes.shift()!();
      await advanced;
      shared.reads.shift()!();
      await stale;
      expect(clock.nowMs()).toBe(3_661_000);
    } finally {
      sync.stop();
    }
  });

  it('a refresh that read while a local write was uncommitted does not undo it either', async () => {
    const shared = sharedRow(frozen(1_000));
    const clock = new ControllableClock(frozen(1_000));
    const sync = startClockSync(shared.store, clock, 60_000);
    try {
      const advanced = sync.set(frozen(5_000));
      const stale = sync.refresh(); // the row still says 1,000
      await flush();
      shared.writes.shift()!();
      await advanced;
      shared.reads.shift()!();
      await stale;
      expect(clock.nowMs()).toBe(5_000);
      // A later refresh, after the write, reads and keeps the new state.
      const later = sync.refresh();
      await flush();
      shared.reads.shift()!();
      await later;
      expect(clock.nowMs()).toBe(5_000);
      expect(shared.row).toEqual(frozen(5_000));
    } finally {
      sync.stop();
    }
  });

  it('applies a change another process made', async () => {
    const shared = sharedRow(frozen(7_000));
    const clock = new ControllableClock(frozen(1_000));
    const sync = startClockSync(shared.store, clock, 60_000);
    try {
      const refreshed = sync.refresh();
      shared.reads.shift()!();
      await refreshed;
      expect(clock.nowMs()).toBe(7_000);
    } finally {
      sync.stop();
    }
  });
});
