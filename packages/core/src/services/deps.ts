import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/ids';
import { JobQueue } from '../ports/job-queue';
import { Store } from '../ports/repositories';
import type { SamplingSettings } from './sample-service';

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  queue: JobQueue;
  /** Multiplier applied to every step's realistic duration: 1 realistic, 0 instant. */
  stepScale: number;
  /** Performance sampling interval and retention (clock time); SAMPLING_DEFAULTS when omitted. */
  sampling?: SamplingSettings;
}
