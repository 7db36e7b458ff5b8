import express from 'express';
import request from 'supertest';
import { REVOCATION_REFRESH_MS, createTokenRevocationService } from '@rosetta/core';
import { requestId } from '@rosetta/http';
import { createNovaComputeRouter } from '../src';
import { Harness, SETTINGS, startHarness } from './harness';

describe('Keystone v3 subset', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(undefined);
  });
  afterAll(() => h.close());

  const passwordBody = (user: Record<string, unknown>, scope?: unknown) => ({
    auth: { identity: { methods: ['password'], password: { user } }, ...(scope === undefined ? {} : { scope }) },
  });

  it('GET / answers 300 with the v3 version', async () => {
    const res = await request(h.app).get('/openstack/identity/').set('Host', 'cloud.example:8080');
    expect(res.status).toBe(300);
    expect(res.body).toEqual({
      versions: {
        values: [
          {
            id: 'v3.14',
            status: 'stable',
            updated: '2020-04-07T00:00:00Z',
            links: [{ rel: 'self', href: 'http://cloud.example:8080/openstack/identity/v3/' }],
            'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
          },
        ],
      },
    });
  });

  it('GET /v3 answers the version document without a token', async () => {
    const res = await request(h.app).get('/openstack/identity/v3');
    expect(res.status).toBe(200);
    expect(res.body.version.id).toBe('v3.14');
    expect(res.body.version.links[0].href).toMatch(/\/openstack\/identity\/v3\/$/);
  });

  it('password auth by names returns 201, X-Subject-Token and a catalog pointing at this gateway', async () => {
    const res = await request(h.app)
      .post('/openstack/identity/v3/auth/tokens')
      .set('Host', 'cloud.example:8080')
      .send(passwordBody({ name: 'admin', domain: { name: 'Default' }, password: 'secret' }, { project: { name: 'admin', domain: { name: 'Default' } } }));
    expect(res.status).toBe(201);
    expect(res.headers['x-subject-token']).toMatch(/\S{40,}/);
    const { token } = res.body;
    expect(token.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(new Date(token.expires_at).getTime() - new Date(token.issued_at).getTime()).toBe(SETTINGS.tokenTtlSeconds * 1000);
    expect(token.user).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' }, password_expires_at: null });
    expect(token.project).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(token.project.id).toMatch(/^[0-9a-f]{32}$/);
    expect(token.roles.map((r: { name: string }) => r.name).sort()).toEqual(['admin', 'member', 'reader']);
    const compute = token.catalog.find((s: { type: string }) => s.type === 'compute');
    expect(compute.endpoints.map((e: { interface: string }) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    for (const e of compute.endpoints) {
      expect(e).toMatchObject({ region: 'RegionOne', region_id: 'RegionOne', url: 'http://cloud.example:8080/openstack/compute/v2.1' });
    }
    const identity = token.catalog.find((s: { type: string }) => s.type === 'identity');
    expect(identity.endpoints[0].url).toBe('http://cloud.example:8080/openstack/identity/v3');
    expect(token.catalog.map((s: { type: string }) => s.type).sort()).toEqual(['compute', 'identity', 'image', 'network']);
  });

  it('accepts user and project by id, and unscoped requests', async () => {
    const first = await request(h.app)
      .post('/openstack/identity/v3/auth/tokens')
      .send(passwordBody({ name: 'demo', domain: { id: 'default' }, password: 'secret' }, { project: { name: 'demo', domain: { id: 'default' } } }));
    expect(first.status).toBe(201);
    const { user, project } = first.body.token;
    const byId = await request(h.app)
      .post('/openstack/identity/v3/auth/tokens')
      .send(passwordBody({ id: user.id, password: 'secret' }, { project: { id: project.id } }));
    expect(byId.status).toBe(201);
    expect(byId.body.token.project.id).toBe(project.id);
    const unscoped = await request(h.app).post('/openstack/identity/v3/auth/tokens').send(passwordBody({ id: user.id, password: 'secret' }));
    expect(unscoped.status).toBe(201);
    expect(unscoped.body.token.project).toBeUndefined();
    expect(unscoped.body.token.catalog).toBeUndefined();
    const system = await request(h.app)
      .post('/openstack/identity/v3/auth/tokens')
      .send(passwordBody({ id: user.id, password: 'secret' }, { system: { all: true } }));
    expect(system.status).toBe(201);
    expect(system.body.token.system).toEqual({ all: true });
  });

  it.each([
    ['wrong password', { name: 'admin', domain: { name: 'Default' }, password: 'nope' }, undefined],
    ['unknown user', { name: 'ghost', domain: { name: 'Default' }, password: 'secret' }, undefined],
    ['other domain', { name: 'admin', domain: { name: 'Other' }, password: 'secret' }, undefined],
    ['project not a member of', { name: 'demo', domain: { name: 'Default' }, password: 'secret' }, { project: { name: 'admin', domain: { name: 'Default' } } }],
  ])('refuses %s with the keystone 401', async (_label, user, scope) => {
    const res = await request(h.app).post('/openstack/identity/v3/auth/tokens').send(passwordBody(user, scope));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    expect(res.headers['x-subject-token']).toBeUndefined();
    expect(res.headers['www-authenticate']).toMatch(/^Keystone uri="http:\/\/[^"]+\/openstack\/identity"$/);
  });

  it('lists the projects a token may scope to', async () => {
    const res = await request(h.app).get('/openstack/identity/v3/auth/projects').set('X-Auth-Token', h.demoToken);
    expect(res.status).toBe(200);
    expect(res.body.projects).toEqual([expect.objectContaining({ name: 'demo', domain_id: 'default', enabled: true })]);
    expect((await request(h.app).get('/openstack/identity/v3/auth/projects')).status).toBe(401);
  });

  it('answers malformed bodies with a keystone 400', async () => {
    const broken = await request(h.app).post('/openstack/identity/v3/auth/tokens').set('Content-Type', 'application/json').send('{"auth":');
    expect(broken.status).toBe(400);
    expect(broken.body.error).toMatchObject({ code: 400, title: 'Bad Request' });
    const missing = await request(h.app).post('/openstack/identity/v3/auth/tokens').send({ nope: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/^Expecting to find auth in request body\./);
  });

  it('validates tokens with GET /v3/auth/tokens and expires them on the domain clock', async () => {
    const ok = await request(h.app).get('/openstack/identity/v3/auth/tokens').set('X-Auth-Token', h.adminToken).set('X-Subject-Token', h.demoToken);
    expect(ok.status).toBe(200);
    expect(ok.body.token.user.name).toBe('demo');
    const compute = () => request(h.app).get('/openstack/compute/v2.1/flavors').set('X-Auth-Token', h.demoToken);
    expect((await compute()).status).toBe(200);
    h.rt.clock.advance(SETTINGS.tokenTtlSeconds * 1000 + 1000);
    try {
      const expired = await compute();
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    } finally {
      h.rt.clock.reset();
    }
  });

  it('revokes tokens with DELETE /v3/auth/tokens: the owner or an admin, on every gateway of the database', async () => {
    const login = async (user: string) =>
      (await request(h.app).post('/openstack/identity/v3/auth/tokens').send(passwordBody({ name: user, domain: { name: 'Default' }, password: 'secret' }, { project: { name: user, domain: { name: 'Default' } } })))
        .headers['x-subject-token'] as string;
    const [victim, bystander, admin] = [await login('demo'), await login('demo'), await login('admin')];
    // A second gateway: its own routers and its own revocation cache, the same database.
    const other = express().use(requestId(), createNovaComputeRouter({ ...h.rt.deps, ...SETTINGS, services: { ...h.rt.services, revocations: createTokenRevocationService({ store: h.rt.store, clock: h.rt.clock }) } }));
    const otherFlavors = () => request(other).get('/v2.1/flavors').set('X-Auth-Token', victim);
    expect((await otherFlavors()).status).toBe(200);
    const revoke = (caller: string, subject: string) => request(h.app).delete('/openstack/identity/v3/auth/tokens').set('X-Auth-Token', caller).set('X-Subject-Token', subject);

    const refused = await revoke(victim, admin);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ error: { code: 403, title: 'Forbidden', message: 'You are not authorized to perform the requested action: identity:revoke_token.' } });
    const done = await revoke(bystander, victim);
    expect(done.status).toBe(204);
    expect(done.text).toBe('');

    const flavors = await request(h.app).get('/openstack/compute/v2.1/flavors').set('X-Auth-Token', victim);
    expect(flavors.status).toBe(401);
    expect(flavors.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: 'The request you have made requires authentication.' } });
    const check = await request(h.app).get('/openstack/identity/v3/auth/tokens').set('X-Auth-Token', admin).set('X-Subject-Token', victim);
    expect(check.status).toBe(404);
    expect(check.body.error.message).toBe(`Could not find token: ${victim.slice(0, 16)}.`);
    expect((await revoke(admin, victim)).status).toBe(404);
    const rescoped = await request(h.app).post('/openstack/identity/v3/auth/tokens').send({ auth: { identity: { methods: ['token'], token: { id: victim } } } });
    expect(rescoped.status).toBe(401);
    // The other gateway learns of it within its refresh period; tokens of the same user stay valid.
    await new Promise((r) => setTimeout(r, REVOCATION_REFRESH_MS + 50));
    expect((await otherFlavors()).status).toBe(401);
    expect((await request(other).get('/v2.1/flavors').set('X-Auth-Token', bystander)).status).toBe(200);
    expect((await revoke(admin, bystander)).status).toBe(204);
    expect((await request(h.app).get('/openstack/compute/v2.1/flavors').set('X-Auth-Token', bystander)).status).toBe(401);
  });

  it('rejects forged tokens', async () => {
    const [payload] = h.adminToken.split('.');
    const res = await request(h.app).get('/openstack/compute/v2.1/os-aggregates').set('X-Auth-Token', `${payload}.AAAA`);
    expect(res.status).toBe(401);
  });
});
