import { Clock } from '../ports/clock';
import { ConsolidationRound, ConsolidationService, ROUND_INTERVAL_MS } from './consolidation-service';

export interface ConsolidationScheduler {
  stop(): void;
}

export interface ConsolidationSchedulerOptions {
  consolidation: ConsolidationService;
  clock: Clock;
  /** Clock time between two rounds of one site. */
  intervalMs?: number;
  /** How often to look for due sites, in clock time. */
  pollMs?: number;
  onRound?: (round: ConsolidationRound) => void;
  onError?: (err: unknown) => void;
}

/**
 * Runs consolidation rounds on the domain clock: sleeping on the clock means a frozen clock
 * runs no rounds and advancing it by an hour runs the rounds due in that hour. Several
 * processes may run it at once; the per-site row lock in tick() lets one win each round.
 */
export function startConsolidationScheduler({
  consolidation,
  clock,
  intervalMs = ROUND_INTERVAL_MS,
  pollMs = 60_000,
  onRound,
  onError,
}: ConsolidationSchedulerOptions): ConsolidationScheduler {
  let stopped = false;
  (async () => {
    while (!stopped) {
      try {
        for (const round of await consolidation.tick(intervalMs)) onRound?.(round);
      } catch (err) {
        onError?.(err);
      }
      await clock.sleep(pollMs);
    }
  })();
  return {
    stop() {
      stopped = true;
    },
  };
}
