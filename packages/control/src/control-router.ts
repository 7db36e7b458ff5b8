import { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { ClockSync, ControllableClock, CoreError, FaultService, JobControl, LoadSummary, Store, loadTopology } from '@rosetta/core';
import { clockRoutes } from './clock-routes';
import { faultRoutes } from './fault-routes';
import { domainFaultRoutes } from './domain-fault-routes';
import { metricsRoutes } from './metrics-routes';
import { HttpMetrics, RequestGate, RequestJournal } from '@rosetta/http';
import { snapshotRoutes } from './snapshot-routes';
import { sampleRoutes } from './sample-routes';
import { jobRoutes } from './job-routes';
import { journalRoutes } from './journal-routes';
import { eventRoutes } from './events-routes';
import { objectRoutes } from './object-routes';
import { openApiDocument } from './openapi';
import { controlErrors } from './render';
import { DialectDeps, bodyParsers, buildDialectRouter } from '@rosetta/http';

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
  jobControl: JobControl;
  /** The dialects' request journal (the control plane's own requests are not journaled). */
  requestJournal: RequestJournal;
  /** The dialects' request gate, closed while a snapshot restore swaps the domain. */
  requestGate?: RequestGate;
  /** Puts unfinished jobs back on the queue after a restore; returns how many. */
  requeueUnfinishedJobs(): Promise<number>;
  /** Largest snapshot document POST /snapshots/import accepts (the dialects' limit is far smaller). */
  importLimitBytes?: number;
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

function refusal(adminToken: string | undefined, req: Request): CoreError | undefined {
  if (adminToken) {
    const header = req.header('authorization') ?? '';
    if (header !== `Bearer ${adminToken}`) return new CoreError('UNAUTHENTICATED', 'admin token required', { reason: 'admin_token' });
  } else if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
    return new CoreError('PERMISSION_DENIED', 'the control plane is open to loopback only unless ROSETTA_ADMIN_TOKEN is set', { reason: 'not_loopback' });
  }
  return undefined;
}

function guard(adminToken: string | undefined) {
  return (req: Request, _res: Response, next: NextFunction): void => next(refusal(adminToken, req));
}

/**
 * Snapshot documents are far larger than any vendor request: this one route parses its body
 * with its own limit, for authorised callers only, before the shared parsers (which skip a request
 * already read to its end). A parse failure is kept for the route to report in the control plane's shape.
 */
function largeBodies(adminToken: string | undefined, limitBytes: number): RequestHandler {
  const [json] = bodyParsers({ limitBytes });
  return (req, res, next) => {
    if (refusal(adminToken, req)) return next();
    json(req, res, (err?: unknown) => {
      if (err) res.locals.bodyError = err;
      next();
    });
  };
}

export function createControlRouter(options: ControlOptions): Router {
  const { services, store } = options;

  /** Empties the domain, then loads `fixture`; 'default' is the one the gateway was started with. */
  async function reset(requested: string): Promise<LoadSummary | null> {
    const fixture = requested === 'default' ? options.defaultFixture : requested;
    await options.faultRules.clear();
    await options.jobControl.setMode('normal');
    if (fixture === 'empty') {
      await store.truncate();
      return null;
    }
    const doc = await options.resolveFixture(fixture);
    if (doc === undefined) throw new CoreError('NOT_FOUND', `no fixture named ${fixture}`, { kind: 'fixture', id: fixture });
    await store.truncate();
    return loadTopology(store, doc);
  }

  const outer = Router();
  outer.post('/snapshots/import', largeBodies(options.adminToken, options.importLimitBytes ?? 512 * 1024 * 1024));
  outer.use(buildDialectRouter({
    name: 'control',
    deps: { ...options, journal: undefined, gate: undefined },
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
      r.get('/openapi.json', (_req, res) => {
        res.json(openApiDocument());
      });
      r.use(guard(options.adminToken));
      // First: the hottest read of tools and dashboards, matched before every other route.
      objectRoutes(r, services, store);
      clockRoutes(r, options.clock, options.clockSync);
      faultRoutes(r, options.faultRules, options.clock);
      domainFaultRoutes(r, services);
      metricsRoutes(r, options.metrics, services, options.faultRules);
      sampleRoutes(r, services);
      r.post('/reset', async (req, res) => {
        const body = (req.body ?? {}) as { fixture?: unknown };
        const fixture = body.fixture === undefined ? 'empty' : body.fixture;
        if (typeof fixture !== 'string' || !fixture) throw new CoreError('VALIDATION', 'fixture must be a name', { fields: [{ field: 'fixture', problem: 'must be a string' }] });
        const loaded = await reset(fixture);
        res.json({ reset: true, fixture: fixture === 'default' ? options.defaultFixture : fixture, loaded });
      });
      r.post('/fixture', async (req, res) => {
        if (req.body === undefined || req.body === null || typeof req.body !== 'object') {
          throw new CoreError('VALIDATION', 'send the fixture document as a JSON object', { fields: [{ field: 'body', problem: 'must be a JSON object' }] });
        }
        await store.truncate();
        res.status(201).json({ loaded: await loadTopology(store, req.body) });
      });
      jobRoutes(r, services, options.jobControl);
      journalRoutes(r, options.requestJournal);
      eventRoutes(r, { store, clock: options.clock, faults: options.faultRules, jobControl: options.jobControl, journal: options.requestJournal, isReady: options.isReady });
      if (store.control) {
        snapshotRoutes(r, {
          control: store.control,
          gate: options.requestGate,
          analyze: () => store.analyze(),
          afterRestore: () => options.requeueUnfinishedJobs(),
          reloadControl: async () => {
            options.faultRules.reload();
            await options.clockSync.refresh();
          },
        });
      }
    },
  }));
  return outer;
}
