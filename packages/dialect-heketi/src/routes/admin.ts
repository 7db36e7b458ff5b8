import { HeketiContext, RouteTable } from '../context';
import { heketiError } from '../errors';
import { GoMap } from '../go-json';
import { failValidation, jsonErrorText, readBody } from '../parse';
import { sendEmpty, sendJson } from '../reply';

const ADMIN_STATES = ['normal', 'read-only', 'local-client'];
const LOG_LEVELS = ['none', 'critical', 'error', 'warning', 'info', 'debug'];

/** These two endpoints append Go's JSON error to a 400 instead of Heketi's usual 422. */
function readStrict<T>(req: Parameters<typeof readBody>[0], type: Parameters<typeof readBody>[1]): T {
  const problem = jsonErrorText(req);
  if (problem) throw heketiError(400, `request unable to be parsed: ${problem}`);
  try {
    return readBody<T>(req, type);
  } catch {
    throw heketiError(400, 'request unable to be parsed: json: cannot unmarshal value into Go value');
  }
}

/** Server admin state (server/admin) and the log-level knob (app_logging.go). */
export function adminRoutes(r: RouteTable, ctx: HeketiContext): void {
  r.add('GET', '/admin', async (_req, res) => {
    sendJson(res, 200, { state: ctx.admin.state });
  });

  r.add('POST', '/admin', async (req, res) => {
    const body = readStrict<{ state: string }>(req, { struct: { state: 'string' } });
    if (!ADMIN_STATES.includes(body.state)) failValidation(new Map([['state', 'must be a valid value']]));
    ctx.admin.state = body.state as typeof ctx.admin.state;
    sendEmpty(res, 204);
  });

  r.add('GET', '/internal/logging', async (_req, res) => {
    sendJson(res, 200, { loglevel: new GoMap(ctx.logLevel) });
  });

  r.add('POST', '/internal/logging', async (req, res) => {
    const body = readStrict<{ loglevel?: Record<string, string> }>(req, { struct: { loglevel: { map: 'string' } } });
    for (const [logger, level] of Object.entries(body.loglevel ?? {})) {
      if (logger !== 'glusterfs') throw heketiError(422, 'Only "glusterfs" logger may be modified');
      if (!LOG_LEVELS.includes(level)) throw heketiError(422, `invalid log level: ${level}`);
    }
    if (body.loglevel?.glusterfs) ctx.logLevel.glusterfs = body.loglevel.glusterfs;
    sendJson(res, 200, { loglevel: new GoMap(ctx.logLevel) });
  });
}
