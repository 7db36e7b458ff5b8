import express, { Express, Router } from 'express';
import pino from 'pino';
import {
  ControllableClock,
  FaultPolicy,
  NO_FAULTS,
  RandomIds,
  Services,
  Store,
  createJobRunner,
  createServices,
  loadTopology,
  LoadSummary,
} from '@rosetta/core';
import { DialectDeps, requestId } from '@rosetta/http';
import { createInProcessJobQueue } from '@rosetta/queue';
import { createKnexStore } from '@rosetta/store';
import { TestDatabase, createTestDatabase } from './test-database';
import path from 'path';
import fs from 'fs';

export interface TestRuntimeOptions {
  /** 'demo', a fixture document, or nothing for an empty domain. */
  fixture?: 'demo' | object;
  /** Step duration scale; 0 (instant) unless a test wants to watch jobs progress. */
  stepScale?: number;
  faults?: FaultPolicy;
}

export interface TestRuntime {
  db: TestDatabase;
  store: Store;
  clock: ControllableClock;
  services: Services;
  deps: DialectDeps;
  loaded: LoadSummary | null;
  /** Resolves when every queued job has run. */
  jobsIdle(): Promise<void>;
  close(): Promise<void>;
}

export const DEMO_FIXTURE_PATH = path.resolve(__dirname, '../../../examples/demo.json');

/** A whole domain on a fresh database, with jobs run in-process: what dialect tests run against. */
export async function createTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const db = await createTestDatabase();
  const clock = new ControllableClock();
  const store = createKnexStore({ knex: db.knex, now: () => clock.now() });
  const ids = new RandomIds();
  const faults = options.faults ?? NO_FAULTS;
  const runner = createJobRunner({ store, clock, ids, faults });
  const queue = createInProcessJobQueue({ runner, concurrency: 8 });
  const services = createServices({ store, clock, ids, queue, stepScale: options.stepScale ?? 0 });
  const doc = options.fixture === 'demo' ? JSON.parse(fs.readFileSync(DEMO_FIXTURE_PATH, 'utf8')) : options.fixture;
  const loaded = doc ? await loadTopology(store, doc) : null;
  const logger = pino({ level: 'silent' });
  return {
    db,
    store,
    clock,
    services,
    deps: { services, faults, logger, bodyLimitBytes: 1024 * 1024 },
    loaded,
    jobsIdle: () => queue.idle(),
    async close() {
      await queue.close();
      await db.drop();
    },
  };
}

/** An express app serving one dialect router the way the gateway does (request ids, mount point). */
export function dialectApp(router: Router, mountPath = '/'): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestId());
  app.use(mountPath, router);
  return app;
}
