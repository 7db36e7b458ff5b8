import express, { NextFunction, Request, Response, Router } from 'express';
import { CoreError } from '@rosetta/core';
import { DialectDeps, buildDialectRouter, requireWriter } from '@rosetta/http';
import { TicketSettings, createTickets, eco4CloudAuth } from './auth';
import { eco4CloudErrors } from './errors';
import { decodeBody } from './parse';
import { login } from './routes/login';
import { getEntities, setEntities } from './routes/entities';

export type Eco4CloudRouterOptions = DialectDeps & TicketSettings;

const wrongMethod = (allowed: string) => (req: Request, _res: Response, next: NextFunction) =>
  next(new CoreError('VALIDATION', `${req.method} is not allowed here: use ${allowed}`, { reason: 'method_not_allowed' }));

/** Every path segment of the API is matched case-insensitively, as the appliance does. */
const segment = (expected: string) => (req: Request, _res: Response, next: NextFunction) =>
  String(req.params.action ?? req.params.call).toLowerCase() === expected ? next() : next('route');

export function createEco4CloudRouter(options: Eco4CloudRouterOptions): Router {
  const { services } = options;
  const tickets = createTickets(options, services.clock);
  const auth = eco4CloudAuth(tickets);
  return buildDialectRouter({
    name: 'eco4cloud',
    deps: options,
    renderer: eco4CloudErrors,
    ownBodyParsing: true,
    routes(router) {
      // Bodies as text: decodeBody tells a JSON document from a form whatever the content type says.
      router.use(express.text({ type: () => true, limit: options.bodyLimitBytes }), (req, _res, next) => {
        req.body = decodeBody(req.body, req.header('content-type'));
        next();
      });
      router.get('/:api/:call', apiRoot, segment('login'), login(tickets));
      router.post('/:api/:call', apiRoot, segment('login'), login(tickets));
      router.all('/:api/:call', apiRoot, segment('login'), wrongMethod('GET or POST'));

      router.get('/:api/:entity/:action', apiRoot, segment('get'), auth.require(), getEntities(services));
      router.post('/:api/:entity/:action', apiRoot, segment('set'), auth.require(), requireWriter, setEntities(services));
      router.all('/:api/:entity/:action', apiRoot, segment('get'), wrongMethod('GET'));
      router.all('/:api/:entity/:action', apiRoot, segment('set'), wrongMethod('POST'));
    },
  });
}

function apiRoot(req: Request, _res: Response, next: NextFunction): void {
  next(String(req.params.api).toLowerCase() === 'api' ? undefined : 'route');
}
