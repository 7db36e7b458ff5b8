import http from 'http';
import type { Express } from 'express';

export interface ExpressServerOptions {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

const made = new WeakMap<Express, ExpressServerOptions>();

/**
 * Server options under which every request and response is born with the app's own prototypes.
 *
 * Express 5 re-prototypes each req and res (`Object.setPrototypeOf(req, app.request)`). After that
 * V8 no longer shares hidden-class transitions between requests, so every property middleware adds
 * later (req.params, req.baseUrl, req.principal, passport's helpers, ...) builds a new map: about
 * 2 us each, which on this gateway cost more than everything else a request does. Objects built
 * from a class whose prototype already is app.request make that setPrototypeOf a no-op.
 *
 * Pass the result to http.createServer / https.createServer together with the app. Calling it
 * again for the same app returns the same classes.
 */
export function expressServerOptions(app: Express): ExpressServerOptions {
  const known = made.get(app);
  if (known) return known;
  class Request extends http.IncomingMessage {}
  class Response extends http.ServerResponse {}
  Object.setPrototypeOf(Request.prototype, app.request);
  Object.setPrototypeOf(Response.prototype, app.response);
  // Everything express reads through app.request (req.app, req.get, the getters) is still found
  // one level further up; mounted sub-apps chain their prototypes to these as they would before.
  (app as { request: unknown }).request = Request.prototype;
  (app as { response: unknown }).response = Response.prototype;
  const options = { IncomingMessage: Request, ServerResponse: Response as typeof http.ServerResponse };
  made.set(app, options);
  return options;
}
