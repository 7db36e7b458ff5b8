import { CoreError } from '../errors';
import { AffectedObject, Job, JobKind, TERMINAL_JOB_STATES } from '../model/job';
import { Repositories } from '../ports/repositories';
import { jobDefinitions } from '../jobs/definitions';
import { jobRecorded } from '../jobs/job-hooks';
import { ServiceDeps } from './deps';
import { Reads, mustLock, readsOf } from './reads';

export interface JobRequest {
  kind: JobKind;
  origin: string;
  input: Record<string, unknown>;
  affected?: AffectedObject[];
  /** Makes the job one more job of the command whose first job this is. */
  commandJobId?: string;
}

export interface JobService extends Reads<Job> {
  /** Records a job (one statement) inside the caller's transaction; call dispatch once it has committed. */
  record(tx: Repositories, request: JobRequest): Promise<Job>;
  /** Hands a committed job to the queue. */
  dispatch(job: Job): Promise<Job>;
  /** record + commit + dispatch, for jobs that need no other change in the same transaction. */
  start(request: JobRequest): Promise<Job>;
  /** Asks a job to stop: queued jobs end at once, running ones before their next step commits. */
  cancel(id: string): Promise<Job>;
  /**
   * Marks an ended job's outcome as handed out; `first` is true only for the one caller that did
   * so. With an origin, a job of another origin is neither collected nor returned.
   */
  collect(id: string, origin?: string): Promise<{ job: Job; first: boolean } | undefined>;
}

export function createJobService({ store, ids, queue, stepScale, clock }: ServiceDeps): JobService {
  const service: JobService = {
    ...readsOf(store, 'job', (r) => r.jobs),
    async record(tx, { kind, origin, input, affected = [], commandJobId }) {
      const definition = jobDefinitions[kind];
      return tx.jobs.insert({
        id: ids.uuid(),
        kind,
        origin,
        input,
        affected,
        commandJobId,
        steps: definition.steps.map((s) => ({ name: s.name, seconds: s.seconds * stepScale })),
      });
    },
    async dispatch(job) {
      await queue.enqueue(job.id);
      jobRecorded(job);
      return job;
    },
    async start(request) {
      // Recording is one INSERT (the job with its steps): atomic without a transaction around it.
      const job = await store.statement((repos) => service.record(repos, request));
      return service.dispatch(job);
    },
    async cancel(id) {
      return store.transaction(async (tx) => {
        const job = await mustLock(tx.jobs, 'job', id);
        if (TERMINAL_JOB_STATES.includes(job.state)) {
          throw new CoreError('INVALID_STATE', `job ${id} has already ended`, { kind: 'job', id, state: job.state });
        }
        return tx.jobs.update(id, { cancelRequested: true });
      });
    },
    async collect(id, origin) {
      // One guarded statement: it hands the outcome out, or shows the job as it is.
      return store.repos.jobs.collectOnce(id, clock.now(), origin);
    },
  };
  return service;
}
