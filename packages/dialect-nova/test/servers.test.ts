import request from 'supertest';
import { Harness, V, startHarness } from './harness';
import { NOVA_FIXTURE } from './fixture';

const IMAGE = '3a1f6e3c-5b0e-4f6a-9a53-1d2c6f0e8b21';

describe('servers placed by availability zone, flavors, images, network', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(NOVA_FIXTURE);
  });
  afterAll(() => h.close());

  const as = (token: string) => ({
    get: (path: string, version?: string) => {
      const r = request(h.app).get(`${V}${path}`).set('X-Auth-Token', token);
      return version ? r.set('X-OpenStack-Nova-API-Version', version) : r;
    },
    post: (path: string, body: unknown) => request(h.app).post(`${V}${path}`).set('X-Auth-Token', token).send(body as object),
    delete: (path: string) => request(h.app).delete(`${V}${path}`).set('X-Auth-Token', token),
  });

  const boot = (token: string, extra: Record<string, unknown>) =>
    as(token).post('/servers', { server: { name: 'vm-test', imageRef: IMAGE, flavorRef: '1', ...extra } });

  it('never overfills a host when builds race for it', async () => {
    const agg = await as(h.adminToken).post('/os-aggregates', { aggregate: { name: 'race', availability_zone: 'az-race' } });
    expect((await as(h.adminToken).post(`/os-aggregates/${agg.body.aggregate.id}/action`, { add_host: { host: 'node-b3' } })).status).toBe(200);
    // Runs first, while node-b3 is empty. node-b3 has 512 GiB: two 200 GiB servers fit, the third does not.
    const created = await Promise.all([1, 2, 3].map((i) => boot(h.adminToken, { availability_zone: 'az-race', flavorRef: '7', name: `race-${i}` })));
    await h.rt.jobsIdle();
    const statuses = await Promise.all(created.map(async (c) => (await as(h.adminToken).get(`/servers/${c.body.server.id}`)).body.server.status));
    expect(statuses.sort()).toEqual(['ACTIVE', 'ACTIVE', 'ERROR']);
  });

  it('creates a server in a zone through a job: BUILD, then ACTIVE on a host of that zone', async () => {
    const created = await boot(h.demoToken, { availability_zone: 'az-fast' });
    expect(created.status).toBe(202);
    expect(created.headers['x-openstack-request-id']).toMatch(/^req-/);
    const { id } = created.body.server;
    expect(created.body.server.links[0].href).toMatch(new RegExp(`/openstack/compute/v2\\.1/servers/${id}$`));
    expect(created.headers.location).toBe(created.body.server.links[0].href);
    await h.rt.jobsIdle();
    const shown = await as(h.adminToken).get(`/servers/${id}`);
    expect(shown.status).toBe(200);
    expect(shown.body.server).toMatchObject({
      id,
      name: 'vm-test',
      status: 'ACTIVE',
      'OS-EXT-STS:task_state': null,
      'OS-EXT-AZ:availability_zone': 'az-fast',
      image: { id: IMAGE },
      flavor: { id: '1' },
      metadata: {},
      addresses: {},
    });
    expect(['node-a1', 'node-a2']).toContain(shown.body.server['OS-EXT-SRV-ATTR:host']);
    for (const key of ['id', 'name', 'status', 'image', 'flavor', 'user_id', 'tenant_id', 'created', 'updated', 'metadata', 'links', 'addresses', 'hostId']) {
      expect(shown.body.server).toHaveProperty(key);
    }
    const mine = await as(h.demoToken).get(`/servers/${id}`);
    expect(mine.body.server).not.toHaveProperty('OS-EXT-SRV-ATTR:host');
    // The server is a core VM, visible to every dialect.
    const vm = await h.rt.services.vms.get(id);
    expect(vm.state).toBe('running');
    expect(vm.hostId).not.toBeNull();
  });

  it('lands on the only host of a new zone, and other projects cannot see it', async () => {
    const agg = await as(h.adminToken).post('/os-aggregates', { aggregate: { name: 'solo', availability_zone: 'az-solo' } });
    await as(h.adminToken).post(`/os-aggregates/${agg.body.aggregate.id}/action`, { add_host: { host: 'node-b2' } });
    const created = await boot(h.adminToken, { availability_zone: 'az-solo', name: 'solo-vm' });
    await h.rt.jobsIdle();
    const shown = await as(h.adminToken).get(`/servers/${created.body.server.id}`, '2.47');
    expect(shown.body.server['OS-EXT-SRV-ATTR:host']).toBe('node-b2');
    expect(shown.body.server.flavor).toEqual({ vcpus: 1, ram: 512, disk: 1, ephemeral: 0, swap: 0, original_name: 'm1.tiny', extra_specs: {} });
    expect((await as(h.demoToken).get(`/servers/${created.body.server.id}`)).status).toBe(404);
    const listed = await as(h.adminToken).get('/servers');
    expect(listed.body.servers.map((s: { name: string }) => s.name)).toContain('solo-vm');
    expect((await as(h.demoToken).get('/servers')).body.servers.map((s: { name: string }) => s.name)).not.toContain('solo-vm');
    const all = await as(h.adminToken).get('/servers/detail?all_tenants=1');
    expect(all.body.servers.map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['solo-vm', 'web-01']));
  });

  it('ends in ERROR with Nova\'s fault when no host of the zone has room', async () => {
    const created = await boot(h.adminToken, { availability_zone: 'az-fast', flavorRef: '9', name: 'too-big' });
    expect(created.status).toBe(202);
    await h.rt.jobsIdle();
    const shown = await as(h.adminToken).get(`/servers/${created.body.server.id}`);
    expect(shown.body.server.status).toBe('ERROR');
    expect(shown.body.server.fault).toMatchObject({ code: 500, message: 'No valid host was found. There are not enough hosts available.' });
  });

  it('requires networks from 2.37, as Nova does', async () => {
    const req = (body: object) =>
      request(h.app).post(`${V}/servers`).set('X-Auth-Token', h.demoToken).set('X-OpenStack-Nova-API-Version', '2.37').send({ server: { name: 'n', imageRef: IMAGE, flavorRef: '1', ...body } });
    const missing = await req({});
    expect(missing.status).toBe(400);
    expect(missing.body.badRequest.message).toMatch(/^Invalid input for field\/attribute server\. Value: .*'networks' is a required property$/);
    expect((await req({ networks: 'auto' })).status).toBe(202);
    expect((await req({ networks: 'some' })).status).toBe(400);
  });

  it('refuses unknown zones, flavors and images with 400', async () => {
    expect((await boot(h.demoToken, { availability_zone: 'az-nowhere' })).body).toEqual({
      badRequest: { code: 400, message: 'The requested availability zone is not available' },
    });
    expect((await boot(h.demoToken, { flavorRef: '77' })).body).toEqual({ badRequest: { code: 400, message: 'Invalid flavorRef provided.' } });
    expect((await boot(h.demoToken, { imageRef: '00000000-0000-4000-8000-000000000000' })).status).toBe(400);
    expect((await as(h.demoToken).post('/servers', { server: { imageRef: IMAGE, flavorRef: '1' } })).body).toEqual({
      badRequest: { code: 400, message: "Invalid input for field/attribute server. Value: {'imageRef': '3a1f6e3c-5b0e-4f6a-9a53-1d2c6f0e8b21', 'flavorRef': '1'}. 'name' is a required property" },
    });
  });

  it('lets admins force a host with zone:host, and refuses members', async () => {
    expect((await boot(h.demoToken, { availability_zone: 'nova:node-b3' })).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:servers:create:forced_host to be performed." },
    });
    const created = await boot(h.adminToken, { availability_zone: 'nova:node-b3', name: 'forced' });
    await h.rt.jobsIdle();
    expect((await as(h.adminToken).get(`/servers/${created.body.server.id}`)).body.server['OS-EXT-SRV-ATTR:host']).toBe('node-b3');
  });

  it('stops, starts and reboots through jobs, refusing actions the vm_state does not allow', async () => {
    const created = await boot(h.demoToken, {});
    const { id } = created.body.server;
    await h.rt.jobsIdle();
    const demo = as(h.demoToken);
    const status = async () => (await demo.get(`/servers/${id}`)).body.server.status;
    const act = (body: unknown) => demo.post(`/servers/${id}/action`, body);
    const conflict = (action: string, state: string) => ({
      conflictingRequest: { code: 409, message: `Cannot '${action}' instance ${id} while it is in vm_state ${state}` },
    });

    expect((await act({ 'os-start': null })).body).toEqual(conflict('start', 'active'));
    const stop = await act({ 'os-stop': null });
    expect(stop.status).toBe(202);
    expect(stop.text).toBe('');
    await h.rt.jobsIdle();
    expect(await status()).toBe('SHUTOFF');
    expect((await h.rt.services.vms.get(id)).state).toBe('stopped');
    expect((await act({ 'os-stop': null })).body).toEqual(conflict('stop', 'stopped'));
    expect((await act({ reboot: { type: 'SOFT' } })).body).toEqual(conflict('reboot', 'stopped'));

    expect((await act({ reboot: { type: 'HARD' } })).status).toBe(202);
    await h.rt.jobsIdle();
    expect(await status()).toBe('ACTIVE');
    expect((await act({ 'os-stop': null })).status).toBe(202);
    await h.rt.jobsIdle();
    expect((await act({ 'os-start': null })).status).toBe(202);
    await h.rt.jobsIdle();
    expect(await status()).toBe('ACTIVE');
    expect((await act({ reboot: { type: 'soft' } })).status).toBe(202);
    await h.rt.jobsIdle();
    const jobs = await h.rt.services.jobs.list({ filter: { field: 'origin', op: 'eq', value: 'nova' } });
    expect(jobs.filter((j) => j.input.vmId === id).map((j) => j.kind).sort()).toEqual(
      ['vm.create', 'vm.power_off', 'vm.power_off', 'vm.power_on', 'vm.reboot', 'vm.reboot'].sort(),
    );

    expect((await act({ reboot: { type: 'gentle' } })).body.badRequest.message).toMatch(/^Invalid input for field\/attribute type\. Value: gentle\. 'gentle' is not one of/);
    expect((await act({ reboot: {} })).body.badRequest.message).toBe("Invalid input for field/attribute reboot. Value: {}. 'type' is a required property");
    expect((await act({ pause: null })).body).toEqual({ badRequest: { code: 400, message: 'There is no such action: pause' } });
    expect((await as(h.demoToken).post(`/servers/00000000-0000-0000-0000-000000000000/action`, { 'os-stop': null })).status).toBe(404);
    // Another project's server is not found, as in Nova.
    const other = await boot(h.adminToken, { name: 'admin-own' });
    expect((await demo.post(`/servers/${other.body.server.id}/action`, { 'os-stop': null })).status).toBe(404);
    await h.rt.jobsIdle();
  });

  it('deletes with 204, then 404', async () => {
    const created = await boot(h.demoToken, {});
    await h.rt.jobsIdle();
    const id = created.body.server.id;
    const del = await as(h.demoToken).delete(`/servers/${id}`);
    expect(del.status).toBe(204);
    expect((await as(h.demoToken).get(`/servers/${id}`)).body).toEqual({ itemNotFound: { code: 404, message: `Instance ${id} could not be found.` } });
  });

  it('serves flavors from configuration, with extra specs', async () => {
    const list = await as(h.demoToken).get('/flavors');
    expect(list.body.flavors.map((f: { name: string }) => f.name)).toEqual(['m1.tiny', 'm1.xlarge', 'm1.half', 'm1.huge']);
    const detail = await as(h.demoToken).get('/flavors/detail?minRam=1000');
    expect(detail.body.flavors[0]).toMatchObject({ id: '5', ram: 16384, vcpus: 8, disk: 160, 'os-flavor-access:is_public': true });
    expect((await as(h.demoToken).get('/flavors/5/os-extra_specs')).body).toEqual({ extra_specs: {} });
    expect((await as(h.demoToken).get('/flavors/77')).body).toEqual({ itemNotFound: { code: 404, message: 'Flavor 77 could not be found.' } });
  });

  it('serves a minimal Glance and Neutron beside compute', async () => {
    const versions = await request(h.app).get('/openstack/compute/image/');
    expect(versions.status).toBe(300);
    expect(versions.body.versions[0].links[0].href).toMatch(/\/openstack\/compute\/image\/v2\/$/);
    const byName = await request(h.app).get('/openstack/compute/image/v2/images?name=cirros').set('X-Auth-Token', h.demoToken);
    expect(byName.body.images).toHaveLength(1);
    expect(byName.body.images[0]).toMatchObject({ id: IMAGE, name: 'cirros', status: 'active' });
    expect((await request(h.app).get(`/openstack/compute/image/v2/images/${IMAGE}`).set('X-Auth-Token', h.demoToken)).body.id).toBe(IMAGE);
    expect((await request(h.app).get('/openstack/compute/image/v2/images')).status).toBe(401);
    const azs = await request(h.app).get('/openstack/compute/network/v2.0/availability_zones').set('X-Auth-Token', h.demoToken);
    expect(azs.body.availability_zones[0]).toMatchObject({ resource: 'network', state: 'available' });
  });
});

describe('server build progress on the domain clock', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(NOVA_FIXTURE, undefined, 1);
  });
  afterAll(() => h.close());

  it('shows BUILD while the job runs, then ACTIVE with task_state null', async () => {
    h.rt.clock.freeze();
    const created = await request(h.app)
      .post(`${V}/servers`)
      .set('X-Auth-Token', h.adminToken)
      .send({ server: { name: 'slow', imageRef: IMAGE, flavorRef: '1', availability_zone: 'az-fast' } });
    expect(created.status).toBe(202);
    const show = async () => (await request(h.app).get(`${V}/servers/${created.body.server.id}`).set('X-Auth-Token', h.adminToken)).body.server;
    const building = await show();
    expect(building).toMatchObject({ status: 'BUILD', 'OS-EXT-STS:vm_state': 'building', 'OS-EXT-SRV-ATTR:host': null });
    expect(['scheduling', 'spawning']).toContain(building['OS-EXT-STS:task_state']);
    // Each step sleeps on the frozen clock from when it starts: advance until the build is done.
    let server = building;
    for (let i = 0; i < 40 && server.status === 'BUILD'; i++) {
      h.rt.clock.advance(10_000);
      await new Promise((r) => setTimeout(r, 150));
      server = await show();
    }
    h.rt.clock.reset();
    await h.rt.jobsIdle();
    expect(await show()).toMatchObject({ status: 'ACTIVE', 'OS-EXT-STS:task_state': null });
  });
});
