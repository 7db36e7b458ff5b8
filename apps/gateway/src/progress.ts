import { SingleBar, Presets } from 'cli-progress';
import { LoadProgress } from '@rosetta/core';

/** A progress bar on a terminal; periodic log lines otherwise (CI, containers). */
export function fixtureProgress(log: (msg: string) => void): { update(p: LoadProgress): void; stop(): void } {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'loading fixture [{bar}] {percentage}% {value}/{total} rows ({table})', stream: process.stderr }, Presets.shades_classic);
    let started = false;
    return {
      update(p) {
        if (!started) {
          bar.start(p.total, 0, { table: p.table });
          started = true;
        }
        bar.update(p.done, { table: p.table });
      },
      stop: () => started && bar.stop(),
    };
  }
  let lastPct = -1;
  return {
    update(p) {
      const pct = Math.floor((p.done / Math.max(1, p.total)) * 10) * 10;
      if (pct !== lastPct) {
        lastPct = pct;
        log(`loading fixture: ${pct}% (${p.done}/${p.total} rows, ${p.table})`);
      }
    },
    stop: () => undefined,
  };
}
