import request from 'supertest';
import pino from 'pino';
import { loadConfig } from '@rosetta/config';
import { TestDatabase, createTestDatabase } from '@rosetta/testing';
import { Gateway, startGateway } from './gateway';

const silent = pino({ level: 'silent' });

describe('gateway', () => {
  let db: TestDatabase;
  let gateway: Gateway | undefined;

  const start = (env: Record<string, string> = {}): Promise<Gateway> =>
    startGateway(loadConfig({ DATABASE_URL: db.url, PORT: '0', ROSETTA_FIXTURE: 'demo', ROSETTA_STEP_SECONDS: '0', ROSETTA_BODY_LIMIT: '2048', ...env }), silent);

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });
  afterAll(() => db.drop());

  it('answers health once ready, with the demo topology loaded', async () => {
    gateway = await start();
    await request(gateway.url).get('/_rosetta/health').expect(200, { status: 'ok' });
    const hosts = await request(gateway.url).get('/_rosetta/objects/hosts?limit=100').expect(200);
    expect(hosts.body.total).toBe(9);
    expect(Object.keys(gateway.urls).sort()).toEqual(['eco4cloud', 'heketi', 'lustre', 'nova-compute', 'nova-identity', 'omnistack']);
    // The request journal's ring holds 10,000 entries unless ROSETTA_JOURNAL_SIZE says otherwise.
    expect((await request(gateway.url).get('/_rosetta/journal?limit=1').expect(200)).body.size).toBe(10_000);
  });

  it('gives malformed JSON, oversized bodies and unknown routes a clear 4xx, never a 500', async () => {
    gateway = await start();
    const bad = await request(gateway.url).post('/_rosetta/reset').set('Content-Type', 'application/json').send('{"fixture": ').expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION', details: { reason: 'malformed_json' } });
    const big = await request(gateway.url)
      .post('/_rosetta/fixture')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ sites: [{ name: 'x'.repeat(5000) }] }))
      .expect(413);
    expect(big.body.error.details.reason).toBe('body_too_large');
    const unknown = await request(gateway.url).get('/no/such/thing').expect(404);
    expect(unknown.headers['content-type']).toMatch(/json/);
    await request(gateway.url).get('/_rosetta/objects/nonsense').expect(404);
    await request(gateway.url).get('/_rosetta/jobs?state=exploded').expect(400);
    await request(gateway.url).get('/_rosetta/jobs?limit=abc').expect(400);
    const invalid = await request(gateway.url).post('/_rosetta/fixture').send({ sites: [{ name: 3, clusters: 'x' }], bogus: 1 }).expect(400);
    expect(invalid.body.error.details.fields).toEqual(
      expect.arrayContaining([
        { field: '$.bogus', problem: 'is not a fixture field' },
        { field: '$.sites[0].name', problem: 'must be a non-empty string' },
        { field: '$.sites[0].clusters', problem: 'must be an array' },
      ]),
    );
  });

  it('keeps every object and job across a restart on the same database', async () => {
    gateway = await start();
    const { services } = gateway.runtime;
    const site = await services.sites.create({ name: 'restart-site' });
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-01' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    await gateway.close();
    gateway = await start();
    const again = gateway.runtime.services;
    expect((await again.sites.get(site.id)).name).toBe('restart-site');
    expect(await again.hosts.count()).toBe(9);
    const end = Date.now() + 10_000;
    let state = (await again.jobs.get(job.id)).state;
    while (state !== 'succeeded' && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      state = (await again.jobs.get(job.id)).state;
    }
    expect(state).toBe('succeeded');
    expect((await again.vms.get(vm.id)).state).toBe('stopped');
  });

  it('resets to empty and reloads the demo fixture with the same ids', async () => {
    gateway = await start();
    const before = (await request(gateway.url).get('/_rosetta/objects/hosts?name=node-a1').expect(200)).body.items[0];
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'empty' }).expect(200);
    expect((await request(gateway.url).get('/_rosetta/objects/hosts').expect(200)).body.total).toBe(0);
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'demo' }).expect(200);
    const after = (await request(gateway.url).get('/_rosetta/objects/hosts?name=node-a1').expect(200)).body.items[0];
    expect(after.id).toBe(before.id);
    expect(after.seq).toBe(before.seq);
    // 'default' is the fixture the gateway was started with (ROSETTA_FIXTURE: demo here).
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'empty' }).expect(200);
    expect((await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'default' }).expect(200)).body).toMatchObject({ fixture: 'demo', loaded: { hosts: 9 } });
    expect((await request(gateway.url).get('/_rosetta/objects/hosts?name=node-a1').expect(200)).body.items[0].id).toBe(before.id);
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'no-such-fixture' }).expect(404);
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 3 }).expect(400);
  });

  it('requires the admin token on the control plane when one is configured', async () => {
    gateway = await start({ ROSETTA_ADMIN_TOKEN: 's3cret' });
    await request(gateway.url).get('/_rosetta/health').expect(200);
    await request(gateway.url).get('/_rosetta/jobs').expect(401);
    await request(gateway.url).get('/_rosetta/jobs').set('Authorization', 'Bearer s3cret').expect(200);
  });

  it('without an admin token, opens the control plane to loopback callers only; the dialects stay open', async () => {
    const os = await import('os');
    // A caller from a non-loopback address: listen on this machine's own LAN address and call it.
    const lan = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!lan) throw new Error('this test needs a non-loopback IPv4 interface');
    gateway = await start({ HOST: lan, ROSETTA_HEKETI_AUTH: 'false' });
    expect(gateway.url).toBe(`http://${lan}:${new URL(gateway.url).port}`);
    const refused = await request(gateway.url).get('/_rosetta/jobs').expect(403);
    expect(refused.body.error).toMatchObject({ code: 'PERMISSION_DENIED', details: { reason: 'not_loopback' } });
    const hosts = await gateway.runtime.services.hosts.count();
    expect(hosts).toBeGreaterThan(0);
    await request(gateway.url).post('/_rosetta/reset').send({ fixture: 'empty' }).expect(403);
    expect(await gateway.runtime.services.hosts.count()).toBe(hosts);
    await request(gateway.url).get('/_rosetta/health').expect(200);
    await request(gateway.url).get('/heketi/hello').expect(200);
  });

  it('serves a dialect on its own port at the root, and over TLS when asked', async () => {
    const net = await import('net');
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as import('net').AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    gateway = await start({ ROSETTA_HEKETI_PORT: String(free), ROSETTA_TLS: 'true', ROSETTA_DATA_DIR: `/tmp/rosetta-tls-${process.pid}` });
    expect(gateway.url).toMatch(/^https:/);
    expect(gateway.urls.heketi[1]).toBe(`https://127.0.0.1:${free}/hello`);
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      await request(gateway.url).get('/_rosetta/health').trustLocalhost().expect(200);
      const own = await request(`https://127.0.0.1:${free}`).get('/hello').trustLocalhost();
      expect(own.status).toBeLessThan(500);
    } finally {
      delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    }
  });
});
