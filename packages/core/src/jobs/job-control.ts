import { CoreError } from '../errors';
import { Job, TERMINAL_JOB_STATES } from '../model/job';
import { Clock } from '../ports/clock';
import { ControlStore, JOB_EXECUTION_MODES, JobExecutionMode } from '../ports/control-store';
import { Store } from '../ports/repositories';
import { mustLock } from '../services/reads';

/**
 * Job execution control for test harnesses: pause every runner, or run in manual mode where a
 * job advances one step per permit (POST /_rosetta/jobs/{id}/step). The mode lives in the
 * database so every gateway and worker obeys it; each process caches it for `refreshMs`, so the
 * normal path costs one query per refresh interval, not one per job.
 */
export interface JobControl {
  mode(): Promise<JobExecutionMode>;
  setMode(mode: JobExecutionMode): Promise<JobExecutionMode>;
  /** Lets a job run `count` more steps in manual mode. */
  step(jobId: string, count?: number): Promise<Job>;
  /** Ends an unfinished job as failed with this message, whatever step it is in. */
  fail(jobId: string, message: string): Promise<Job>;
  /** Runner side: resolves 'run' when a step of this job may start (at once in normal mode), 'ended' when the job ended meanwhile. */
  awaitStep(jobId: string): Promise<'run' | 'ended'>;
}

export interface JobControlDeps {
  store: Store;
  clock: Clock;
  refreshMs?: number;
  /** How often a held step looks again for a permit or a mode change (real time, not the virtual clock). */
  pollMs?: number;
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function controlOf(store: Store): ControlStore {
  if (!store.control) throw new CoreError('UNAVAILABLE', 'this store has no job execution control', { reason: 'no_control_store' });
  return store.control;
}

const CHECK_EVERY = 10;

export function createJobControl({ store, clock, refreshMs = 250, pollMs = 100 }: JobControlDeps): JobControl {
  let cached: JobExecutionMode = 'normal';
  let loadedAt = -Infinity;
  let loading: Promise<void> | undefined;

  const mode = async (): Promise<JobExecutionMode> => {
    if (!store.control) return 'normal';
    if (Date.now() - loadedAt > refreshMs) {
      loading ??= store.control
        .readJobMode()
        .then((m) => {
          cached = m;
          loadedAt = Date.now();
        })
        .finally(() => (loading = undefined));
      await loading;
    }
    return cached;
  };

  const unfinished = async (jobId: string): Promise<Job> => {
    const job = await store.repos.jobs.get(jobId);
    if (!job) throw new CoreError('NOT_FOUND', `no job ${jobId}`, { kind: 'job', id: jobId });
    if (TERMINAL_JOB_STATES.includes(job.state)) throw new CoreError('INVALID_STATE', `job ${jobId} has already ended`, { kind: 'job', id: jobId, state: job.state });
    return job;
  };

  return {
    mode,
    async setMode(next) {
      if (!JOB_EXECUTION_MODES.includes(next)) {
        throw new CoreError('VALIDATION', `mode must be one of ${JOB_EXECUTION_MODES.join(', ')}`, { fields: [{ field: 'mode', problem: 'unknown mode' }] });
      }
      await controlOf(store).writeJobMode(next);
      cached = next;
      loadedAt = Date.now();
      return next;
    },
    async step(jobId, count = 1) {
      if (!Number.isInteger(count) || count < 1 || count > 1000) {
        throw new CoreError('VALIDATION', 'steps must be an integer from 1 to 1000', { fields: [{ field: 'steps', problem: 'must be 1-1000' }] });
      }
      const job = await unfinished(jobId);
      await controlOf(store).grantStepPermits(jobId, count);
      return job;
    },
    async fail(jobId, message) {
      if (typeof message !== 'string' || !message) throw new CoreError('VALIDATION', 'message is required', { fields: [{ field: 'message', problem: 'is required' }] });
      return store.transaction(async (tx) => {
        const job = await mustLock(tx.jobs, 'job', jobId);
        if (TERMINAL_JOB_STATES.includes(job.state)) throw new CoreError('INVALID_STATE', `job ${jobId} has already ended`, { kind: 'job', id: jobId, state: job.state });
        const now = clock.now();
        const open = job.steps.find((s) => s.state === 'running') ?? job.steps.find((s) => s.state === 'pending');
        if (open) await tx.jobs.updateStep(jobId, open.index, { state: 'failed', startedAt: open.startedAt ?? now, finishedAt: now, error: message });
        return tx.jobs.update(jobId, {
          state: 'failed',
          errorCode: 'UNAVAILABLE',
          errorMessage: message,
          errorDetails: { kind: 'job', id: jobId, reason: 'failed_by_control' },
          startedAt: job.startedAt ?? now,
          finishedAt: now,
        });
      });
    },
    async awaitStep(jobId) {
      // A held job costs one small query per poll in manual mode; whether it ended meanwhile is checked every ~second.
      for (let poll = 0; ; poll++) {
        const current = await mode();
        if (current === 'normal') return 'run';
        if (poll % CHECK_EVERY === 0) {
          const job = await store.repos.jobs.get(jobId);
          if (!job || TERMINAL_JOB_STATES.includes(job.state)) return 'ended';
          // Cancelled meanwhile: the runner's next commit notices and ends the job.
          if (job.cancelRequested) return 'run';
        }
        if (current === 'manual' && (await controlOf(store).takeStepPermit(jobId))) return 'run';
        await wait(pollMs);
      }
    },
  };
}
