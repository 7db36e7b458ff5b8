/** Transport of job ids to whatever executes them; the job itself lives in the store. */
export interface JobQueue {
  enqueue(jobId: string, options?: { delayMs?: number }): Promise<void>;
  close(): Promise<void>;
}
