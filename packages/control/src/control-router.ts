import { NextFunction, Request, Response, Router } from 'express';
import { ClockSync, ControllableClock, CoreError, FaultService, JobState, Filter, LoadSummary, Store, loadTopology } from '@rosetta/core';
import { clockRoutes } from './clock-routes';
import { faultRoutes } from './fault-routes';
import { metricsRoutes } from './metrics-routes';
import { HttpMetrics } from '@rosetta/http';
import { controlErrors } from './render';
import { DialectDeps, buildDialectRouter, intParam, stringParams } from '@rosetta/http';

export interface ControlOptions extends DialectDeps {
  store: Store;
  /** Returns the fixture document for 'demo' or a file name; undefined when unknown. */
  resolveFixture(name: string): Promise<unknown | undefined>;
  /** The fixture the gateway was started with ('empty', 'demo' or a path). */
  defaultFixture: string;
  adminToken?: string;
  isReady(): boolean;
  clock: ControllableClock;
  clockSync: ClockSync;
  faultRules: FaultService;
  metrics: HttpMetrics;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

const JOB_STATES: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

/** Object kinds the control plane can page through, for dashboards and tooling. */
const KINDS = ['sites', 'clusters', 'hosts', 'devices', 'datastores', 'vms', 'aggregates', 'policies', 'backups', 'volumes', 'filesystems', 'jobs'] as const;
type Kind = (typeof KINDS)[number];

function guard(adminToken: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (adminToken) {
      const header = req.header('authorization') ?? '';
      if (header !== `Bearer ${adminToken}`) return next(new CoreError('UNAUTHENTICATED', 'admin token required', { reason: 'admin_token' }));
    } else if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
      return next(new CoreError('PERMISSION_DENIED', 'the control plane is open to loopback only unless ROSETTA_ADMIN_TOKEN is set', { reason: 'not_loopback' }));
    }
    next();
  };
}

export function createControlRouter(options: ControlOptions): Router {
  const { services, store } = options;

  async function reset(fixture: string): Promise<LoadSummary | null> {
    await options.faultRules.clear();
    if (fixture === 'empty') {
      await store.truncate();
      return null;
    }
    const doc = await options.resolveFixture(fixture);
    if (doc === undefined) throw new CoreError('NOT_FOUND', `no fixture named ${fixture}`, { kind: 'fixture', id: fixture });
    await store.truncate();
    return loadTopology(store, doc);
  }

  return buildDialectRouter({
    name: 'control',
    deps: options,
    renderer: controlErrors,
    routes(r) {
      r.get('/health', (_req, res) => {
        if (!options.isReady()) res.status(503).json({ status: 'starting' });
        else res.json({ status: 'ok' });
      });
      r.get('/ready', async (_req, res) => {
        await store.repos.sites.count();
        res.json({ status: options.isReady() ? 'ready' : 'starting' });
      });
      r.use(guard(options.adminToken));
      clockRoutes(r, options.clock, options.clockSync);
      faultRoutes(r, options.faultRules, options.clock);
      metricsRoutes(r, options.metrics, services, options.faultRules);
      r.post('/reset', async (req, res) => {
        const body = (req.body ?? {}) as { fixture?: unknown };
        const fixture = body.fixture === undefined ? 'empty' : body.fixture;
        if (typeof fixture !== 'string' || !fixture) throw new CoreError('VALIDATION', 'fixture must be a name', { fields: [{ field: 'fixture', problem: 'must be a string' }] });
        res.json({ reset: true, fixture, loaded: await reset(fixture) });
      });
      r.post('/fixture', async (req, res) => {
        if (req.body === undefined || req.body === null || typeof req.body !== 'object') {
          throw new CoreError('VALIDATION', 'send the fixture document as a JSON object', { fields: [{ field: 'body', problem: 'must be a JSON object' }] });
        }
        await store.truncate();
        res.status(201).json({ loaded: await loadTopology(store, req.body) });
      });
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
      r.get('/objects/:kind', async (req, res) => {
        const kind = req.params.kind as Kind;
        if (!KINDS.includes(kind)) throw new CoreError('NOT_FOUND', `unknown object kind ${kind}`, { kind: 'kind', id: kind });
        const name = stringParams(req.query.name, 'name')[0];
        const page = await services[kind].page({
          filter: name ? { field: 'name', op: 'contains', value: name, ci: true } : undefined,
          order: [{ field: 'seq', direction: 'asc' }],
          limit: intParam(req.query.limit, 'limit', { min: 1, max: 1000, fallback: 100 }),
          offset: intParam(req.query.offset, 'offset', { fallback: 0 }),
        });
        res.json({ total: page.total, items: page.items });
      });
      r.get('/objects/:kind/:id', async (req, res) => {
        const kind = req.params.kind as Kind;
        if (!KINDS.includes(kind)) throw new CoreError('NOT_FOUND', `unknown object kind ${kind}`, { kind: 'kind', id: kind });
        res.json(await services[kind].get(req.params.id as string));
      });
    },
  });
}
