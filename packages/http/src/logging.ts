import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';
import { IncomingMessage, ServerResponse } from 'http';

/** Query parameters that carry secrets in some vendor APIs (Eco4Cloud logs in over GET). */
const SECRET_PARAMS = /^(password|passwd|pass|ticket|token|access_token|secret|key)$/i;

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.ticket',
  'req.headers["x-auth-token"]',
  'req.headers["x-subject-token"]',
  'req.headers["x-csrftoken"]',
  'res.headers["set-cookie"]',
  'res.headers["x-subject-token"]',
  '*.password',
  '*.ipmiPassword',
  '*.ticket',
  '*.token',
];

export function createLogger(level: string, name = 'rosetta'): Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}

/** The URL as logged: secret-bearing query values replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMS.test(key)) params.set(key, '[redacted]');
  return `${url.slice(0, q)}?${params.toString()}`;
}

/**
 * Below info, a request is logged only when it failed (5xx), and pino-http's per-request child
 * logger would be work for nothing on every success: here a 'finish' listener logs the same fields.
 */
function failedRequestLogger(logger: Logger) {
  const enabled = logger.isLevelEnabled('error');
  return (req: IncomingMessage & { requestId?: string }, res: ServerResponse, next: () => void): void => {
    if (enabled) {
      const started = Date.now();
      res.once('finish', () => {
        if (res.statusCode < 500) return;
        const request = { id: req.requestId ?? '-', method: req.method, url: redactUrl(req.url ?? ''), remoteAddress: req.socket?.remoteAddress };
        logger.error({ req: request, res: { statusCode: res.statusCode }, responseTime: Date.now() - started }, 'request errored');
      });
    }
    next();
  };
}

export function httpLogger(logger: Logger) {
  if (!logger.isLevelEnabled('info')) return failedRequestLogger(logger);
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage & { requestId?: string }) => req.requestId ?? '-',
    serializers: {
      req: (req: { id: string; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: redactUrl(req.url),
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}
