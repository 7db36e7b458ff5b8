import { Request, Response, Router } from 'express';
import { OmniStackSettings } from '../settings';
import { REALM, basicClient, checkUser, isSimplivityClient, principalOf } from '../auth';
import { sendJson } from '../wire';
import { RouteContext } from './context';

/** Spring OAuth2's token endpoint errors: `{error, error_description}`. */
const oauthError = (res: Response, status: number, error: string, description: string, headers: Record<string, string> = {}): void => {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  sendJson(res, status, { error, error_description: description });
};

const form = (req: Request): Record<string, unknown> => (req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {});
const field = (body: Record<string, unknown>, name: string): string | undefined => (typeof body[name] === 'string' ? (body[name] as string) : undefined);

export function oauthRoutes(router: Router, ctx: RouteContext, settings: OmniStackSettings): void {
  const { services } = ctx;

  router.post('/api/oauth/token', async (req, res) => {
    const client = basicClient(req);
    if (!client) {
      return oauthError(res, 401, 'unauthorized', 'Full authentication is required to access this resource', { 'WWW-Authenticate': 'Basic realm="oauth2/client"' });
    }
    if (!isSimplivityClient(client)) return oauthError(res, 401, 'invalid_client', 'Bad client credentials', { 'WWW-Authenticate': 'Basic realm="oauth2/client"' });
    // Spring also reads the grant from the query string; the form wins when both are present.
    const body = { ...(req.query as Record<string, unknown>), ...form(req) };
    const grant = field(body, 'grant_type');
    if (!grant) return oauthError(res, 400, 'invalid_request', 'Missing grant type');
    if (grant !== 'password' && grant !== 'emergency') return oauthError(res, 400, 'unsupported_grant_type', `Unsupported grant type: ${grant}`);
    const user = checkUser(settings, field(body, 'username') ?? '', field(body, 'password') ?? '', grant);
    if (!user) return oauthError(res, 400, 'invalid_grant', 'Invalid credentials');
    const token = await services.accessTokens.issue({
      realm: REALM,
      subject: user.name,
      principal: principalOf(user),
      idleSeconds: settings.tokenIdleSeconds,
      lifetimeSeconds: settings.tokenLifetimeSeconds,
      reuse: true,
    });
    const now = services.clock.now().getTime();
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    sendJson(res, 200, {
      access_token: token.id,
      token_type: 'bearer',
      // Whole seconds left, as Spring counts them: 86399 for a token issued this instant.
      expires_in: Math.max(0, Math.floor((token.expiresAt.getTime() - now - 1) / 1000)),
      scope: 'read write',
      updated_at: token.lastUsedAt.getTime(),
    });
  });

  /** Revocation answers 200 with no body, known token or not (HPE documents GET; any method works). */
  router.all('/api/oauth/revoke', async (req, res) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    if (m) await services.accessTokens.revoke(REALM, m[1]);
    res.status(200).end();
  });

  router.get('/api/version', (_req, res) => {
    sendJson(res, 200, { REST_API_Version: settings.restApiVersion, SVTFS_Version: settings.svtfsVersion });
  });
}
