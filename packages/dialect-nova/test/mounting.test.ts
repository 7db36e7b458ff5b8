import express from 'express';
import request from 'supertest';
import { requestId } from '@rosetta/http';
import { createNovaComputeRouter, createNovaIdentityRouter } from '../src';
import { Harness, SETTINGS, V, startHarness } from './harness';

describe('mounting, shared tokens and hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(undefined);
  });
  afterAll(() => h.close());

  const login = (app: express.Express, path: string, host: string) =>
    request(app)
      .post(path)
      .set('Host', host)
      .send({
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: 'secret' } } },
          scope: { project: { name: 'admin', domain: { name: 'Default' } } },
        },
      });

  it('points the catalog at the compute port when identity is served at the root of its own port', async () => {
    const app = express().use(requestId(), createNovaIdentityRouter({ ...h.rt.deps, ...SETTINGS, computePort: 8774, identityPort: 5000 }));
    const res = await login(app, '/v3/auth/tokens', 'cloud.example:5000');
    expect(res.status).toBe(201);
    const url = (type: string) => res.body.token.catalog.find((s: { type: string }) => s.type === type).endpoints[0].url;
    expect(url('identity')).toBe('http://cloud.example:5000/v3');
    expect(url('compute')).toBe('http://cloud.example:8774/v2.1');
    expect(url('image')).toBe('http://cloud.example:8774/image');
    const root = await request(app).get('/').set('Host', 'cloud.example:5000');
    expect(root.body.versions.values[0].links[0].href).toBe('http://cloud.example:5000/v3/');
  });

  it('points at the shared port when only that serves compute', async () => {
    const app = express().use(requestId(), createNovaIdentityRouter({ ...h.rt.deps, ...SETTINGS, identityPort: 5000, sharedPort: 8080 }));
    const res = await login(app, '/v3/auth/tokens', '[::1]:5000');
    const compute = res.body.token.catalog.find((s: { type: string }) => s.type === 'compute').endpoints[0].url;
    expect(compute).toBe('http://[::1]:8080/openstack/compute/v2.1');
  });

  it('accepts a token issued by another gateway with the same secret', async () => {
    const other = express().use(requestId(), createNovaComputeRouter({ ...h.rt.deps, ...SETTINGS }));
    const res = await request(other).get('/v2.1/os-aggregates').set('X-Auth-Token', h.adminToken);
    expect(res.status).toBe(200);
    const stranger = express().use(requestId(), createNovaComputeRouter({ ...h.rt.deps, ...SETTINGS, tokenSecret: 'another secret' }));
    expect((await request(stranger).get('/v2.1/os-aggregates').set('X-Auth-Token', h.adminToken)).status).toBe(401);
  });

  it('answers oversized and odd bodies in Nova shape, never a 500', async () => {
    const big = await request(h.app)
      .post(`${V}/os-aggregates`)
      .set('X-Auth-Token', h.adminToken)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ aggregate: { name: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(big.status).toBe(413);
    expect(big.body).toEqual({ overLimit: { code: 413, message: 'Request is too large.' } });
    for (const body of ['[]', '"text"', '12', 'null']) {
      const res = await request(h.app).post(`${V}/os-aggregates`).set('X-Auth-Token', h.adminToken).set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body.badRequest.code).toBe(400);
    }
    const form = await request(h.app).post(`${V}/os-aggregates`).set('X-Auth-Token', h.adminToken).type('form').send('name=x');
    expect(form.body).toEqual({ badMediaType: { code: 415, message: 'Unsupported Content-Type' } });
    // Below 2.102 Nova ignores query parameters it does not know.
    const unknown = await request(h.app).get(`${V}/os-aggregates?bogus[x]=1&sort=;drop`).set('X-Auth-Token', h.adminToken);
    expect(unknown.status).toBe(200);
    const badLimit = await request(h.app).get(`${V}/os-hypervisors?limit=abc`).set('X-Auth-Token', h.adminToken).set('X-OpenStack-Nova-API-Version', '2.33');
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.badRequest.code).toBe(400);
  });
});
