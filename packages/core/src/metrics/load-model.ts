/**
 * The domain's performance data: a deterministic load model. A sample for an object at a
 * time is a pure function of the object's id, its recorded usage and the clock time, so every
 * dialect (OmniStack metrics, Eco4Cloud Performance, Heketi /metrics) reports the same numbers
 * for the same object and moment, and tests can predict them by advancing the clock.
 */
export interface LoadSample {
  at: Date;
  cpuPct: number;
  memoryPct: number;
  readIops: number;
  writeIops: number;
  readBytesPerSec: number;
  writeBytesPerSec: number;
  readLatencyUs: number;
  writeLatencyUs: number;
}

export interface LoadBasis {
  id: string;
  /** Recorded usage (0..100) the curve oscillates around; 0 for a powered-off object. */
  cpuUsagePct: number;
  memoryUsagePct: number;
  running: boolean;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Smooth daily cycle plus a per-object phase and a per-minute jitter, clamped to 0..100. */
function curve(base: number, seed: number, t: number): number {
  const day = 86_400_000;
  const phase = (seed % 1000) / 1000;
  const wave = Math.sin(2 * Math.PI * (t / day + phase));
  const jitter = ((hash(`${seed}:${Math.floor(t / 60_000)}`) % 1000) / 1000 - 0.5) * 6;
  return Math.min(100, Math.max(0, base + wave * Math.min(15, base / 2 + 5) + jitter));
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

export function sampleLoad(basis: LoadBasis, at: Date): LoadSample {
  if (!basis.running) {
    return { at, cpuPct: 0, memoryPct: 0, readIops: 0, writeIops: 0, readBytesPerSec: 0, writeBytesPerSec: 0, readLatencyUs: 0, writeLatencyUs: 0 };
  }
  const seed = hash(basis.id);
  const t = at.getTime();
  const cpuBase = basis.cpuUsagePct > 0 ? basis.cpuUsagePct : 10 + (seed % 40);
  const memBase = basis.memoryUsagePct > 0 ? basis.memoryUsagePct : 20 + (seed % 50);
  const cpuPct = round2(curve(cpuBase, seed, t));
  const io = cpuPct / 100;
  const readIops = Math.round(50 + io * 900 + (seed % 97));
  const writeIops = Math.round(30 + io * 500 + (seed % 53));
  return {
    at,
    cpuPct,
    memoryPct: round2(curve(memBase, seed ^ 0x5bd1e995, t)),
    readIops,
    writeIops,
    readBytesPerSec: readIops * 16384,
    writeBytesPerSec: writeIops * 32768,
    readLatencyUs: Math.round(300 + io * 1200),
    writeLatencyUs: Math.round(500 + io * 1800),
  };
}

/** Samples from `from` to `to` (inclusive) every `stepMs`, newest last. */
export function sampleSeries(basis: LoadBasis, from: Date, to: Date, stepMs: number): LoadSample[] {
  if (stepMs <= 0 || to < from) return [];
  const out: LoadSample[] = [];
  const start = Math.ceil(from.getTime() / stepMs) * stepMs;
  for (let t = start; t <= to.getTime(); t += stepMs) out.push(sampleLoad(basis, new Date(t)));
  return out;
}

/** A host's power draw: idle watts plus the load-proportional share up to max; 0 when off. */
export function hostPowerWatts(host: { power: 'on' | 'off'; powerIdleWatts: number; powerMaxWatts: number }, cpuPct: number): number {
  if (host.power === 'off') return 0;
  return Math.round(host.powerIdleWatts + ((host.powerMaxWatts - host.powerIdleWatts) * Math.min(100, Math.max(0, cpuPct))) / 100);
}
