import { Worker, Job as BullJob } from 'bullmq';
import { JobRunner } from '@rosetta/core';
import { BullConnection, QUEUE_NAME, createRedis } from './bullmq-queue';

export interface BullWorkerOptions extends BullConnection {
  runner: JobRunner;
  concurrency: number;
  /** How long a job's lock lives without renewal; a killed worker's job is taken over after it. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onError?: (err: Error, jobId?: string) => void;
}

/**
 * Executes queued job ids with the core runner. A worker that dies mid-job loses its lock;
 * BullMQ's stalled-job check hands the job to another worker, and the runner resumes at the
 * first step that had not committed. When BullMQ gives up, the job row is failed, not left running.
 */
export function startBullWorker({ runner, concurrency, redisUrl, prefix, lockDurationMs = 30_000, stalledIntervalMs, onError }: BullWorkerOptions): {
  worker: Worker;
  close(): Promise<void>;
} {
  const connection = createRedis(redisUrl);
  const worker = new Worker(
    QUEUE_NAME,
    async (job: BullJob<{ jobId: string }>) => {
      await runner.run(job.data.jobId);
    },
    {
      connection,
      prefix,
      concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs ?? lockDurationMs,
      maxStalledCount: 3,
    },
  );
  worker.on('failed', (job, err) => {
    if (!job) return;
    const finalAttempt = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled more than allowable limit/.test(err.message);
    if (finalAttempt) {
      runner.abandon(job.data.jobId, `job could not be completed: ${err.message}`).catch((e: Error) => onError?.(e, job.data.jobId));
    }
    onError?.(err, job.data.jobId);
  });
  worker.on('error', (err) => onError?.(err));
  return {
    worker,
    async close() {
      // As for the queue (bullmq-queue.ts): never close a connection that is still starting up.
      await worker.waitUntilReady().catch(() => undefined);
      await worker.close();
      connection.disconnect();
    },
  };
}
