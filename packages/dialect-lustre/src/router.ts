import { Router } from 'express';
import { DialectDeps, buildDialectRouter, ErrorRenderer } from '@rosetta/http';

export type LustreRouterOptions = DialectDeps;

// Placeholder until the dialect lands: every path answers 404.
const renderer: ErrorRenderer = {
  render: (err) => ({ status: 400, body: { message: err.message } }),
  internal: () => ({ status: 500, body: { message: 'internal error' } }),
  notFound: () => ({ status: 404, body: { message: 'not found' } }),
};

export function createLustreRouter(options: LustreRouterOptions): Router {
  return buildDialectRouter({ name: 'lustre', deps: options, renderer, routes: () => undefined });
}
