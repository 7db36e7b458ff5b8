import { Router } from 'express';
import { DialectDeps, buildDialectRouter, ErrorRenderer } from '@rosetta/http';

export type Eco4CloudRouterOptions = DialectDeps;

// Placeholder until the dialect lands: every path answers 404.
const renderer: ErrorRenderer = {
  render: (err) => ({ status: 400, body: { message: err.message } }),
  internal: () => ({ status: 500, body: { message: 'internal error' } }),
  notFound: () => ({ status: 404, body: { message: 'not found' } }),
};

export function createEco4CloudRouter(options: Eco4CloudRouterOptions): Router {
  return buildDialectRouter({ name: 'eco4cloud', deps: options, renderer, routes: () => undefined });
}
