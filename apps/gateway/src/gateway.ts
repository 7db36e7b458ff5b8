import http from 'http';
import https from 'https';
import { AddressInfo } from 'net';
import express, { Express } from 'express';
import type { Logger } from 'pino';
import { Config } from '@rosetta/config';
import { NO_FAULTS, loadTopology } from '@rosetta/core';
import { createControlRouter } from '@rosetta/control';
import { DialectDeps, createHttpMetrics, createRequestGate, createRequestJournal, expressServerOptions, httpLogger, requestId } from '@rosetta/http';
import { dashboardRouter } from './dashboard';
import { DIALECTS } from './dialects';
import { dualProtocolServer } from './dual-protocol';
import { resolveFixture } from './fixtures';
import { fixtureProgress } from './progress';
import { Runtime, createRuntime, resumeUnfinishedJobs } from './runtime';
import { TlsMaterial, loadTls } from './tls';

export interface Gateway {
  runtime: Runtime;
  app: Express;
  /** Base URL of the shared port. */
  url: string;
  /** Base URL of every dialect, on the shared port and on its own port if it has one. */
  urls: Record<string, string[]>;
  close(): Promise<void>;
}

function baseApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('etag', false);
  return app;
}

function listen(app: Express, host: string, port: number, tls?: TlsMaterial, alsoPlain = false): Promise<http.Server> {
  const options = expressServerOptions(app);
  const server = !tls
    ? http.createServer(options, app)
    : alsoPlain
      ? dualProtocolServer(app, tls, options)
      : https.createServer({ ...options, cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, app);
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function loadInitialFixture(config: Config, runtime: Runtime, logger: Logger): Promise<void> {
  if (config.fixture === 'empty') return;
  const empty = (await runtime.store.repos.sites.count()) === 0 && (await runtime.store.repos.jobs.count()) === 0;
  if (!empty) return;
  const doc = await resolveFixture(config.fixture);
  if (doc === undefined) throw new Error(`ROSETTA_FIXTURE: no fixture named ${config.fixture}`);
  const progress = fixtureProgress((msg) => logger.info(msg));
  const started = Date.now();
  const summary = await loadTopology(runtime.store, doc, (p) => progress.update(p));
  progress.stop();
  logger.info({ fixture: config.fixture, ...summary, ms: Date.now() - started }, 'fixture loaded');
}

export async function startGateway(config: Config, logger: Logger): Promise<Gateway> {
  const runtime = await createRuntime(config, logger);
  let ready = false;
  const servers: http.Server[] = [];
  try {
    await loadInitialFixture(config, runtime, logger);
    if (runtime.inProcessJobs) {
      const resumed = await resumeUnfinishedJobs(runtime);
      if (resumed) logger.info({ resumed }, 'resumed unfinished jobs');
    }
    const metrics = createHttpMetrics();
    const journal = createRequestJournal(config.journalSize);
    const gate = createRequestGate();
    const deps: DialectDeps = { services: runtime.services, faults: runtime.faults, logger, bodyLimitBytes: config.bodyLimitBytes, metrics, journal, gate };
    const tls = config.tls ? loadTls(config.dataDir, config.tls.certFile, config.tls.keyFile) : undefined;
    const scheme = tls ? 'https' : 'http';

    const app = baseApp();
    app.use(requestId(), httpLogger(logger));
    app.use('/_rosetta/ui', dashboardRouter());
    app.use(
      '/_rosetta',
      createControlRouter({
        ...deps,
        store: runtime.store,
        resolveFixture,
        defaultFixture: config.fixture,
        adminToken: config.adminToken,
        isReady: () => ready,
        clock: runtime.clock,
        clockSync: runtime.clockSync,
        faultRules: runtime.faults,
        metrics,
        jobControl: runtime.jobControl,
        requestJournal: journal,
        requestGate: gate,
        requeueUnfinishedJobs: () => resumeUnfinishedJobs(runtime),
        // The control plane itself is never subject to injected faults.
        faults: NO_FAULTS,
      }),
    );
    for (const dialect of DIALECTS) app.use(dialect.prefix, dialect.create(deps, config));
    app.use((req, res) => {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: `no dialect serves ${req.path}`, dialects: DIALECTS.map((d) => d.prefix) } });
    });

    const main = await listen(app, config.host, config.port, tls);
    servers.push(main);
    const port = (main.address() as AddressInfo).port;
    const url = `${scheme}://${config.host}:${port}`;
    const urls: Record<string, string[]> = {};
    for (const dialect of DIALECTS) {
      urls[dialect.name] = [`${url}${dialect.prefix}${dialect.entry}`];
      const own = config.dialectPorts[dialect.portKey];
      if (own === undefined) continue;
      const dialectApp = baseApp();
      dialectApp.use(requestId(), httpLogger(logger), dialect.create(deps, config));
      const ownScheme = dialect.ownPortScheme?.(config) ?? scheme;
      const ownTls = ownScheme === 'http' ? undefined : (tls ?? loadTls(config.dataDir, config.tls?.certFile, config.tls?.keyFile));
      const server = await listen(dialectApp, config.host, own, ownTls, ownScheme === 'both');
      servers.push(server);
      const ownPort = (server.address() as AddressInfo).port;
      for (const s of ownScheme === 'both' ? ['https', 'http'] : [ownScheme]) urls[dialect.name].push(`${s}://${config.host}:${ownPort}${dialect.entry}`);
    }
    ready = true;
    return {
      runtime,
      app,
      url,
      urls,
      async close() {
        ready = false;
        await Promise.all(
          servers.map(
            (s) =>
              new Promise<void>((resolve) => {
                s.close(() => resolve());
                s.closeIdleConnections?.();
              }),
          ),
        );
        await runtime.close();
      },
    };
  } catch (err) {
    for (const s of servers) s.close();
    await runtime.close();
    throw err;
  }
}
