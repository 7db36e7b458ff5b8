import { Job, JobPatch, JobStep, NewJob } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

const stepOf = (r: Record<string, unknown>): JobStep => ({
  index: r.index as number,
  name: r.name as string,
  state: r.state as JobStep['state'],
  seconds: r.seconds as number,
  startedAt: (r.started_at as Date | null) ?? null,
  finishedAt: (r.finished_at as Date | null) ?? null,
  error: (r.error as string | null) ?? null,
});

export const jobsTable: TableDef<Job, NewJob, JobPatch> = {
  table: 'jobs',
  kind: 'job',
  fields: {
    ...baseFields,
    kind: { column: 'kind', type: 'string' },
    state: { column: 'state', type: 'string' },
    origin: { column: 'origin', type: 'string' },
    errorCode: { column: 'error_code', type: 'string' },
    startedAt: { column: 'started_at', type: 'date' },
    finishedAt: { column: 'finished_at', type: 'date' },
    commandJobId: { column: 'command_job_id', type: 'uuid' },
  },
  toEntity: (r) => entity(r, {
    kind: r.kind as Job['kind'],
    state: r.state as Job['state'],
    origin: r.origin as string,
    input: r.input as Record<string, unknown>,
    result: r.result as Record<string, unknown>,
    affected: r.affected as Job['affected'],
    steps: [],
    errorCode: (r.error_code as Job['errorCode']) ?? null,
    errorMessage: (r.error_message as string | null) ?? null,
    attempts: r.attempts as number,
    cancelRequested: r.cancel_requested as boolean,
    startedAt: (r.started_at as Date | null) ?? null,
    finishedAt: (r.finished_at as Date | null) ?? null,
    collectedAt: (r.collected_at as Date | null) ?? null,
    errorDetails: (r.error_details as Job['errorDetails']) ?? null,
    commandJobId: (r.command_job_id as string | null | undefined) ?? null,
  }),
  insertRow: (n) => ({ kind: n.kind, origin: n.origin, input: json(n.input), affected: json(n.affected ?? []), command_job_id: n.commandJobId }),
  patchRow: (p) => ({
    state: p.state,
    result: p.result && json(p.result),
    affected: p.affected && json(p.affected),
    error_code: p.errorCode,
    error_message: p.errorMessage,
    attempts: p.attempts,
    cancel_requested: p.cancelRequested,
    started_at: p.startedAt,
    finished_at: p.finishedAt,
    collected_at: p.collectedAt,
    error_details: p.errorDetails && json(p.errorDetails),
  }),
  async attach(db, jobs) {
    const rows = await db('job_steps').whereRaw('job_id = ANY(?::uuid[])', [jobs.map((j) => j.id)]).orderBy(['job_id', 'index']);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const row of rows) byId.get(row.job_id)!.steps.push(stepOf(row));
  },
  async afterInsert(db, input, id) {
    if (input.steps.length) {
      await db('job_steps').insert(input.steps.map((s, index) => ({ job_id: id, index, name: s.name, seconds: s.seconds })));
    }
  },
};
