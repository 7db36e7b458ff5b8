import { NextFunction, Request, Response } from 'express';
import { Authenticator } from 'passport';
import { Strategy } from 'passport-strategy';
import { CoreError, Principal } from '@rosetta/core';

/**
 * How a dialect recognises its callers: returns the principal, or null when the request
 * carries no credentials at all; throws a CoreError for credentials that are wrong.
 */
export type Authenticate = (req: Request) => Promise<Principal | null>;

class SchemeStrategy extends Strategy {
  constructor(
    public readonly name: string,
    private readonly authenticateRequest: Authenticate,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    // No credentials: pass the request on anonymous; `require()` decides whether that is allowed.
    this.authenticateRequest(req).then(
      (principal) => (principal ? this.success(principal) : this.pass()),
      (err: unknown) => this.error(err as Error),
    );
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface DialectAuth {
  /** Sets req.principal when credentials are present and valid; passes anonymous requests on. */
  identify(): (req: Request, res: Response, next: NextFunction) => void;
  /** Refuses anonymous requests with UNAUTHENTICATED. */
  require(): (req: Request, res: Response, next: NextFunction) => void;
}

/** passport wiring shared by every dialect: one strategy per vendor scheme, no sessions. */
export function dialectAuth(name: string, authenticate: Authenticate): DialectAuth {
  const passport = new Authenticator();
  passport.use(new SchemeStrategy(name, authenticate));
  // Built once, not per request: passport puts the principal on req.principal; errors go to next(err).
  const identify = passport.authenticate(name, { session: false, assignProperty: 'principal', authInfo: false }) as (req: Request, res: Response, next: NextFunction) => void;
  const require = (req: Request, res: Response, next: NextFunction): void =>
    identify(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (!req.principal) return next(new CoreError('UNAUTHENTICATED', 'authentication required', { reason: 'missing_credentials' }));
      next();
    });
  return { identify: () => identify, require: () => require };
}

/** Read-only principals may GET and HEAD, nothing else. */
export function requireWriter(req: Request, _res: Response, next: NextFunction): void {
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.principal?.readOnly) {
    return next(new CoreError('PERMISSION_DENIED', `${req.principal.name} may not modify`, { reason: 'read_only' }));
  }
  next();
}
