import express, { Router } from 'express';
import type { Logger } from 'pino';
import { FaultPolicy, Services } from '@rosetta/core';
import { ErrorRenderer, errorHandler, notFoundHandler } from './errors';
import { faultSeam } from './fault-seam';
import { bodyParsers, BodyOptions } from './body';
import { HttpMetrics } from './metrics';
import { RequestJournal } from './journal';
import { RequestGate } from './request-gate';

/** What the gateway hands every dialect's router factory. */
export interface DialectDeps {
  services: Services;
  faults: FaultPolicy;
  logger: Logger;
  bodyLimitBytes: number;
  /** Request metrics; absent in tests that do not look at them. */
  metrics?: HttpMetrics;
  /** Recent-request ring of the control plane; absent when not journaling. */
  journal?: RequestJournal;
  /** Holds requests while a snapshot restore swaps the domain; absent in tests that do not restore. */
  gate?: RequestGate;
}

export interface DialectRouterSpec {
  /** Dialect name as fault rules and logs know it: 'heketi', 'nova' ... */
  name: string;
  deps: DialectDeps;
  renderer: ErrorRenderer;
  /** Which content types parse as JSON; defaults to any containing "json". */
  jsonTypes?: BodyOptions['jsonTypes'];
  /** Skip the shared body parsers when the vendor's own reading differs (raw bodies). */
  ownBodyParsing?: boolean;
  /** Auth middleware and routes, in the vendor's order. */
  routes(router: Router): void;
}

/** The shape every dialect router shares: fault seam -> bodies -> routes -> vendor 404 -> vendor errors. */
export function buildDialectRouter(spec: DialectRouterSpec): Router {
  const { name, deps, renderer } = spec;
  const router = express.Router({ strict: true, caseSensitive: true });
  if (deps.metrics) router.use(deps.metrics.middleware(name));
  if (deps.journal) router.use(deps.journal.middleware(name));
  if (deps.gate) router.use(deps.gate.middleware());
  router.use(faultSeam(name, deps.faults, deps.services.clock));
  if (!spec.ownBodyParsing) router.use(...bodyParsers({ limitBytes: deps.bodyLimitBytes, jsonTypes: spec.jsonTypes }));
  spec.routes(router);
  router.use(notFoundHandler(renderer));
  router.use(errorHandler(renderer, deps.logger.child({ dialect: name })));
  return router;
}
