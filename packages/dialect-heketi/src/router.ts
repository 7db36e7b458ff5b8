import express, { NextFunction, Request, Response, Router } from 'express';
import { CoreError } from '@rosetta/core';
import { DialectDeps, buildDialectRouter } from '@rosetta/http';
import { heketiAuth } from './auth';
import { Handler, HeketiContext, HeketiSettings, Params, RouteTable } from './context';
import { renderer } from './errors';
import { publicPath, sendEmpty, sendRedirect } from './reply';
import { adminRoutes } from './routes/admin';
import { blockVolumeRoutes } from './routes/blockvolumes';
import { brickRoutes } from './routes/bricks';
import { clusterRoutes } from './routes/clusters';
import { dbRoutes } from './routes/db';
import { deviceRoutes } from './routes/devices';
import { metricsHandler } from './routes/metrics';
import { nodeRoutes } from './routes/nodes';
import { operationRoutes } from './routes/operations';
import { queueRoutes } from './routes/queue';
import { volumeRoutes } from './routes/volumes';

export type { HeketiSettings } from './context';

export interface HeketiRouterOptions extends DialectDeps {
  settings: HeketiSettings;
}

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/**
 * Heketi's gorilla/mux router with StrictSlash: ids are hex only, a path that exists under
 * another method is 405 with an empty body, a trailing slash is 301 to the path without it.
 */
class HeketiRoutes implements RouteTable {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const source = path.replace(/:(\w+)/g, (_m, name: string) => {
      names.push(name);
      return '([A-Fa-f0-9]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
  }

  private matching(path: string): { route: Route; params: Params }[] {
    return this.routes.flatMap((route) => {
      const m = route.pattern.exec(path);
      return m ? [{ route, params: Object.fromEntries(route.names.map((n, i) => [n, m[i + 1]])) }] : [];
    });
  }

  dispatch() {
    return (req: Request, res: Response, next: NextFunction): void => {
      const path = req.path;
      const hits = this.matching(path);
      const hit = hits.find((h) => h.route.method === req.method);
      if (hit) {
        hit.route.handler(req, res, hit.params).catch(next);
        return;
      }
      if (hits.length) return sendEmpty(res, 405);
      if (path.length > 1 && path.endsWith('/')) {
        const trimmed = path.slice(0, -1);
        const alternatives = this.matching(trimmed);
        if (alternatives.some((h) => h.route.method === req.method)) {
          const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
          return sendRedirect(req, res, `${publicPath(req, trimmed)}${query}`, 301);
        }
        if (alternatives.length) return sendEmpty(res, 405);
      }
      next();
    };
  }
}

/** Admin state (server/admin/http.go), checked after auth and before routing. */
function adminGate(ctx: HeketiContext) {
  const local = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
  return (req: Request, _res: Response, next: NextFunction): void => {
    const reading = req.method === 'GET' || req.method === 'HEAD';
    const refused =
      (ctx.admin.state === 'read-only' && !reading) ||
      (ctx.admin.state === 'local-client' && !reading && !local.has(req.socket.remoteAddress ?? ''));
    next(refused ? new CoreError('UNAVAILABLE', 'maintenance', { reason: 'maintenance' }) : undefined);
  };
}

/**
 * Heketi's main.go composition: GET /hello and /metrics open; everything else through JWT,
 * the user/admin check, the admin state, the app routes, then "Invalid path or request".
 */
export function createHeketiRouter(options: HeketiRouterOptions): Router {
  const ctx: HeketiContext = {
    services: options.services,
    settings: options.settings,
    admin: { state: options.settings.defaultState },
    logLevel: { glusterfs: 'info' },
  };
  const table = new HeketiRoutes();
  clusterRoutes(table, ctx);
  nodeRoutes(table, ctx);
  deviceRoutes(table, ctx);
  volumeRoutes(table, ctx);
  blockVolumeRoutes(table, ctx);
  brickRoutes(table, ctx);
  dbRoutes(table, ctx);
  queueRoutes(table, ctx);
  operationRoutes(table, ctx);
  adminRoutes(table, ctx);

  return buildDialectRouter({
    name: 'heketi',
    deps: options,
    renderer,
    // Heketi reads every body itself whatever its Content-Type (ioutil.ReadAll + json.Unmarshal).
    ownBodyParsing: true,
    routes(router) {
      // The outer router's GET-only routes: other methods (HEAD, OPTIONS, POST) fall through to auth and 404.
      router.use((req, res, next) => {
        if (req.method !== 'GET') return next();
        if (req.path === '/metrics') return void metricsHandler(ctx, req, res).catch(next);
        if (req.path !== '/hello') return next();
        res.status(200).setHeader('Content-Type', 'text/plain; charset=UTF-8');
        res.setHeader('Content-Length', '17');
        res.end('Hello from Heketi');
      });
      if (options.settings.auth) router.use(...heketiAuth(options.settings, options.services.clock));
      router.use(adminGate(ctx));
      router.use(express.raw({ type: () => true, limit: options.bodyLimitBytes }));
      router.use(table.dispatch());
    },
  });
}
