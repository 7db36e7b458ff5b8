import { readFile } from 'fs/promises';
import { NextFunction, Request, Response, Router } from 'express';
import { DialectDeps, buildDialectRouter } from '@rosetta/http';
import { LustreSettings, createSessions } from './auth';
import { lustreErrors } from './errors';
import { PageCache } from './page-cache';
import { ALL_METHODS, Method, ResourceDef, TastypieReply, buildSchema, listMeta, parseFilters, parseOrder, parsePaging, sendReply } from './tastypie';
import { LCtx } from './routes/common';
import { hostResource, lnetConfigurationResource, testHostResource } from './routes/host';
import { filesystemResource, targetResource } from './routes/storage';
import { volumeNodeResource, volumeResource } from './routes/volume';
import { commandResource, jobResource, stepResource } from './routes/command';
import { groupResource, sessionResource } from './routes/session';
import { userResource } from './routes/user';
import { clientMountResource } from './routes/client-mount';
import { copytoolResource } from './routes/copytool';
import { alertSubscriptionResource } from './routes/alert-subscription';
import { registrationTokenResource } from './routes/registration-token';
import { actionResource, miscResources } from './routes/misc';
import { createActionList } from './routes/action';
import { corosyncConfigurationResource, pacemakerConfigurationResource } from './routes/ha-config';
import { logResource } from './routes/log';
import { storageResourceClassResource, storageResourceResource } from './routes/storage-resource';
import { hostProfileResource } from './routes/host-profile';
import { filesystemMetricRoutes, hostMetricRoutes, targetMetricRoutes } from './routes/metric';
import { powerControlDeviceResource, powerControlOutletResource, powerControlTypeResource } from './routes/power';
import { alertResource, alertTypeResource } from './routes/alert';
import { haClusterResource, networkInterfaceResource, nidResource } from './routes/network';

export type { LustreSettings, LustreUser } from './auth';
export type LustreRouterOptions = DialectDeps & {
  lustre: LustreSettings;
  /** PEM file served at /certificate/ (the manager's CA, which clients download before verifying TLS). */
  certificateFile?: string;
};

const WRITERS = new Set(['superusers', 'filesystem_administrators']);

export function createLustreRouter(options: LustreRouterOptions): Router {
  const sessions = createSessions(options.lustre, options.services.clock, options.services.lustreAdmin.users);
  const pages = new PageCache();
  const resources: ResourceDef<LCtx>[] = [
    { ...hostResource, ...hostMetricRoutes },
    lnetConfigurationResource,
    testHostResource,
    volumeResource,
    volumeNodeResource,
    { ...targetResource, ...targetMetricRoutes },
    { ...filesystemResource, ...filesystemMetricRoutes },
    commandResource,
    jobResource,
    stepResource,
    sessionResource,
    userResource,
    groupResource,
    clientMountResource,
    registrationTokenResource,
    copytoolResource,
    alertSubscriptionResource,
    networkInterfaceResource,
    nidResource,
    haClusterResource,
    corosyncConfigurationResource,
    pacemakerConfigurationResource,
    alertResource,
    alertTypeResource,
    hostProfileResource,
    logResource,
    storageResourceResource,
    storageResourceClassResource,
    powerControlTypeResource,
    powerControlDeviceResource,
    powerControlOutletResource,
    ...miscResources,
    { ...actionResource, list: createActionList() },
  ];
  const byName = new Map(resources.map((r) => [r.name, r]));

  /** Tastypie's is_authenticated plus IML's CSRF rule, and DjangoAuthorization for writes. */
  const authorize = (ctx: LCtx, method: Method, resource: string): void => {
    if (method === 'post' && !ctx.sessions.csrfOk(ctx.req)) throw new TastypieReply(401);
    if (resource === 'session') return;
    // Every account may edit itself (the user resource enforces who may change what).
    if (resource === 'user' && method !== 'get') {
      if (!ctx.user) throw new TastypieReply(401);
      return;
    }
    if (method === 'get') {
      if (!ctx.settings.allowAnonymousRead && !ctx.user) throw new TastypieReply(401);
      return;
    }
    if (!ctx.user || !ctx.user.groups.some((g) => WRITERS.has(g))) throw new TastypieReply(401);
  };

  async function dispatch(req: Request, res: Response): Promise<TastypieReply | undefined> {
    const path = req.path;
    const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    if (!path.endsWith('/')) {
      // Django's APPEND_SLASH: a permanent redirect to the slashed URL, query kept.
      return new TastypieReply(301, undefined, { Location: `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}${path}/${query}` });
    }
    const parts = path.split('/').slice(2, -1);
    const ctx: LCtx = { req, res, base: req.baseUrl, services: options.services, sessions, settings: options.lustre, user: await sessions.user(req) };
    const override = req.header('x-http-method-override');
    const method = (override ?? req.method).toLowerCase() as Method;
    const params = new URLSearchParams(query.slice(1));
    if (parts.length === 0) {
      if (method !== 'get') return new TastypieReply(405);
      const top: Record<string, unknown> = {};
      for (const r of [...resources].sort((a, b) => (a.name < b.name ? -1 : 1))) top[r.name] = { list_endpoint: `${ctx.base}/api/${r.name}/`, schema: `${ctx.base}/api/${r.name}/schema/` };
      return new TastypieReply(200, top);
    }
    const resource = byName.get(parts[0]);
    if (!resource) return undefined;
    const allowedReply = (allowed: readonly Method[]): TastypieReply | null => {
      const allow = allowed.map((m) => m.toUpperCase()).join(',');
      if (method === ('options' as Method)) return new TastypieReply(200, allow, { Allow: allow });
      if (!allowed.includes(method) || !ALL_METHODS.includes(method)) return new TastypieReply(405, allow, { Allow: allow });
      return null;
    };
    if (parts.length === 2 && parts[1] === 'schema') {
      const refused = allowedReply(['get']);
      if (refused) return refused;
      authorize(ctx, 'get', resource.name);
      return new TastypieReply(200, buildSchema(resource));
    }
    if (parts.length >= 2 && resource.extra?.[parts[1]]) {
      const extra = resource.extra[parts[1]];
      const refused = allowedReply(extra.allowed);
      if (refused) return refused;
      authorize(ctx, method, resource.name);
      return extra.handle(ctx);
    }
    if (parts.length === 3 && resource.detailExtra?.[parts[2]]) {
      const extra = resource.detailExtra[parts[2]];
      const refused = allowedReply(extra.allowed);
      if (refused) return refused;
      authorize(ctx, method, resource.name);
      return extra.handle(ctx, parts[1]);
    }
    if (parts.length === 3 && parts[1] === 'set') {
      const refused = allowedReply(['get']);
      if (refused) return refused;
      authorize(ctx, 'get', resource.name);
      const objects = [];
      const notFound = [];
      for (const pk of parts[2].split(';')) {
        const found = resource.detail ? await resource.detail(ctx, pk).catch((e) => (e instanceof TastypieReply ? undefined : Promise.reject(e))) : undefined;
        if (found) objects.push(found);
        else notFound.push(pk);
      }
      return new TastypieReply(200, { not_found: notFound, objects });
    }
    if (parts.length === 1) {
      const refused = allowedReply(resource.listAllowed);
      if (refused) return refused;
      authorize(ctx, method, resource.name);
      switch (method) {
        case 'get': {
          if (!resource.list) return new TastypieReply(501);
          const filters = parseFilters(resource, params);
          const order = parseOrder(resource, params);
          const { limit, offset } = parsePaging(params);
          const render = async (): Promise<TastypieReply> => {
            const page = await resource.list!(ctx, { filters, order, limit, offset, params });
            if (resource.rawList) return new TastypieReply(200, page.objects[0]);
            return new TastypieReply(200, { meta: listMeta(`${ctx.base}/api/${resource.name}/`, params, limit, offset, page.total), objects: page.objects });
          };
          return resource.cacheList ? pages.serve(`${ctx.base}/api/${resource.name}/?${params.toString()}`, () => ctx.services.lustre.changeStamp(), render) : render();
        }
        case 'post':
          return resource.post ? resource.post(ctx) : new TastypieReply(501);
        case 'put':
          return resource.putList ? resource.putList(ctx) : new TastypieReply(501);
        case 'patch':
          return resource.patchList ? resource.patchList(ctx) : new TastypieReply(501);
        case 'delete':
          return resource.deleteList ? resource.deleteList(ctx) : new TastypieReply(501);
      }
    }
    const pk = parts.slice(1).join('/');
    const refused = allowedReply(resource.detailAllowed);
    if (refused) return refused;
    authorize(ctx, method, resource.name);
    switch (method) {
      case 'get': {
        const found = resource.detail ? await resource.detail(ctx, pk) : undefined;
        return found === undefined ? new TastypieReply(404) : new TastypieReply(200, found);
      }
      case 'put':
        return resource.put ? resource.put(ctx, pk) : new TastypieReply(501);
      case 'patch':
        return resource.patch ? resource.patch(ctx, pk) : new TastypieReply(501);
      case 'delete':
        return resource.delete ? resource.delete(ctx, pk) : new TastypieReply(501);
      case 'post':
        return new TastypieReply(501);
    }
  }

  return buildDialectRouter({
    name: 'lustre',
    deps: options,
    renderer: lustreErrors,
    routes(router) {
      router.get(['/certificate', '/certificate/'], (req, res, next) => {
        if (!options.certificateFile) return next();
        readFile(options.certificateFile).then(
          (pem) => sendReply(res, new TastypieReply(200, pem.toString('utf8'), { 'Content-Type': 'application/x-x509-ca-cert' })),
          next,
        );
      });
      router.use(sessions.auth.identify());
      router.use((req: Request, res: Response, next: NextFunction) => {
        if (req.path !== '/api' && !req.path.startsWith('/api/')) return next();
        dispatch(req, res).then(
          (reply) => (reply ? sendReply(res, reply) : next()),
          (err: unknown) => (err instanceof TastypieReply ? sendReply(res, err) : next(err)),
        );
      });
    },
  });
}
