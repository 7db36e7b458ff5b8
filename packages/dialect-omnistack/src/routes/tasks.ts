import { Router } from 'express';
import { notFound } from '@rosetta/core';
import { jobIdOfTask, renderTask } from '../render';
import { sendJson } from '../wire';
import { RouteContext, param } from './context';

export function taskRoutes(router: Router, ctx: RouteContext): void {
  router.get('/api/tasks/:id', async (req, res) => {
    const id = param(req, 'id');
    const job = await ctx.services.jobs.find(jobIdOfTask(id));
    if (!job) throw notFound('job', id);
    sendJson(res, 200, { task: renderTask(job) });
  });
}
