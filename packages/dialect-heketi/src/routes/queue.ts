import { CoreError, TERMINAL_JOB_STATES } from '@rosetta/core';
import { HeketiContext, ORIGIN, RouteTable } from '../context';
import { heketiFailure } from '../errors';
import { coreId } from '../ids';
import { queueTarget } from '../render';
import { publicPath, sendEmpty, sendError, sendRedirect } from '../reply';

/**
 * /queue/{id} over core jobs (server/rest/asynchttp.go): pending while the job runs, then its
 * outcome exactly once (the job row remembers it was collected), then 404 like any unknown id.
 */
export function queueRoutes(r: RouteTable, ctx: HeketiContext): void {
  const { services } = ctx;
  const gone = () => new CoreError('NOT_FOUND', 'Id not found', { kind: 'job' });

  r.add('GET', '/queue/:id', async (req, res, params) => {
    const id = coreId(params.id);
    const job = id ? await services.jobs.find(id) : undefined;
    if (!job || job.origin !== ORIGIN) throw gone();
    if (!TERMINAL_JOB_STATES.includes(job.state)) {
      sendEmpty(res, 200, { 'X-Pending': 'true' });
      return;
    }
    const collected = await services.jobs.collect(job.id);
    if (!collected?.first) throw gone();
    const done = collected.job;
    if (done.state === 'succeeded') {
      const target = queueTarget(done.kind, done.affected);
      if (target) sendRedirect(req, res, publicPath(req, target), 303);
      else sendEmpty(res, 204);
      return;
    }
    const failure = done.errorCode
      ? heketiFailure(done.errorCode, done.errorMessage ?? '', done.errorDetails ?? {}, { targetState: String(done.input.state ?? '') })
      : { text: done.errorMessage ?? 'operation cancelled' };
    sendError(res, 500, failure.text);
  });
}
