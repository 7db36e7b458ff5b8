import { Clock } from '../ports/clock';
import { sampleInstant } from '../metrics/samples';
import { SampleRun, SampleService } from './sample-service';

export interface SampleScheduler {
  /** Stops sampling; resolves once a sample being written has committed (close the database after). */
  stop(): Promise<void>;
}

export interface SampleSchedulerOptions {
  samples: SampleService;
  clock: Clock;
  onRun?: (run: SampleRun) => void;
  onError?: (err: unknown) => void;
}

/**
 * Takes a sample at every instant of the interval grid, on the domain clock (as the consolidation
 * scheduler runs rounds): a frozen clock takes no samples, and advancing it by an hour takes the
 * sample of the instant it lands on (not the twelve it skipped: they would be computed from
 * today's rows, a history that never was). Several processes may run it; the instant's claim in
 * sampleNow() lets one of them write it.
 */
export function startSampleScheduler({ samples, clock, onRun, onError }: SampleSchedulerOptions): SampleScheduler {
  const { intervalMs } = samples.settings;
  let stopped = false;
  let wake = (): void => undefined;
  const stopping = new Promise<void>((resolve) => (wake = resolve));
  const loop = (async () => {
    while (!stopped) {
      try {
        const run = await samples.sampleNow();
        if (run) onRun?.(run);
      } catch (err) {
        onError?.(err);
      }
      if (stopped) break;
      const now = clock.now();
      await Promise.race([clock.sleep(sampleInstant(now, intervalMs).getTime() + intervalMs - now.getTime()), stopping]);
    }
  })();
  return {
    stop() {
      stopped = true;
      wake();
      return loop;
    },
  };
}
