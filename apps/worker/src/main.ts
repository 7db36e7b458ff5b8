import { loadConfigOrExit } from '@rosetta/config';
import { ControllableClock, RandomIds, createFaultService, createJobRunner, createServices, startClockSync, startConsolidationScheduler, startSampleScheduler } from '@rosetta/core';
import { createLogger } from '@rosetta/http';
import { createBullJobQueue, startBullWorker } from '@rosetta/queue';
import { createKnexStore, openDatabase } from '@rosetta/store';
import { reconcileJobs } from './reconcile';

/** A signal that arrives while the worker is still starting is kept, and honoured once it has started. */
let signalled: string | undefined;
let onSignal = (signal: string): void => {
  signalled ??= signal;
  // A start that never completes (a database that never answers) must not make the signal moot.
  setTimeout(() => process.exit(1), 30_000).unref();
};
process.on('SIGTERM', () => onSignal('SIGTERM'));
process.on('SIGINT', () => onSignal('SIGINT'));

async function main(): Promise<void> {
  const config = loadConfigOrExit('rosetta-worker');
  if (!config.databaseUrl || !config.redisUrl) {
    process.stderr.write('rosetta-worker: set DATABASE_URL and REDIS_URL (the embedded gateway runs its jobs itself)\n');
    process.exit(2);
  }
  const logger = createLogger(config.logLevel, 'rosetta-worker');
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, migrate: config.migrateOnBoot, poolMax: config.dbPoolMax });
  const clock = new ControllableClock();
  const store = createKnexStore({ knex: db.knex, now: () => clock.now() });
  const clockSync = startClockSync(store, clock);
  await clockSync.refresh();
  const runner = createJobRunner({
    store,
    clock,
    ids: new RandomIds(),
    faults: createFaultService({ store, clock }),
    // Progress lines cost a hydrated job per step: only when someone reads debug logs.
    onProgress: logger.isLevelEnabled('debug') ? (job) => logger.debug({ jobId: job.id, kind: job.kind, state: job.state }, 'job progress') : undefined,
  });
  const lockDurationMs = config.workerLockMs;
  const worker = startBullWorker({
    runner,
    concurrency: config.workerConcurrency,
    redisUrl: config.redisUrl,
    prefix: config.redisPrefix,
    lockDurationMs,
    onError: (err, jobId) => logger.warn({ err: err.message, jobId }, 'job attempt failed'),
  });
  const transport = createBullJobQueue({ redisUrl: config.redisUrl, prefix: config.redisPrefix });
  // Eco4Cloud consolidation rounds run here, on the shared clock; a per-farm row lock lets one worker win each round.
  const services = createServices({ store, clock, ids: new RandomIds(), queue: transport, stepScale: config.stepSeconds, sampling: config.samples.intervalMs > 0 ? config.samples : undefined });
  const scheduler = startConsolidationScheduler({
    consolidation: services.consolidation,
    clock,
    onError: (err) => logger.warn({ err }, 'consolidation round failed'),
  });
  // Performance samples: every worker runs the sampler; the instant's claim row lets one write each instant.
  const sampler =
    config.samples.intervalMs > 0
      ? startSampleScheduler({ samples: services.samples, clock, onError: (err) => logger.warn({ err }, 'performance sampling failed') })
      : undefined;
  const reconcile = setInterval(() => {
    reconcileJobs(store, transport.queue, runner, clock, logger, lockDurationMs * 2).catch((err) => logger.warn({ err: err.message }, 'reconcile failed'));
  }, lockDurationMs);
  reconcile.unref();
  logger.info({ concurrency: config.workerConcurrency, prefix: config.redisPrefix }, 'worker ready');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker shutting down: finishing current steps');
    clearInterval(reconcile);
    scheduler.stop();
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    (async () => {
      await worker.close();
      await sampler?.stop();
      await transport.close();
      clockSync.stop();
      await db.close();
    })().then(
      () => process.exit(0),
      (err: Error) => {
        process.stderr.write(`rosetta-worker: shutdown failed: ${err.stack ?? err}\n`);
        process.exit(1);
      },
    );
  };
  onSignal = stop;
  if (signalled) stop(signalled);
}

main().catch((err) => {
  process.stderr.write(`rosetta-worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
