// The example of packages/testing/README.md: how an outside test suite uses Rosetta.
import { ControlApiError, Rosetta, startRosetta } from '@rosetta/testing';

describe('a test suite with Rosetta in-process', () => {
  let rosetta: Rosetta;

  beforeAll(async () => {
    // A random port, an embedded PostgreSQL of its own, jobs in-process: no Redis, no DATABASE_URL.
    rosetta = await startRosetta({ fixture: 'demo', env: { ROSETTA_HEKETI_AUTH: 'false' } });
  }, 60_000);
  afterAll(() => rosetta.stop());
  // Every test starts from the demo topology, with no fault rules and real time.
  beforeEach(async () => {
    await rosetta.control.reset('demo');
    await rosetta.control.clock.real();
  });

  it('serves every dialect under its own base URL', async () => {
    expect(Object.keys(rosetta.urls).sort()).toEqual(['eco4cloud', 'heketi', 'lustre', 'nova-compute', 'nova-identity', 'omnistack']);
    expect(rosetta.urls.heketi).toBe(`${rosetta.url}/heketi`);
    expect(rosetta.entries['nova-identity']).toBe(`${rosetta.url}/openstack/identity/v3`);
    const hello = await fetch(`${rosetta.urls.heketi}/hello`);
    expect(await hello.text()).toBe('Hello from Heketi');
    const clusters = (await (await fetch(`${rosetta.urls.heketi}/clusters`)).json()) as { clusters: string[] };
    expect(clusters.clusters).toHaveLength((await rosetta.services.clusters.count()));
  });

  it('fails the next two Heketi volume creates, then lets the third through', async () => {
    const rule = await rosetta.control.faults.add({
      dialect: 'heketi',
      method: 'POST',
      route: '/volumes',
      effect: { type: 'error', code: 'UNAVAILABLE', message: 'no space left' },
      count: 2,
    });
    const create = () => fetch(`${rosetta.urls.heketi}/volumes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ size: 1 }) });
    for (let i = 0; i < 2; i++) {
      const res = await create();
      expect(res.status).toBe(500); // Heketi answers every server-side failure with 500 and a text body
      expect(await res.text()).toContain('no space left');
    }
    const accepted = await create();
    expect(accepted.status).toBe(202);
    const jobs = await rosetta.control.jobs.list({ kind: 'volume.create' });
    expect(jobs.total).toBe(1);
    expect((await rosetta.control.jobs.wait(jobs.items[0].id)).state).toBe('succeeded');
    expect((await rosetta.control.faults.get(rule.id)).hits).toBe(2);
  });

  it('expires an Eco4Cloud ticket when the clock is advanced past its 60 minutes', async () => {
    await rosetta.control.clock.freeze();
    const login = await fetch(`${rosetta.urls.eco4cloud}/api/Login?username=admin&password=admin`);
    const { ticket } = (await login.json()) as { ticket: string };
    const farms = async () => (await fetch(`${rosetta.urls.eco4cloud}/api/Farm/get`, { headers: { ticket } })).json();
    expect(await farms()).toHaveProperty('Farms');
    const clock = await rosetta.control.clock.advance('61m');
    expect(clock.frozen).toBe(true);
    expect(await farms()).toEqual({ result: 'error', error: 'ticket expired: login again' });
  });

  it('expires an OmniStack token after 10 idle minutes of virtual time', async () => {
    await rosetta.control.clock.freeze();
    const login = await fetch(`${rosetta.urls.omnistack}/api/oauth/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from('simplivity:').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=password&username=administrator%40vsphere.local&password=svtpassword',
    });
    const { access_token: token } = (await login.json()) as { access_token: string };
    const hosts = () => fetch(`${rosetta.urls.omnistack}/api/hosts`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await hosts()).status).toBe(200);
    await rosetta.control.clock.advance('9m');
    expect((await hosts()).status).toBe(200); // use restarts the idle timer
    await rosetta.control.clock.advance('10m');
    const expired = await hosts();
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'invalid_token', message: `Access token expired due to inactivity: ${token}` });
  });

  it('saves and restores a snapshot, fault rules and clock included', async () => {
    const frozen = await rosetta.control.clock.freeze();
    await rosetta.control.faults.add({ dialect: 'heketi', route: '/hello', effect: { type: 'delay', ms: 1 } });
    await rosetta.control.snapshots.save('baseline', { replace: true });
    const site = await rosetta.services.sites.create({ name: 'scratch' });
    await rosetta.control.faults.clear();
    await rosetta.control.clock.advance('2h');
    await rosetta.control.snapshots.restore('baseline');
    await expect(rosetta.control.object('sites', site.id)).rejects.toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await rosetta.control.faults.list()).toHaveLength(1);
    expect((await rosetta.control.clock.get()).now).toBe(frozen.now);
  });

  it('reports control-plane refusals as ControlApiError with the core error code', async () => {
    const err = await rosetta.control.snapshots.restore('no-such-snapshot').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ControlApiError);
    expect(err).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    await expect(rosetta.control.clock.advance('soon')).rejects.toMatchObject({ status: 400, code: 'VALIDATION' });
  });
});
