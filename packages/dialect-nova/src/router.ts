import { randomUUID } from 'crypto';
import express, { NextFunction, Request, Response, Router } from 'express';
import { IncomingMessage } from 'http';
import { CoreError } from '@rosetta/core';
import { buildDialectRouter } from '@rosetta/http';
import { keystoneTokenAuth } from './auth';
import { caller, ComputeContext, identityBaseFromCompute } from './context';
import { computeRenderer, identityRenderer } from './errors';
import { buildDirectory } from './identity-model';
import { microversions } from './microversion';
import { aggregateRoutes } from './routes/aggregates';
import { availabilityZoneRoutes } from './routes/availability-zones';
import { flavorRoutes } from './routes/flavors';
import { hypervisorRoutes } from './routes/hypervisors';
import { identityRoutes } from './routes/identity';
import { imageRoutes } from './routes/images';
import { networkRoutes } from './routes/network';
import { serverRoutes } from './routes/servers';
import { serviceRoutes } from './routes/services';
import { computeV21DocumentRoute, computeVersionRoutes } from './routes/versions';
import { NovaRouterOptions } from './settings';

export type { NovaRouterOptions, NovaSettings } from './settings';

/** Nova reads a body without a Content-Type as JSON. */
const jsonTypes = (req: IncomingMessage): boolean => {
  const type = req.headers['content-type'];
  return !type || /json/i.test(type);
};

export function createNovaIdentityRouter(options: NovaRouterOptions): Router {
  const directory = buildDirectory(options);
  return buildDialectRouter({
    name: 'nova-identity',
    deps: options,
    renderer: identityRenderer,
    jsonTypes,
    routes: (router) => {
      router.use((req: Request, res: Response, next: NextFunction) => {
        req.novaMount = req.baseUrl;
        res.setHeader('x-openstack-request-id', `req-${randomUUID()}`);
        next();
      });
      identityRoutes(router, { services: options.services, settings: options, directory });
    },
  });
}

/** A project id in the path (hex and dashes: no resource name looks like one) is optional. */
const PROJECT_SEGMENT = /^\/([0-9a-f-]+)(\/.*)?$/;

declare module 'express-serve-static-core' {
  interface Request {
    urlProjectId?: string;
  }
}

function projectInPath(req: Request, _res: Response, next: NextFunction): void {
  const m = PROJECT_SEGMENT.exec(req.url);
  if (m) {
    req.urlProjectId = m[1];
    req.url = m[2] ?? '/';
  }
  next();
}

function projectMatches(req: Request, _res: Response, next: NextFunction): void {
  const ctx = caller(req);
  if (req.urlProjectId !== undefined && req.urlProjectId !== (ctx.project?.id ?? '')) {
    return next(
      new CoreError(
        'VALIDATION',
        `Malformed request URL: URL's project_id '${req.urlProjectId}' doesn't match Context's project_id '${ctx.project?.id ?? 'None'}'`,
        { reason: 'nova' },
      ),
    );
  }
  next();
}

export function createNovaComputeRouter(options: NovaRouterOptions): Router {
  const directory = buildDirectory(options);
  const auth = keystoneTokenAuth(options.tokenSecret, directory, options.services.clock, options.services.revocations);
  const ctx: ComputeContext = { services: options.services, settings: options };
  return buildDialectRouter({
    name: 'nova',
    deps: options,
    renderer: computeRenderer((req) => identityBaseFromCompute(req, options)),
    jsonTypes,
    routes: (router) => {
      router.use((req: Request, res: Response, next: NextFunction) => {
        req.novaMount = req.baseUrl;
        const id = `req-${randomUUID()}`;
        res.setHeader('x-openstack-request-id', id);
        res.setHeader('x-compute-request-id', id);
        next();
      });
      router.use(microversions());
      computeVersionRoutes(router);

      // Glance and Neutron stand-ins live beside compute; their version documents need no token.
      for (const [prefix, mount] of [['/image', imageRoutes], ['/network', networkRoutes]] as const) {
        const side = express.Router({ strict: true, caseSensitive: true });
        side.use(auth.identify());
        mount(side, ctx);
        router.use(prefix, side);
      }

      const v21 = express.Router({ strict: true, caseSensitive: true });
      computeV21DocumentRoute(v21);
      v21.use(projectInPath, auth.require(), projectMatches);
      aggregateRoutes(v21, ctx);
      serviceRoutes(v21, ctx);
      hypervisorRoutes(v21, ctx);
      availabilityZoneRoutes(v21, ctx);
      flavorRoutes(v21, ctx);
      serverRoutes(v21, ctx);
      router.use('/v2.1', v21);
    },
  });
}
