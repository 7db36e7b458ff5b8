import { Router } from 'express';
import { notFound } from '@rosetta/core';
import { jobIdOfTask, renderTask } from '../render';
import { sendJson } from '../wire';
import { batchedLookup } from '../batched-lookup';
import { RouteContext, param } from './context';

export function taskRoutes(router: Router, ctx: RouteContext): void {
  // Concurrent polls share one query (ids arriving during a query wait for the next).
  const findJob = batchedLookup((ids) => ctx.services.jobs.list({ filter: { field: 'id', op: 'in', value: ids } }));

  router.get('/api/tasks/:id', async (req, res) => {
    const id = param(req, 'id');
    const job = await findJob(jobIdOfTask(id));
    if (!job) throw notFound('job', id);
    sendJson(res, 200, { task: renderTask(job) });
  });
}
