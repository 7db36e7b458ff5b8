import { JobQueue, JobRunner } from '@rosetta/core';

export interface InProcessQueueOptions {
  runner: JobRunner;
  concurrency: number;
  onError?: (err: unknown, jobId: string) => void;
}

/**
 * For the embedded default (no Redis): runs jobs in this process, at most `concurrency` at a
 * time. Durability comes from PostgreSQL: at start the gateway re-enqueues every job row that
 * had not ended, and the runner resumes them at their first unfinished step.
 */
export function createInProcessJobQueue({ runner, concurrency, onError }: InProcessQueueOptions): JobQueue & { idle(): Promise<void> } {
  const waiting: string[] = [];
  const queued = new Set<string>();
  const running = new Set<Promise<void>>();
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  const pump = (): void => {
    while (!closed && running.size < concurrency && waiting.length) {
      const jobId = waiting.shift()!;
      const task = (async () => {
        for (let attempt = 1; attempt <= 5; attempt++) {
          try {
            await runner.run(jobId);
            return;
          } catch (err) {
            onError?.(err, jobId);
            if (attempt === 5) await runner.abandon(jobId, `job could not be completed: ${(err as Error).message}`).catch(() => undefined);
            else await new Promise((r) => setTimeout(r, 200 * attempt));
          }
        }
      })().finally(() => {
        running.delete(task);
        queued.delete(jobId);
        pump();
        if (!running.size && !waiting.length) {
          const waiters = idleWaiters;
          idleWaiters = [];
          waiters.forEach((w) => w());
        }
      });
      running.add(task);
    }
  };

  return {
    async enqueue(jobId, options) {
      if (closed || queued.has(jobId)) return;
      queued.add(jobId);
      const push = (): void => {
        waiting.push(jobId);
        pump();
      };
      if (options?.delayMs) setTimeout(push, options.delayMs).unref();
      else push();
    },
    idle() {
      if (!running.size && !waiting.length) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      await Promise.allSettled([...running]);
    },
  };
}
