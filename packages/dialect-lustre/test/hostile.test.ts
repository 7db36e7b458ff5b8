import request from 'supertest';
import { login, lustreApp } from './helpers';

describe('hostile and malformed input', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  it.each([
    '/lustre/api/host/?fqdn=%00',
    '/lustre/api/host/?fqdn__startswith=%25%5C_',
    '/lustre/api/host/?id=99999999999999999999999',
    '/lustre/api/host/?limit=99999999999999999999',
    '/lustre/api/host/?order_by=',
    '/lustre/api/host/?id__in=',
    '/lustre/api/target/?filesystem_id=abc',
    '/lustre/api/target/?host_id=1%27%20OR%201=1',
    '/lustre/api/volume_node/?host=x&path=%00',
    '/lustre/api/command/?created_at__gte=not-a-date',
    '/lustre/api/job/99999999999999999999/',
    '/lustre/api/step/?id__in=1,abc',
    '/lustre/api/host/set/abc;1/',
    '/lustre/api/filesystem/?name=' + 'x'.repeat(5000),
  ])('answers %s without a 500', async (url) => {
    const res = await request(env.app).get(url);
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toMatch(/at .*\.ts:\d+/);
  });

  it('answers malformed JSON and non-object bodies in Tastypie shape', async () => {
    const bad = await request(env.app)
      .post('/lustre/api/filesystem/')
      .set('Cookie', auth.cookie)
      .set('X-CSRFToken', auth.csrf)
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'Request is not valid JSON.' });
    const list = await request(env.app).put('/lustre/api/filesystem/1/').set('Cookie', auth.cookie).set('Content-Type', 'application/json').send('[1,2]');
    expect(list.status).toBeLessThan(500);
    const wrongTypes = await request(env.app)
      .post('/lustre/api/filesystem/')
      .set('Cookie', auth.cookie)
      .set('X-CSRFToken', auth.csrf)
      .send({ name: { a: 1 }, mgt: 'x', mdts: 7, osts: [null], conf_params: {} });
    expect(wrongTypes.status).toBe(400);
    expect(Object.keys(wrongTypes.body).sort()).toEqual(['mdts', 'mgt', 'name', 'osts']);
  });

  it('answers hostile bulk target and alert writes in Tastypie shapes', async () => {
    const send = (method: 'patch' | 'put', url: string, body: string) =>
      request(env.app)[method](url).set('Cookie', auth.cookie).set('Content-Type', 'application/json').send(body);
    expect((await send('patch', '/lustre/api/target/', '[1,2]')).body).toEqual({ error: 'Request is not valid JSON.' });
    expect((await send('patch', '/lustre/api/target/', '{"objects": ')).body).toEqual({ error: 'Request is not valid JSON.' });
    expect((await send('patch', '/lustre/api/target/', '{"objects": "x"}')).body).toEqual({ error: 'Invalid data sent.' });
    expect((await send('patch', '/lustre/api/target/', '{"objects": [{"id": 1}]}')).body).toEqual({ error: 'Invalid data sent.' });
    const nulls = await send('patch', '/lustre/api/target/', '{"objects": [null, 7]}');
    expect(nulls.status).toBe(400);
    expect(Object.keys(nulls.body)).toEqual(['kind']);
    const huge = await send('patch', '/lustre/api/target/', '{"objects": [{"kind": "OST", "volume_id": 1e400, "filesystem_id": "1; DROP TABLE targets"}]}');
    expect(huge.status).toBe(400);
    const alert = (await request(env.app).get('/lustre/api/alert/?limit=1')).body.objects[0];
    expect((await send('patch', alert.resource_uri, '{"dismissed": {"$ne": 1}}')).status).toBe(400);
    expect((await send('put', alert.resource_uri, '"dismissed"')).body).toEqual({ error: 'Request is not valid JSON.' });
    expect((await send('patch', '/lustre/api/alert/abc/', '{"dismissed": true}')).status).toBe(404);
    const get = await request(env.app).get('/lustre/api/alert/dismiss_all/');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('PUT');
  });

  it('refuses a state PUT with a non-string state', async () => {
    const res = await request(env.app).put('/lustre/api/lnet_configuration/1/').set('Cookie', auth.cookie).send({ state: { $ne: 1 } });
    expect(res.status).toBe(400);
    expect(res.body.state).toMatch(/not legal state/);
  });
});

describe('NUL bytes', () => {
  it('are a mismatched type in filters and bodies, never a database error', async () => {
    const env = await lustreApp();
    try {
      const auth = await login(env.app);
      const filter = await request(env.app).get('/lustre/api/host/?fqdn=a%00b');
      expect(filter.status).toBe(400);
      expect(filter.body).toEqual({ error: 'Invalid resource lookup data provided (mismatched type).' });
      const body = await request(env.app).post('/lustre/api/host/').set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).send({ address: 'a\u0000b' });
      expect(body.status).toBe(400);
    } finally {
      await env.rt.close();
    }
  });
});

describe('deeply nested bodies', () => {
  it('answers without a 500', async () => {
    const env = await lustreApp();
    try {
      const auth = await login(env.app);
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const res = await request(env.app)
        .post('/lustre/api/filesystem/')
        .set('Cookie', auth.cookie)
        .set('X-CSRFToken', auth.csrf)
        .set('Content-Type', 'application/json')
        .send(`{"name": "x", "mgt": ${deep}, "mdts": [], "osts": [], "conf_params": {}}`);
      expect(res.status).toBeLessThan(500);
    } finally {
      await env.rt.close();
    }
  });
});
