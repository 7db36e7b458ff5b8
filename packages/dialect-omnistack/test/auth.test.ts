import request from 'supertest';
import { ADMIN, BASIC, Harness, READONLY, harness } from './harness';

describe('OmniStack OAuth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' }, { tokenIdleSeconds: 600, tokenLifetimeSeconds: 86_400 });
  });
  afterAll(() => h.rt.close());

  const token = (client = BASIC, body: Record<string, string> = { grant_type: 'password', ...ADMIN }) =>
    request(h.app).post('/api/oauth/token').set('Authorization', client).set('Accept', 'application/json').type('form').send(body);

  it('issues a bearer token for the simplivity client and password grant', async () => {
    h.rt.clock.freeze();
    const before = h.rt.clock.now().getTime();
    const res = await token();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type', 'updated_at']);
    expect(res.body.access_token).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(res.body).toMatchObject({ token_type: 'bearer', scope: 'read write' });
    expect(res.body.expires_in).toBe(86_399);
    expect(res.body.updated_at).toBe(before);
    // Re-login five minutes later (inside the idle timeout) hands back the same token, five minutes older.
    h.rt.clock.advance(300_000);
    const again = await token();
    expect(again.body.access_token).toBe(res.body.access_token);
    expect(again.body.expires_in).toBe(86_399 - 300);
    expect(again.body.updated_at).toBe(before + 300_000);
    h.rt.clock.unfreeze();
  });

  it('accepts the Go SDK content type with a parameter', async () => {
    const res = await request(h.app)
      .post('/api/oauth/token')
      .set('Authorization', BASIC)
      .set('Content-Type', 'application/x-www-form-urlencoded; param=value')
      .send(`grant_type=password&username=${encodeURIComponent(ADMIN.username)}&password=${ADMIN.password}`);
    expect(res.status).toBe(200);
  });

  it('refuses bad credentials, bad clients and unknown grants in Spring OAuth2 shape', async () => {
    const bad = await token(BASIC, { grant_type: 'password', username: ADMIN.username, password: 'wrong' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'invalid_grant', error_description: 'Invalid credentials' });
    const noClient = await request(h.app).post('/api/oauth/token').type('form').send({ grant_type: 'password', ...ADMIN });
    expect(noClient.status).toBe(401);
    expect(noClient.body.error).toBe('unauthorized');
    const wrongClient = await token(`Basic ${Buffer.from('other:secret').toString('base64')}`);
    expect(wrongClient.status).toBe(401);
    expect(wrongClient.body).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
    const grant = await token(BASIC, { grant_type: 'client_credentials' });
    expect(grant.status).toBe(400);
    expect(grant.body).toEqual({ error: 'unsupported_grant_type', error_description: 'Unsupported grant type: client_credentials' });
    const emergencyAsPassword = await token(BASIC, { grant_type: 'password', username: 'svtcli', password: 'svtpassword' });
    expect(emergencyAsPassword.status).toBe(400);
  });

  it('serves /api/version without auth', async () => {
    const res = await request(h.app).get('/api/version');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ REST_API_Version: '1.25', SVTFS_Version: '5.3.1.132' });
  });

  it('answers a missing token with the Spring-style 401', async () => {
    h.rt.clock.freeze();
    const res = await request(h.app).get('/api/backups');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      timestamp: h.rt.clock.now().getTime(),
      status: 401,
      error: 'Unauthorized',
      exception: 'com.simplivity.restapi.exceptions.SvtExceptions$UnauthorizedException',
      message: 'Unauthorized',
      path: '/api/backups',
    });
    h.rt.clock.unfreeze();
  });

  it('expires tokens after 10 idle minutes with the exact invalid_token body', async () => {
    const t = await h.login();
    h.rt.clock.advance(599_000);
    expect((await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    h.rt.clock.advance(599_000);
    expect((await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    h.rt.clock.advance(600_000);
    const res = await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${t}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', message: `Access token expired due to inactivity: ${t}` });
    const again = await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${t}`);
    expect(again.body).toEqual({ error: 'invalid_token', message: `Invalid access token: ${t}` });
  });

  it('expires tokens after 24 hours even when in use', async () => {
    const t = await h.login();
    // Used every 9 minutes, so never idle: it still dies when its 24 hours are up.
    for (let minutes = 9; minutes < 24 * 60; minutes += 9) {
      h.rt.clock.advance(9 * 60_000);
      const ok = await request(h.app).get('/api/policies?limit=1').set('Authorization', `Bearer ${t}`);
      expect(ok.status).toBe(200);
    }
    h.rt.clock.advance(9 * 60_000);
    const res = await request(h.app).get('/api/policies').set('Authorization', `Bearer ${t}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_token', message: `Access token expired: ${t}` });
  });

  it('re-login hands back the live token, revoke kills it', async () => {
    const a = await h.login();
    const b = await h.login();
    expect(b).toBe(a);
    const revoke = await request(h.app).get('/api/oauth/revoke').set('Authorization', `Bearer ${a}`);
    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe('');
    const after = await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${a}`);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: 'invalid_token', message: `Invalid access token: ${a}` });
    expect(await h.login()).not.toBe(a);
  });

  it('tokens work on another gateway sharing the database', async () => {
    const t = await h.login();
    const { createOmniStackRouter } = await import('../src');
    const { dialectApp } = await import('@rosetta/testing');
    const other = dialectApp(createOmniStackRouter({ ...h.rt.deps }), '/omnistack');
    const res = await request(other).get('/omnistack/api/hosts?limit=1').set('Authorization', `Bearer ${t}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBeGreaterThan(0);
  });

  it('refuses a token revoked on another gateway there within TOKEN_RECHECK_MS, and at once on its own', async () => {
    const t = await h.login();
    const { createOmniStackRouter } = await import('../src');
    const { dialectApp } = await import('@rosetta/testing');
    const { RandomIds, TOKEN_RECHECK_MS, createServices } = await import('@rosetta/core');
    // A second gateway: its own services (and so its own token cache) over the same database.
    const services = createServices({ store: h.rt.store, clock: h.rt.clock, ids: new RandomIds(), queue: { enqueue: async () => undefined } as never, stepScale: 0 });
    const other = dialectApp(createOmniStackRouter({ ...h.rt.deps, services }), '/');
    expect((await request(other).get('/api/hosts?limit=1').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    expect((await request(h.app).get('/api/oauth/revoke').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    expect((await request(h.app).get('/api/hosts?limit=1').set('Authorization', `Bearer ${t}`)).status).toBe(401);
    await new Promise((r) => setTimeout(r, TOKEN_RECHECK_MS + 50));
    const late = await request(other).get('/api/hosts?limit=1').set('Authorization', `Bearer ${t}`);
    expect(late.status).toBe(401);
    expect(late.body).toEqual({ error: 'invalid_token', message: `Invalid access token: ${t}` });
  });

  it('lets a read-only user GET but not mutate', async () => {
    const t = await h.login(READONLY);
    const vms = await request(h.app).get('/api/virtual_machines').set('Authorization', `Bearer ${t}`);
    expect(vms.status).toBe(200);
    const vmId = vms.body.virtual_machines[0].id;
    const res = await request(h.app).post(`/api/virtual_machines/${vmId}/backup`).set('Authorization', `Bearer ${t}`).send({ backup_name: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ exception: 'com.simplivity.restapi.exceptions.PermissionDeniedException', status: '400', path: `/api/virtual_machines/${vmId}/backup` });
    expect(await h.rt.services.backups.count()).toBe(0);
  });

  it('restricts emergency tokens to reads of the five collections and restore', async () => {
    const res = await request(h.app).post('/api/oauth/token').set('Authorization', BASIC).type('form').send({ grant_type: 'emergency', username: 'svtcli', password: 'svtpassword' });
    expect(res.status).toBe(200);
    const t = res.body.access_token;
    expect((await request(h.app).get('/api/hosts').set('Authorization', `Bearer ${t}`)).status).toBe(200);
    expect((await request(h.app).get('/api/policies').set('Authorization', `Bearer ${t}`)).status).toBe(400);
  });
});
