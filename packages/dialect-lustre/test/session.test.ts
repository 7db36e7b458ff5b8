import request from 'supertest';
import { cookieMap, login, lustreApp } from './helpers';

describe('session, CSRF and permissions', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  beforeAll(async () => {
    env = await lustreApp();
  });
  afterAll(async () => env.rt.close());

  it('GET /api/session/ answers anonymously and sets both cookies', async () => {
    const res = await request(env.app).get('/lustre/api/session/');
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"read_enabled": true, "resource_uri": "/lustre/api/session/", "user": null}');
    const cookies = cookieMap(res.headers['set-cookie']);
    expect(cookies.csrftoken).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(cookies.sessionid).toBeTruthy();
  });

  it('refuses a POST without a matching X-CSRFToken with an empty 401', async () => {
    const res = await request(env.app).post('/lustre/api/session/').set('Cookie', 'csrftoken=abc').send({ username: 'admin', password: 'lustre' });
    expect(res.status).toBe(401);
    expect(res.text).toBe('');
  });

  it('answers missing fields and bad credentials in IML shapes', async () => {
    const s = cookieMap((await request(env.app).get('/lustre/api/session/')).headers['set-cookie']);
    const post = (body: object) =>
      request(env.app).post('/lustre/api/session/').set('Cookie', `csrftoken=${s.csrftoken}; sessionid=${s.sessionid}`).set('X-CSRFToken', s.csrftoken).send(body);
    const missing = await post({});
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ password: ['This field is mandatory'], username: ['This field is mandatory'] });
    const bad = await post({ username: 'admin', password: 'nope' });
    expect(bad.status).toBe(403);
    expect(bad.body).toEqual({ __all__: 'Authentication Failed.' });
  });

  it('logs in (201, Location, rotated cookies with the same csrftoken) and shows the user', async () => {
    const first = cookieMap((await request(env.app).get('/lustre/api/session/')).headers['set-cookie']);
    const { res, cookie } = await login(env.app);
    expect(res.status).toBe(201);
    expect(res.text).toBe('');
    expect(res.headers.location).toMatch(/\/lustre\/api\/session\/$/);
    const after = cookieMap(res.headers['set-cookie']);
    expect(after.sessionid).toBeTruthy();
    expect(after.sessionid).not.toBe(first.sessionid);
    const me = await request(env.app).get('/lustre/api/session/').set('Cookie', `${cookie}; csrftoken=${after.csrftoken}`);
    expect(me.body.user).toMatchObject({ username: 'admin', is_superuser: true, groups: [{ id: 1, name: 'superusers', resource_uri: '/lustre/api/group/1/' }] });
    const users = await request(env.app).get('/lustre/api/user/').set('Cookie', cookie);
    expect(users.body.meta.total_count).toBe(2);
    const anonymousUsers = await request(env.app).get('/lustre/api/user/');
    expect(anonymousUsers.body.objects).toEqual([]);
    const logout = await request(env.app).delete('/lustre/api/session/').set('Cookie', cookie);
    expect(logout.status).toBe(204);
    const gone = cookieMap(logout.headers['set-cookie']);
    const again = await request(env.app).get('/lustre/api/session/').set('Cookie', `sessionid=${gone.sessionid}`);
    expect(again.body.user).toBeNull();
  });

  it('refuses writes from anonymous callers and read-only groups with an empty 401', async () => {
    const anon = await request(env.app).put('/lustre/api/filesystem/1/').send({ state: 'stopped' });
    expect(anon.status).toBe(401);
    expect(anon.text).toBe('');
    const { cookie } = await login(env.app, 'viewer', 'look');
    const viewer = await request(env.app).put('/lustre/api/host/1/').set('Cookie', cookie).send({ state: 'removed' });
    expect(viewer.status).toBe(401);
  });

  it('ignores forged and expired sessions', async () => {
    const { cookie } = await login(env.app);
    const forged = cookie.replace(/sessionid=([^.;]+)\.[^;]+/, 'sessionid=$1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect((await request(env.app).get('/lustre/api/session/').set('Cookie', forged)).body.user).toBeNull();
    env.rt.clock.advance(3601 * 1000);
    expect((await request(env.app).get('/lustre/api/session/').set('Cookie', cookie)).body.user).toBeNull();
  });

  it('tolerates duplicate cookie names as clients send them', async () => {
    const { csrf, cookie } = await login(env.app);
    const res = await request(env.app)
      .post('/lustre/api/test_host/')
      .set('Cookie', `${cookie}; csrftoken=${csrf}`)
      .set('X-CSRFToken', csrf)
      .send({ address: 'newserver01' });
    expect(res.status).toBe(202);
  });
});

describe('anonymous read disabled', () => {
  it('answers anonymous GETs with 401', async () => {
    const env = await lustreApp({ anonymousRead: false });
    try {
      expect((await request(env.app).get('/lustre/api/host/')).status).toBe(401);
      expect((await request(env.app).get('/lustre/api/session/')).body.read_enabled).toBe(false);
      const { cookie } = await login(env.app);
      expect((await request(env.app).get('/lustre/api/host/').set('Cookie', cookie)).status).toBe(200);
    } finally {
      await env.rt.close();
    }
  });
});
