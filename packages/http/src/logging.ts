import pino, { Logger } from 'pino';
import pinoHttp from 'pino-http';
import { IncomingMessage } from 'http';

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

export function httpLogger(logger: Logger) {
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
