import { ControllableClock } from './controllable-clock';

describe('ControllableClock', () => {
  it('runs in real time until frozen, then only moves when advanced', () => {
    let real = 1_000_000;
    const clock = new ControllableClock(undefined, () => real);
    expect(clock.nowMs()).toBe(1_000_000);
    real += 500;
    expect(clock.nowMs()).toBe(1_000_500);
    clock.freeze();
    real += 10_000;
    expect(clock.nowMs()).toBe(1_000_500);
    clock.advance(60_000);
    expect(clock.nowMs()).toBe(1_060_500);
    clock.unfreeze();
    real += 1_000;
    expect(clock.nowMs()).toBe(1_061_500);
    clock.reset();
    expect(clock.nowMs()).toBe(real);
  });

  it('refuses negative or non-finite advances', () => {
    const clock = new ControllableClock();
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it('wakes sleepers when virtual time passes their deadline, not before', async () => {
    const clock = new ControllableClock();
    clock.freeze();
    let woke = false;
    const sleeping = clock.sleep(30_000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 150));
    expect(woke).toBe(false);
    clock.advance(29_999);
    await new Promise((r) => setTimeout(r, 150));
    expect(woke).toBe(false);
    clock.advance(1);
    await sleeping;
    expect(woke).toBe(true);
  });

  it('sleeps in real time when running', async () => {
    const clock = new ControllableClock();
    const t0 = Date.now();
    await clock.sleep(120);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });
});
