import { Router } from 'express';
import { CoreError, JobControl, JobExecutionMode, Filter, JobState, Services } from '@rosetta/core';
import { intParam, stringParams } from '@rosetta/http';

const JOB_STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Jobs: list and filter, inspect, cancel, fail, step (manual mode), and the global execution mode. */
export function jobRoutes(r: Router, services: Services, control: JobControl): void {
  const mode = async () => ({ mode: await control.mode() });
  const setMode = (next: JobExecutionMode) => async (_req: unknown, res: { json(b: unknown): void }) => {
    await control.setMode(next);
    res.json(await mode());
  };

  r.get('/jobs/execution', async (_req, res) => {
    res.json(await mode());
  });
  r.put('/jobs/execution', async (req, res) => {
    const body = (req.body ?? {}) as { mode?: unknown };
    await control.setMode(body.mode as JobExecutionMode);
    res.json(await mode());
  });
  r.post('/jobs/pause', setMode('paused'));
  r.post('/jobs/resume', setMode('normal'));
  r.post('/jobs/manual', setMode('manual'));

  r.get('/jobs', async (req, res) => {
    const states = stringParams(req.query.state, 'state');
    for (const s of states) {
      if (!JOB_STATES.includes(s as JobState)) throw new CoreError('VALIDATION', `unknown job state ${s}`, { fields: [{ field: 'state', problem: `must be one of ${JOB_STATES.join(', ')}` }] });
    }
    const filters: Filter[] = [];
    if (states.length) filters.push({ field: 'state', op: 'in', value: states });
    const kinds = stringParams(req.query.kind, 'kind');
    if (kinds.length) filters.push({ field: 'kind', op: 'in', value: kinds });
    const page = await services.jobs.page({
      filter: { all: filters },
      order: [{ field: 'seq', direction: 'desc' }],
      limit: intParam(req.query.limit, 'limit', { min: 1, max: 1000, fallback: 100 }),
      offset: intParam(req.query.offset, 'offset', { fallback: 0 }),
    });
    res.json({ total: page.total, jobs: page.items });
  });
  r.get('/jobs/:id', async (req, res) => {
    res.json(await services.jobs.get(req.params.id as string));
  });
  r.post('/jobs/:id/cancel', async (req, res) => {
    res.json(await services.jobs.cancel(req.params.id as string));
  });
  r.post('/jobs/:id/step', async (req, res) => {
    const body = (req.body ?? {}) as { steps?: unknown };
    const steps = body.steps === undefined ? 1 : body.steps;
    if (typeof steps !== 'number') throw new CoreError('VALIDATION', 'steps must be a number', { fields: [{ field: 'steps', problem: 'must be a number' }] });
    const job = await control.step(req.params.id as string, steps);
    res.status(202).json({ job, granted: steps, mode: await control.mode() });
  });
  r.post('/jobs/:id/fail', async (req, res) => {
    const body = (req.body ?? {}) as { message?: unknown };
    const message = body.message === undefined ? 'failed from the control plane' : body.message;
    if (typeof message !== 'string') throw new CoreError('VALIDATION', 'message must be a string', { fields: [{ field: 'message', problem: 'must be a string' }] });
    res.json(await control.fail(req.params.id as string, message));
  });
}
