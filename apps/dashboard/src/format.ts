/** Display helpers: sizes, durations, times, ids. */

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function mb(n: number): string {
  return bytes(n * 1024 * 1024);
}

/** 2026-12-01 11:40:05 (UTC): the virtual clock is shown in UTC so every operator reads the same. */
export function time(iso: string | Date | null | undefined): string {
  if (!iso) return '-';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(d.getTime())) return '-';
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

export function clockTime(iso: string | Date | null | undefined): string {
  if (!iso) return '-';
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return d.toISOString().slice(11, 19);
}

export function duration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function span(from: string | null, to: string | null): string {
  if (!from) return '-';
  const end = to ? Date.parse(to) : NaN;
  return Number.isNaN(end) ? '-' : duration(end - Date.parse(from));
}

/** The 32-hex form Heketi shows for a UUID. */
export function hexId(uuid: string): string {
  return uuid.replace(/-/g, '');
}

export function shortId(uuid: string): string {
  return uuid.slice(0, 8);
}

export function pct(part: number, whole: number): number {
  return whole > 0 ? Math.max(0, Math.min(100, (part / whole) * 100)) : 0;
}
