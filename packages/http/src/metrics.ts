import { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Request counts and latencies per dialect, route pattern and status, for Prometheus. */
export interface HttpMetrics {
  registry: Registry;
  middleware(dialect: string): RequestHandler;
}

const ID_SEGMENT = /^([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)$/i;

/**
 * Route patterns, not raw paths, so ids do not explode the label space: the matched express
 * pattern when there is one, else the path with id-like segments folded to `:id`; redirects
 * and errors without a matched route (404s, auth refusals of arbitrary paths) share one label.
 */
export function routeLabel(pattern: string | undefined, path: string, status: number): string {
  if (pattern) return pattern;
  if (status >= 300) return '(unmatched)';
  return path
    .split('/')
    .map((segment) => (ID_SEGMENT.test(segment) ? ':id' : segment))
    .join('/');
}

export function createHttpMetrics(registry = new Registry()): HttpMetrics {
  collectDefaultMetrics({ register: registry, prefix: 'rosetta_process_' });
  const requests = new Counter({
    name: 'rosetta_http_requests_total',
    help: 'Requests served, by dialect, route pattern, method and status',
    labelNames: ['dialect', 'route', 'method', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'rosetta_http_request_duration_seconds',
    help: 'Request latency, by dialect, route pattern and method',
    labelNames: ['dialect', 'route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    middleware(dialect) {
      return (req, res, next) => {
        const end = latency.startTimer();
        res.once('finish', () => {
          const route = routeLabel(req.route?.path as string | undefined, req.path, res.statusCode);
          end({ dialect, route, method: req.method });
          requests.inc({ dialect, route, method: req.method, status: String(res.statusCode) });
        });
        next();
      };
    },
  };
}
