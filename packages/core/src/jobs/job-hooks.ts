import { Job } from '../model/job';

/** Told of every job handed to the queue (committed), in the async context of whoever started it. */
export type JobRecordedListener = (job: Job) => void;

const listeners = new Set<JobRecordedListener>();

/**
 * A neutral port so an outer layer (the HTTP request journal) can learn which jobs a request
 * caused without the core knowing about requests. Returns the unsubscribe function.
 */
export function onJobRecorded(listener: JobRecordedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function jobRecorded(job: Job): void {
  for (const listener of listeners) {
    try {
      listener(job);
    } catch {
      // An observer must never fail the operation that started the job.
    }
  }
}
