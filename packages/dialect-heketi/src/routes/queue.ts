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
    // One statement either way: it collects a finished job, or shows a pending one as it is.
    const id = coreId(params.id);
    const collected = id ? await services.jobs.collect(id, ORIGIN) : undefined;
    if (!collected) throw gone();
    if (!collected.first) {
      if (TERMINAL_JOB_STATES.includes(collected.job.state)) throw gone();
      sendEmpty(res, 200, { 'X-Pending': 'true' });
      return;
    }
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
