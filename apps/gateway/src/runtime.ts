import type { Logger } from 'pino';
import { Config } from '@rosetta/config';
import {
  ControllableClock,
  ClockSync,
  FaultPolicy,
  JobQueue,
  NO_FAULTS,
  RandomIds,
  Services,
  Store,
  createJobRunner,
  createServices,
  startClockSync,
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
  faults: FaultPolicy;
  /** True when jobs run in this process (no Redis). */
  inProcessJobs: boolean;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: config.migrateOnBoot, poolMax: 20 });
  const clock = new ControllableClock();
  const store = createKnexStore({ knex: db.knex, now: () => clock.now() });
  const clockSync = startClockSync(store, clock);
  await clockSync.refresh();
  const ids = new RandomIds();
  const faults = NO_FAULTS;
  let queue: JobQueue;
  if (config.redisUrl) {
    queue = createBullJobQueue({ redisUrl: config.redisUrl, prefix: config.redisPrefix });
  } else {
    const runner = createJobRunner({ store, clock, ids, faults });
    queue = createInProcessJobQueue({
      runner,
      concurrency: config.workerConcurrency,
      onError: (err, jobId) => logger.warn({ err, jobId }, 'job attempt failed'),
    });
  }
  const services = createServices({ store, clock, ids, queue, stepScale: config.stepSeconds });
  return {
    db,
    store,
    clock,
    clockSync,
    queue,
    services,
    faults,
    inProcessJobs: !config.redisUrl,
    async close() {
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
