import { Router } from 'express';
import { DialectDeps, buildDialectRouter, ErrorRenderer } from '@rosetta/http';

export type OmniStackRouterOptions = DialectDeps;

// Placeholder until the dialect lands: every path answers 404.
const renderer: ErrorRenderer = {
  render: (err) => ({ status: 400, body: { message: err.message } }),
  internal: () => ({ status: 500, body: { message: 'internal error' } }),
  notFound: () => ({ status: 404, body: { message: 'not found' } }),
};

export function createOmniStackRouter(options: OmniStackRouterOptions): Router {
  return buildDialectRouter({ name: 'omnistack', deps: options, renderer, routes: () => undefined });
}
