import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { JobQueue } from '@rosetta/core';

export const QUEUE_NAME = 'rosetta-jobs';

export interface BullConnection {
  redisUrl: string;
  prefix: string;
}

export function createRedis(redisUrl: string): IORedis {
  // BullMQ workers block on Redis; maxRetriesPerRequest must be null for them.
  return new IORedis(redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

/**
 * The job-queue port over BullMQ. The payload is only the job id (the row in PostgreSQL is
 * the record); the BullMQ job id is the same id, so enqueueing twice is harmless.
 */
export function createBullJobQueue({ redisUrl, prefix }: BullConnection): JobQueue & { queue: Queue } {
  const connection = createRedis(redisUrl);
  const queue = new Queue(QUEUE_NAME, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 5000 },
    },
  });
  return {
    queue,
    async enqueue(jobId, options) {
      await queue.add('run', { jobId }, { jobId, delay: options?.delayMs });
    },
    async close() {
      // BullMQ drops its connection's listeners on close; a connection still starting up would then
      // report "Connection is closed" to nobody and crash the process. Let it finish starting first.
      await queue.waitUntilReady().catch(() => undefined);
      await queue.close();
      connection.disconnect();
    },
  };
}
