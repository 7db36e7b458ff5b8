import { NextFunction, Request, Response, Router } from 'express';
import { CoreError } from '@rosetta/core';
import { DialectDeps, buildDialectRouter } from '@rosetta/http';
import { createRenderer } from './errors';
import { omnistackAuth, privileges } from './auth';
import { ignoreBodies } from './media';
import { DEFAULT_SETTINGS, OmniStackSettings } from './settings';
import { routeContext } from './routes/context';
import { oauthRoutes } from './routes/oauth';
import { virtualMachineRoutes } from './routes/virtual-machines';
import { hostRoutes } from './routes/hosts';
import { clusterRoutes } from './routes/clusters';
import { datastoreRoutes } from './routes/datastores';
import { backupRoutes } from './routes/backups';
import { policyRoutes } from './routes/policies';
import { taskRoutes } from './routes/tasks';
import { clusterGroupRoutes } from './routes/cluster-groups';
import { certificateRoutes } from './routes/certificates';
import { externalStoreRoutes } from './routes/external-stores';

export type { OmniStackSettings, OmniStackUser } from './settings';

export interface OmniStackRouterOptions extends DialectDeps {
  /** Users, token expiry and media-type strictness; HPE's defaults where absent. */
  settings?: Partial<OmniStackSettings>;
}

/**
 * HPE's Python SDK sends absolute-form request targets (https://host/api/...) and PowerShell
 * posts to /api/policies/ with a trailing slash: both route as the plain path.
 */
function canonicalUrl(req: Request, _res: Response, next: NextFunction): void {
  let url = req.url;
  // Express trims its mount path from an absolute-form URL by length, mangling it: start again from the original.
  if (/^https?:\/\//i.test(req.originalUrl)) {
    const parsed = new URL(req.originalUrl);
    const path = parsed.pathname.startsWith(req.baseUrl) ? parsed.pathname.slice(req.baseUrl.length) || '/' : parsed.pathname;
    url = path + parsed.search;
  }
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') || '/' : path;
  req.url = trimmed + (q < 0 ? '' : url.slice(q));
  next();
}

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}

/** A known path asked with a method it lacks: Spring's 405 with Allow, not a 404. */
function methodNotAllowed(router: Router) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const allowed = new Set<string>();
    for (const layer of router.stack as unknown as RouteLayer[]) {
      if (layer.route && layer.match(req.path)) for (const m of Object.keys(layer.route.methods)) if (m !== '_all') allowed.add(m.toUpperCase());
    }
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    next(new CoreError('VALIDATION', `Request method '${req.method}' not supported`, { reason: 'method_not_allowed', name: [...allowed].sort().join(', ') }));
  };
}

export function createOmniStackRouter(options: OmniStackRouterOptions): Router {
  const settings: OmniStackSettings = { ...DEFAULT_SETTINGS, ...(options.settings ?? {}) };
  const { services } = options;
  const ctx = routeContext(services, settings);
  const auth = omnistackAuth(services);
  const dialect = buildDialectRouter({
    name: 'omnistack',
    deps: options,
    renderer: createRenderer(() => services.clock.now().getTime()),
    routes(router) {
      router.use(ignoreBodies());
      oauthRoutes(router, ctx, settings);
      router.use('/api', auth.require(), privileges());
      virtualMachineRoutes(router, ctx);
      hostRoutes(router, ctx);
      clusterRoutes(router, ctx);
      datastoreRoutes(router, ctx);
      backupRoutes(router, ctx);
      policyRoutes(router, ctx);
      taskRoutes(router, ctx);
      clusterGroupRoutes(router, ctx);
      certificateRoutes(router, ctx);
      externalStoreRoutes(router, ctx);
      router.use(methodNotAllowed(router));
    },
  });
  // A router works out the scheme-and-host part of an absolute URL once, on entry: the URL must be
  // a plain path before the dialect router sees it, or its mount trimming cuts in the wrong place.
  const outer = Router();
  outer.use(canonicalUrl, dialect);
  return outer;
}
