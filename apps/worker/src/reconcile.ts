import { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { Clock, JobRunner, Store } from '@rosetta/core';

/**
 * Closes the gap between PostgreSQL (the record) and Redis (the transport): a job row that
 * is still open but whose BullMQ job vanished (enqueue failed after commit, Redis flushed) is
 * queued again; one whose BullMQ job has failed for good is ended as failed.
 */
export async function reconcileJobs(store: Store, queue: Queue, runner: JobRunner, clock: Clock, logger: Logger, staleMs: number): Promise<void> {
  const cutoff = new Date(clock.now().getTime() - staleMs);
  const open = await store.repos.jobs.list({
    filter: { all: [{ field: 'state', op: 'in', value: ['queued', 'running'] }, { field: 'updatedAt', op: 'lt', value: cutoff }] },
    limit: 500,
  });
  for (const job of open) {
    const bull = await queue.getJob(job.id);
    const state = bull ? await bull.getState() : 'missing';
    if (state === 'missing' || state === 'unknown' || state === 'completed') {
      logger.warn({ jobId: job.id, state }, 're-queueing job with no live transport');
      if (bull) await bull.remove().catch(() => undefined);
      await queue.add('run', { jobId: job.id }, { jobId: job.id });
    } else if (state === 'failed') {
      await runner.abandon(job.id, 'job could not be completed');
    }
  }
}
