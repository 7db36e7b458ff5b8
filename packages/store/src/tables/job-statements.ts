import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { Job, JobRepository, JobStep, TERMINAL_JOB_STATES } from '@rosetta/core';
import { Row, defined } from '../table-repository';
import { isUuid } from '../query-compiler';
import { translatePgError } from '../pg-errors';
import { jobsTable } from './jobs';

/** A job_steps row as json_build_object hands it back (timestamps as ISO strings). */
const stepFromJson = (s: Row): JobStep => ({
  index: s.index as number,
  name: s.name as string,
  state: s.state as JobStep['state'],
  seconds: s.seconds as number,
  startedAt: s.started_at ? new Date(s.started_at as string) : null,
  finishedAt: s.finished_at ? new Date(s.finished_at as string) : null,
  error: (s.error as string | null) ?? null,
});

const STEPS_JSON = `COALESCE((SELECT json_agg(json_build_object('index', s.index, 'name', s.name, 'state', s.state, 'seconds', s.seconds,
  'started_at', s.started_at, 'finished_at', s.finished_at, 'error', s.error) ORDER BY s.index) FROM job_steps s WHERE s.job_id = ?), '[]'::json)`;

/**
 * The job reads and writes every dialect's async API goes through, each one statement: a job
 * read (or locked) with its steps, a job recorded with its steps, an all-instant job's steps and
 * the job ended together, and a finished outcome handed out exactly once (the UPDATE's WHERE clause is the guard, so two gateways polling at once
 * cannot both collect it). Fewer round trips per job is what the job throughput targets need.
 */
// These take the place of jobsTable's afterInsert (steps) and attach (steps) for single jobs:
// a child collection added to jobs must be added here too (list() still uses attach).
export function jobStatements(db: Knex | Knex.Transaction, now: () => Date): Pick<JobRepository, 'get' | 'lock' | 'insert' | 'succeedSteps' | 'collectOnce'> {
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw translatePgError(err, 'job');
    }
  };
  /** One job with its steps in a single statement (the steps as a JSON array beside the row). */
  const withSteps = async (id: string, lock: boolean): Promise<Job | undefined> => {
    if (!isUuid(id)) return undefined;
    const query = db('jobs').where({ id }).select('jobs.*', db.raw(`${STEPS_JSON} AS __steps`, [id]));
    const [row] = (await (lock ? query.forUpdate() : query)) as Row[];
    return row && { ...jobsTable.toEntity(row), steps: (row.__steps as Row[]).map(stepFromJson) };
  };
  return {
    get: (id) => guard(() => withSteps(id, false)),
    lock: (id) => guard(() => withSteps(id, true)),
    insert: (input) =>
      guard(async () => {
        const id = input.id ?? randomUUID();
        const stamp = now();
        const job = { created_at: stamp, updated_at: stamp, ...defined(jobsTable.insertRow(input)), id };
        // The steps ride in the same statement; their foreign key is checked at its end, when the job exists.
        const query = input.steps.length
          ? db.with('steps', db('job_steps').insert(input.steps.map((s, index) => ({ job_id: id, index, name: s.name, seconds: s.seconds })))).insert(job).into('jobs')
          : db('jobs').insert(job);
        const [row] = await query.returning('*');
        // Exactly the steps just written, all pending (the column default).
        const steps = input.steps.map((s, index): JobStep => ({ index, name: s.name, state: 'pending', seconds: s.seconds, startedAt: null, finishedAt: null, error: null }));
        return { ...jobsTable.toEntity(row), steps };
      }),
    succeedSteps: (jobId, indexes, at, jobPatch) =>
      guard(async () => {
        const steps = db('job_steps')
          .where({ job_id: jobId })
          .whereIn('index', indexes)
          .update({ state: 'succeeded', started_at: db.raw('COALESCE(started_at, ?)', [at]), finished_at: at });
        await db.with('steps', steps).from('jobs').where({ id: jobId }).update({ ...defined(jobsTable.patchRow(jobPatch)), updated_at: now() });
      }),
    collectOnce: (id, at, origin) =>
      guard(async () => {
        if (!isUuid(id)) return undefined;
        // The UPDATE collects an ended, uncollected job; the SELECT, reading the statement's
        // snapshot, shows the job as it was when the UPDATE did not match. One snapshot, so a job
        // ending meanwhile is simply still pending here and collected by the next poll.
        const originClause = origin === undefined ? '' : ' AND origin = ?';
        const { rows } = await db.raw(
          `WITH c AS (
             UPDATE jobs SET collected_at = ?, updated_at = ?
             WHERE id = ? AND state = ANY(?::text[]) AND collected_at IS NULL${originClause}
             RETURNING *)
           SELECT c.*, true AS __first, ${STEPS_JSON} AS __steps FROM c
           UNION ALL
           SELECT j.*, false AS __first, ${STEPS_JSON} AS __steps FROM jobs j
           WHERE j.id = ?${origin === undefined ? '' : ' AND j.origin = ?'} AND NOT EXISTS (SELECT 1 FROM c)`,
          [at, now(), id, [...TERMINAL_JOB_STATES], ...(origin === undefined ? [] : [origin]), id, id, id, ...(origin === undefined ? [] : [origin])],
        );
        const row = (rows as Row[])[0];
        if (!row) return undefined;
        const job: Job = { ...jobsTable.toEntity(row), steps: (row.__steps as Row[]).map(stepFromJson) };
        return { job, first: row.__first === true };
      }),
  };
}
