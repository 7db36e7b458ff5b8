import type { AlignedData } from 'uplot';
import type { JournalEntry } from './types';

/** Entries kept in the page: enough for a few minutes of busy traffic, bounded like the server's ring. */
export const KEEP = 5000;
export const BUCKET_S = 5;
export const WINDOW_S = 300;

export const isError = (e: JournalEntry): boolean => e.status === 0 || e.status >= 500;

export function statusTone(status: number): string {
  if (status === 0 || status >= 500) return 'bad';
  if (status >= 400) return 'warn';
  return 'ok';
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Requests and errors per second, per dialect, in BUCKET_S buckets over the last WINDOW_S seconds. */
export function rates(entries: JournalEntry[], dialects: string[], nowS: number): { requests: AlignedData; errors: AlignedData; window: [number, number] } {
  const end = Math.floor(nowS / BUCKET_S) * BUCKET_S;
  const start = end - WINDOW_S;
  const xs: number[] = [];
  for (let t = start; t <= end; t += BUCKET_S) xs.push(t);
  const req = dialects.map(() => xs.map(() => 0));
  const err = dialects.map(() => xs.map(() => 0));
  for (const e of entries) {
    const t = Date.parse(e.at) / 1000;
    if (t < start) continue;
    const i = Math.min(xs.length - 1, Math.floor((t - start) / BUCKET_S));
    const d = dialects.indexOf(e.dialect);
    if (d < 0) continue;
    req[d][i] += 1 / BUCKET_S;
    if (isError(e)) err[d][i] += 1 / BUCKET_S;
  }
  return { requests: [xs, ...req] as AlignedData, errors: [xs, ...err] as AlignedData, window: [start, end] };
}

/** Newest first, no duplicates (the initial read and the stream can overlap), at most KEEP. */
export function merge(newer: JournalEntry[], older: JournalEntry[]): JournalEntry[] {
  const seen = new Set<number>();
  const out: JournalEntry[] = [];
  for (const e of [...newer, ...older]) {
    if (seen.has(e.seq)) continue;
    seen.add(e.seq);
    out.push(e);
  }
  out.sort((a, b) => b.seq - a.seq);
  return out.slice(0, KEEP);
}
