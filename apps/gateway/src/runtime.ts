import type { Logger } from 'pino';
import { Config } from '@rosetta/config';
import {
  ControllableClock,
  ClockSync,
  FaultService,
  JobQueue,
  createFaultService,
  RandomIds,
  Services,
  Store,
  createJobRunner,
  createJobControl,
  JobControl,
  createServices,
  startClockSync,
  startConsolidationScheduler,
  startSampleScheduler,
} from '@rosetta/core';
import { OpenDatabase, createKnexStore, openDatabase } from '@rosetta/store';
import { createBullJobQueue, createInProcessJobQueue } from '@rosetta/queue';

/** Database, store, clock, queue and services: what gateways (and tests) run on. */
export interface Runtime {
  db: OpenDatabase;
  store: Store;
  clock: ControllableClock;
  clockSync: ClockSync;
  queue: JobQueue;
  services: Services;
  /** Fault and latency rules: the policy every dialect request and job step consults. */
  faults: FaultService;
  /** Pause and manual stepping of jobs, shared with this process's runner so changes apply at once. */
  jobControl: JobControl;
  /** True when jobs run in this process (no Redis). */
  inProcessJobs: boolean;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: config.migrateOnBoot, poolMax: config.dbPoolMax });
  const clock = new ControllableClock();
  const store = createKnexStore({ knex: db.knex, now: () => clock.now() });
  const clockSync = startClockSync(store, clock);
  await clockSync.refresh();
  const ids = new RandomIds();
  const faults = createFaultService({ store, clock });
  const jobControl = createJobControl({ store, clock });
  let queue: JobQueue;
  if (config.redisUrl) {
    queue = createBullJobQueue({ redisUrl: config.redisUrl, prefix: config.redisPrefix });
  } else {
    const runner = createJobRunner({ store, clock, ids, faults, control: jobControl });
    queue = createInProcessJobQueue({
      runner,
      concurrency: config.workerConcurrency,
      onError: (err, jobId) => logger.warn({ err, jobId }, 'job attempt failed'),
    });
  }
  const services = createServices({ store, clock, ids, queue, stepScale: config.stepSeconds, sampling: config.samples.intervalMs > 0 ? config.samples : undefined });
  // Workers run consolidation rounds in the distributed setup; the embedded gateway is its own worker.
  const scheduler = config.redisUrl
    ? undefined
    : startConsolidationScheduler({ consolidation: services.consolidation, clock, onError: (err) => logger.warn({ err }, 'consolidation round failed') });
  // Likewise performance samples: workers store them in the distributed setup, the embedded gateway here.
  const sampler =
    config.redisUrl || config.samples.intervalMs <= 0
      ? undefined
      : startSampleScheduler({ samples: services.samples, clock, onError: (err) => logger.warn({ err }, 'performance sampling failed') });
  return {
    db,
    store,
    clock,
    clockSync,
    queue,
    services,
    faults,
    jobControl,
    inProcessJobs: !config.redisUrl,
    async close() {
      scheduler?.stop();
      await sampler?.stop();
      clockSync.stop();
      await queue.close();
      await db.close();
    },
  };
}

/** Jobs that had not ended when the last process stopped go back on the queue. */
export async function resumeUnfinishedJobs(runtime: Runtime): Promise<number> {
  const open = await runtime.store.repos.jobs.list({ filter: { field: 'state', op: 'in', value: ['queued', 'running'] } });
  for (const job of open) await runtime.queue.enqueue(job.id);
  return open.length;
}
