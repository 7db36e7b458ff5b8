import { CoreError, isCoreError } from '../errors';
import { FaultPolicy, NO_FAULTS } from '../faults';
import { Job, TERMINAL_JOB_STATES } from '../model/job';
import { Clock } from '../ports/clock';
import { IdGenerator } from '../ports/ids';
import { Repositories, Store } from '../ports/repositories';
import { mustLock } from '../services/reads';
import { jobDefinitions } from './definitions';
import { JobControl, createJobControl } from './job-control';

export interface JobRunnerDeps {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  faults?: FaultPolicy;
  /** Called after each committed state change (progress display, live feeds). */
  onProgress?: (job: Job) => void;
  /** Pause and manual stepping; by default read from the store's shared execution mode. */
  control?: JobControl;
}

export type RunOutcome = Job['state'];

export interface JobRunner {
  /**
   * Runs a job from its first unfinished step. Domain failures (CoreError) end the job as
   * failed; anything else (a lost database connection) is thrown so the transport retries.
   */
  run(jobId: string): Promise<RunOutcome>;
  /** Ends a job as failed when its transport gives up on it. */
  abandon(jobId: string, reason: string): Promise<void>;
}

export function createJobRunner({ store, clock, ids, faults = NO_FAULTS, onProgress, control = createJobControl({ store, clock }) }: JobRunnerDeps): JobRunner {
  const finish = async (tx: Repositories, job: Job, patch: Parameters<Repositories['jobs']['update']>[1]): Promise<Job> => {
    const ended = await tx.jobs.update(job.id, { ...patch, finishedAt: clock.now() });
    return ended;
  };

  async function begin(jobId: string): Promise<Job | undefined> {
    return store.transaction(async (tx) => {
      const job = await mustLock(tx.jobs, 'job', jobId);
      if (TERMINAL_JOB_STATES.includes(job.state)) return undefined;
      if (job.cancelRequested) {
        await finish(tx, job, { state: 'cancelled' });
        return undefined;
      }
      return tx.jobs.update(jobId, { state: 'running', startedAt: job.startedAt ?? clock.now(), attempts: job.attempts + 1 });
    });
  }

  async function failStep(jobId: string, index: number, err: CoreError): Promise<Job> {
    return store.transaction(async (tx) => {
      const job = await mustLock(tx.jobs, 'job', jobId);
      await tx.jobs.updateStep(jobId, index, { state: 'failed', finishedAt: clock.now(), error: err.message });
      return finish(tx, job, { state: 'failed', errorCode: err.code, errorMessage: err.message, errorDetails: err.details });
    });
  }

  /**
   * Runs one step. An instant step without faults commits in a single transaction, and the
   * last step also ends the job in its own transaction: the fewer round trips, the more jobs
   * a worker finishes per second.
   */
  async function runStep(job: Job, index: number): Promise<Job | RunOutcome> {
    // Failed or cancelled from the control plane while held: nothing more to do.
    if ((await control.awaitStep(job.id)) === 'ended') return (await store.repos.jobs.get(job.id))?.state ?? 'failed';
    const step = job.steps[index];
    const definition = jobDefinitions[job.kind].steps[index];
    if (!definition) throw new CoreError('INVALID_STATE', `job ${job.id} has no step ${index}`, { kind: 'job', id: job.id });
    const effects = await faults.forStep({ kind: job.kind, step: step.name });
    let startedAt = step.startedAt;
    if (step.seconds > 0 || effects.length > 0) {
      startedAt = startedAt ?? clock.now();
      await store.transaction((tx) => tx.jobs.updateStep(job.id, index, { state: 'running', startedAt }));
    }
    for (const effect of effects) {
      if (effect.type === 'delay') await clock.sleep(effect.ms);
      if (effect.type === 'fail_step') throw new CoreError('UNAVAILABLE', effect.message, { kind: 'job', id: job.id, reason: 'injected' });
      if (effect.type === 'error') throw new CoreError(effect.code, effect.message, { kind: 'job', id: job.id, reason: 'injected' });
    }
    await clock.sleep(step.seconds * 1000);
    const last = index === job.steps.length - 1;
    return store.transaction(async (tx) => {
      const current = await mustLock(tx.jobs, 'job', job.id);
      if (TERMINAL_JOB_STATES.includes(current.state)) return current.state;
      if (current.cancelRequested) {
        await tx.jobs.updateStep(job.id, index, { state: 'cancelled', finishedAt: clock.now() });
        await finish(tx, current, { state: 'cancelled' });
        return 'cancelled' as const;
      }
      const result: Record<string, unknown> = {};
      await definition.apply({ tx, job: current, clock, ids, result });
      const now = clock.now();
      await tx.jobs.updateStep(job.id, index, { state: 'succeeded', startedAt: startedAt ?? now, finishedAt: now });
      const merged = Object.keys(result).length ? { result: { ...current.result, ...result } } : {};
      if (last) return finish(tx, current, { ...merged, state: 'succeeded' });
      return Object.keys(merged).length ? tx.jobs.update(job.id, merged) : current;
    });
  }

  /**
   * Jobs whose steps are all instant, with no step fault rules in force, run in a single
   * transaction: the same outcome as step by step, at half the round trips. Returns undefined
   * when the job does not qualify (the caller then runs it step by step).
   */
  async function runInstant(jobId: string): Promise<RunOutcome | undefined> {
    if (await faults.hasStepRules()) return undefined;
    let ended: Job | undefined;
    const outcome = await store.transaction(async (tx): Promise<RunOutcome | undefined> => {
      const job = await mustLock(tx.jobs, 'job', jobId);
      if (TERMINAL_JOB_STATES.includes(job.state)) return job.state;
      if (job.steps.some((s) => s.seconds > 0 && s.state !== 'succeeded')) return undefined;
      const now = clock.now();
      if (job.cancelRequested) {
        ended = await finish(tx, job, { state: 'cancelled' });
        return 'cancelled';
      }
      const result: Record<string, unknown> = { ...job.result };
      const open = job.steps.filter((s) => s.state !== 'succeeded');
      for (const step of open) {
        const definition = jobDefinitions[job.kind].steps[step.index];
        if (!definition) throw new CoreError('INVALID_STATE', `job ${job.id} has no step ${step.index}`, { kind: 'job', id: job.id });
        await definition.apply({ tx, job, clock, ids, result });
      }
      // Every step marked and the job ended by one statement: the transaction commits all or
      // nothing, so this is the step-by-step outcome at one round trip per job.
      const end = { state: 'succeeded' as const, startedAt: job.startedAt ?? now, attempts: job.attempts + 1, finishedAt: now };
      if (open.length) await tx.jobs.succeedSteps(job.id, open.map((s) => s.index), now, { ...end, result });
      else await finish(tx, job, end);
      if (onProgress) ended = await tx.jobs.get(job.id);
      return 'succeeded';
    });
    if (ended) onProgress?.(ended);
    return outcome;
  }

  return {
    async run(jobId) {
      // Paused and manual modes hold each step, so only the normal mode may take the one-transaction path.
      if ((await control.mode()) === 'normal') {
        try {
          const fast = await runInstant(jobId);
          if (fast) return fast;
        } catch (err) {
          // A domain failure: fall through to the step-by-step run, which records which step failed.
          if (!isCoreError(err)) throw err;
        }
      }
      let job = await begin(jobId);
      if (!job) return (await store.repos.jobs.get(jobId))?.state ?? 'failed';
      onProgress?.(job);
      for (let index = 0; index < job.steps.length; index++) {
        if (job.steps[index].state === 'succeeded') continue;
        try {
          const next = await runStep(job, index);
          if (typeof next === 'string') return next;
          job = next;
        } catch (err) {
          if (!isCoreError(err)) throw err;
          // Not `onProgress?.(await ...)`: an optional call skips evaluating its arguments.
          const failed = await failStep(jobId, index, err);
          onProgress?.(failed);
          return 'failed';
        }
        onProgress?.(job);
      }
      if (job.state !== 'succeeded') {
        // Only reached when every step had committed before this attempt (a crash right after the last one).
        onProgress?.(await store.transaction(async (tx) => finish(tx, await mustLock(tx.jobs, 'job', jobId), { state: 'succeeded' })));
      }
      return 'succeeded';
    },
    async abandon(jobId, reason) {
      await store.transaction(async (tx) => {
        const job = await tx.jobs.lock(jobId);
        if (!job || TERMINAL_JOB_STATES.includes(job.state)) return;
        const open = job.steps.find((s) => s.state === 'running' || s.state === 'pending');
        if (open) await tx.jobs.updateStep(jobId, open.index, { state: 'failed', finishedAt: clock.now(), error: reason });
        await finish(tx, job, { state: 'failed', errorCode: 'UNAVAILABLE', errorMessage: reason });
      });
    },
  };
}
