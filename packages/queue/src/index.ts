export { createBullJobQueue, createRedis, QUEUE_NAME } from './bullmq-queue';
export type { BullConnection } from './bullmq-queue';
export { startBullWorker } from './bullmq-worker';
export type { BullWorkerOptions } from './bullmq-worker';
export { createInProcessJobQueue } from './in-process-queue';
export type { InProcessQueueOptions } from './in-process-queue';
