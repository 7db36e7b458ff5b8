import { BUCKET_S, WINDOW_S, merge, percentile, rates } from './traffic-stats';
import type { JournalEntry } from './types';

const entry = (seq: number, at: number, dialect: string, status: number): JournalEntry => ({
  seq,
  at: new Date(at * 1000).toISOString(),
  dialect,
  method: 'GET',
  path: '/x',
  status,
  latencyMs: seq,
  principal: null,
  requestId: null,
  jobIds: [],
  objectIds: [],
});

describe('traffic figures the dashboard charts', () => {
  it('percentile picks the nearest rank of a sorted sample', () => {
    const ms = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(ms, 50), percentile(ms, 90), percentile(ms, 99), percentile(ms, 100)]).toEqual([50, 90, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  it('rates counts requests and errors (5xx and dropped, not 4xx) per dialect per second, in the window only', () => {
    const now = 1_800_000_000;
    const end = Math.floor(now / BUCKET_S) * BUCKET_S;
    const entries = [
      entry(1, end - WINDOW_S - 1, 'heketi', 200), // before the window
      entry(2, end - 1, 'heketi', 200),
      entry(3, end - 2, 'heketi', 503),
      entry(4, end - 3, 'heketi', 0),
      entry(5, end - 3, 'heketi', 404),
      entry(6, end + 1, 'nova', 500),
      entry(7, end + 1, 'unknown-dialect', 500),
    ];
    const { requests, errors, window } = rates(entries, ['heketi', 'nova'], now);
    expect(window).toEqual([end - WINDOW_S, end]);
    const xs = requests[0] as number[];
    expect(xs).toHaveLength(WINDOW_S / BUCKET_S + 1);
    const last = xs.length - 1;
    const perSecond = (n: number) => n / BUCKET_S;
    expect((requests[1] as number[])[last - 1]).toBeCloseTo(perSecond(4));
    expect((errors[1] as number[])[last - 1]).toBeCloseTo(perSecond(2));
    expect((requests[2] as number[])[last]).toBeCloseTo(perSecond(1));
    expect((requests[1] as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(perSecond(4));
  });

  it('merge keeps the newest first without duplicates, capped', () => {
    const a = [entry(3, 0, 'x', 200), entry(2, 0, 'x', 200)];
    const b = [entry(2, 0, 'x', 200), entry(1, 0, 'x', 200)];
    expect(merge(a, b).map((e) => e.seq)).toEqual([3, 2, 1]);
    const many = Array.from({ length: 6000 }, (_, i) => entry(i + 1, 0, 'x', 200));
    const kept = merge(many, []);
    expect(kept).toHaveLength(5000);
    expect(kept[0].seq).toBe(6000);
  });
});
