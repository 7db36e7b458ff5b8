import request from 'supertest';
import { TestDatabase, startTestGateway, vendorLogin } from '@rosetta/testing';
import { Gateway } from './gateway';

describe('control plane: clock and faults', () => {
  let db: TestDatabase;
  let gateway: Gateway;

  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway({ ROSETTA_STEP_SECONDS: '1', ROSETTA_HEKETI_AUTH: 'false' }));
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });
  afterEach(async () => {
    await request(gateway.url).delete('/_rosetta/faults').expect(204);
    await request(gateway.url).post('/_rosetta/clock/real').expect(200);
  });

  it('freezes, advances, resumes and returns to real time, and timestamps follow', async () => {
    const frozen = (await request(gateway.url).post('/_rosetta/clock/freeze').expect(200)).body;
    expect(frozen.frozen).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect((await request(gateway.url).get('/_rosetta/clock').expect(200)).body.now).toBe(frozen.now);
    const later = (await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: '1h30m' }).expect(200)).body;
    expect(Date.parse(later.now) - Date.parse(frozen.now)).toBe(5_400_000);
    const site = await gateway.runtime.services.sites.create({ name: 'clocked' });
    expect(site.createdAt.toISOString()).toBe(later.now);
    const resumed = (await request(gateway.url).post('/_rosetta/clock/resume').expect(200)).body;
    expect(resumed.frozen).toBe(false);
    expect(Date.parse(resumed.now)).toBeGreaterThanOrEqual(Date.parse(later.now));
    const real = (await request(gateway.url).post('/_rosetta/clock/real').expect(200)).body;
    expect(Math.abs(Date.parse(real.now) - Date.now())).toBeLessThan(1000);
    await request(gateway.url).post('/_rosetta/clock/advance').send({ duration: 'soon' }).expect(400);
    await request(gateway.url).post('/_rosetta/clock/advance').send({ seconds: -5 }).expect(400);
  });

  it('a job step waits for the virtual clock', async () => {
    await request(gateway.url).post('/_rosetta/clock/freeze').expect(200);
    const { services } = gateway.runtime;
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-02' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    await new Promise((r) => setTimeout(r, 400));
    expect((await request(gateway.url).get(`/_rosetta/jobs/${job.id}`).expect(200)).body.state).toBe('running');
    await request(gateway.url).post('/_rosetta/clock/advance').send({ seconds: 3 }).expect(200);
    let state = 'running';
    for (let i = 0; i < 100 && state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 30));
      state = (await request(gateway.url).get(`/_rosetta/jobs/${job.id}`)).body.state;
    }
    expect(state).toBe('succeeded');
  });

  it('a counted fault rule fails the next matching vendor requests in the vendor shape, then stops, counting hits', async () => {
    const rule = (
      await request(gateway.url)
        .post('/_rosetta/faults')
        .send({ dialect: 'heketi', method: 'GET', route: '/hello', effect: { type: 'error', code: 'UNAVAILABLE', message: 'injected outage' }, count: 2 })
        .expect(201)
    ).body;
    expect(rule).toMatchObject({ target: 'request', remaining: 2, hits: 0 });
    for (let i = 0; i < 2; i++) {
      const res = await request(gateway.url).get('/heketi/hello');
      expect(res.status).toBeGreaterThanOrEqual(500);
      expect(res.text).toContain('injected outage');
    }
    await request(gateway.url).get('/heketi/hello').expect(200);
    await request(gateway.url).get('/heketi/clusters').expect((res) => expect(res.text).not.toContain('injected outage'));
    expect((await request(gateway.url).get(`/_rosetta/faults/${rule.id}`).expect(200)).body).toMatchObject({ hits: 2, remaining: 0 });
  });

  it('delays requests on the clock, and probability rules fire reproducibly', async () => {
    await request(gateway.url).post('/_rosetta/faults').send({ dialect: 'heketi', route: '/hello', effect: { type: 'delay', ms: 300 } }).expect(201);
    const t0 = Date.now();
    await request(gateway.url).get('/heketi/hello').expect(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
    await request(gateway.url).delete('/_rosetta/faults').expect(204);

    // Jitter: a seeded extra of up to jitterMs on top of ms.
    const jittered = (await request(gateway.url).post('/_rosetta/faults').send({ dialect: 'heketi', route: '/hello', effect: { type: 'delay', ms: 50, jitterMs: 400 }, seed: 'jitter' }).expect(201)).body;
    expect(jittered.effect).toEqual({ type: 'delay', ms: 50, jitterMs: 400 });
    const took: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t = Date.now();
      await request(gateway.url).get('/heketi/hello').expect(200);
      took.push(Date.now() - t);
    }
    expect(Math.min(...took)).toBeGreaterThanOrEqual(45);
    expect(took.reduce((a, b) => a + b, 0)).toBeGreaterThan(4 * 50 + 150);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'delay', ms: 10, jitterMs: -1 } }).expect(400);
    await request(gateway.url).delete('/_rosetta/faults').expect(204);

    const pattern = async (): Promise<number[]> => {
      const rule = (
        await request(gateway.url)
          .post('/_rosetta/faults')
          .send({ dialect: 'heketi', route: '/hello', effect: { type: 'error', code: 'UNAVAILABLE', message: 'flaky' }, probability: 0.5, seed: 'fixed' })
          .expect(201)
      ).body;
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await request(gateway.url).get('/heketi/hello')).status);
      await request(gateway.url).delete(`/_rosetta/faults/${rule.id}`).expect(204);
      return statuses;
    };
    const first = await pattern();
    expect(new Set(first).size).toBe(2);
    expect(await pattern()).toEqual(first);
  });

  it('fails job steps by rule, and drops connections', async () => {
    await request(gateway.url).post('/_rosetta/faults').send({ jobKind: 'vm.*', step: 'power on', effect: { type: 'fail_step', message: 'BMC unreachable' } }).expect(201);
    const { services } = gateway.runtime;
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'batch-01' } }))[0];
    const job = await services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
    let current = await services.jobs.get(job.id);
    for (let i = 0; i < 200 && (current.state === 'queued' || current.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 25));
      current = await services.jobs.get(job.id);
    }
    expect(current).toMatchObject({ state: 'failed', errorMessage: 'BMC unreachable' });

    await request(gateway.url).post('/_rosetta/faults').send({ dialect: 'heketi', route: '/hello', effect: { type: 'drop' }, count: 1 }).expect(201);
    await expect(request(gateway.url).get('/heketi/hello')).rejects.toThrow();
    await request(gateway.url).get('/heketi/hello').expect(200);
  });

  it('domain faults change hosts and devices as hardware would, and the vendor APIs report it', async () => {
    const { services } = gateway.runtime;
    const host = (await services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a2' } }))[0];
    const device = (await services.devices.list({ filter: { field: 'hostId', op: 'eq', value: host.id }, limit: 1 }))[0];
    const hex = (id: string): string => id.replace(/-/g, '');
    await request(gateway.url).post(`/_rosetta/domain-faults/hosts/${host.id}`).send({ state: 'down', power: 'off' }).expect(200);
    expect((await request(gateway.url).get(`/heketi/nodes/${hex(host.id)}`).expect(200)).body.state).toBe('failed');
    await request(gateway.url).post(`/_rosetta/domain-faults/devices/${device.id}`).send({ state: 'failed' }).expect(200);
    expect((await request(gateway.url).get(`/heketi/devices/${hex(device.id)}`).expect(200)).body.state).toBe('failed');
    await request(gateway.url).post(`/_rosetta/domain-faults/hosts/${host.id}`).send({ state: 'up', power: 'on' }).expect(200);
    await request(gateway.url).post(`/_rosetta/domain-faults/devices/${device.id}`).send({ state: 'online' }).expect(200);
    expect((await request(gateway.url).get(`/heketi/nodes/${hex(host.id)}`).expect(200)).body.state).toBe('online');
    await request(gateway.url).post(`/_rosetta/domain-faults/hosts/${host.id}`).send({ state: 'exploded' }).expect(400);
    await request(gateway.url).post(`/_rosetta/domain-faults/hosts/${host.id}`).send({}).expect(400);
    await request(gateway.url).post('/_rosetta/domain-faults/devices/00000000-0000-0000-0000-000000000000').send({ state: 'failed' }).expect(404);
  });

  it('a host marked down is reported by every dialect in its own shape, and recovers in each', async () => {
    const api = () => request(gateway.url);
    const { services } = gateway.runtime;
    const [node] = await services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-b2' } });
    const [oss] = await services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'oss-01' } });
    const [omniToken, novaToken, ticket] = await Promise.all([vendorLogin.omniStack(gateway.url), vendorLogin.keystone(gateway.url), vendorLogin.eco4cloud(gateway.url)]);

    const seen = async () => {
      const omni = (await api().get(`/omnistack/api/hosts/${node.id}`).set('Authorization', `Bearer ${omniToken}`).expect(200)).body.host;
      const nova = (await api().get(`/openstack/compute/v2.1/os-services?host=${node.name}&binary=nova-compute`).set('X-Auth-Token', novaToken).expect(200)).body.services;
      const eco = (await api().get(`/eco4cloud/api/Host/get?name=${node.name}`).set('ticket', ticket).expect(200)).body.Hosts;
      const heketi = (await api().get(`/heketi/nodes/${node.id.replace(/-/g, '')}`).expect(200)).body;
      const alerts = (await api().get(`/lustre/api/alert/?active=true&alert_type=HostOfflineAlert&alert_item_id=${oss.seq}`).expect(200)).body;
      // Eco4Cloud's API writes booleans as strings.
      return { omnistack: omni.state, nova: nova.map((s: { state: string }) => s.state), eco4cloud: eco.map((h: { powered_on: unknown }) => h.powered_on), heketi: heketi.state, lustre: alerts.meta.total_count };
    };
    const healthy = await seen();
    expect(healthy).toEqual({ omnistack: 'ALIVE', nova: ['up'], eco4cloud: ['true'], heketi: 'online', lustre: 0 });

    await api().post(`/_rosetta/domain-faults/hosts/${node.id}`).send({ state: 'down', power: 'off' }).expect(200);
    await api().post(`/_rosetta/domain-faults/hosts/${oss.id}`).send({ state: 'down', power: 'off' }).expect(200);
    expect(await seen()).toEqual({ omnistack: 'FAULTY', nova: ['down'], eco4cloud: ['false'], heketi: 'failed', lustre: 1 });

    await api().post(`/_rosetta/domain-faults/hosts/${node.id}`).send({ state: 'up', power: 'on' }).expect(200);
    await api().post(`/_rosetta/domain-faults/hosts/${oss.id}`).send({ state: 'up', power: 'on' }).expect(200);
    expect(await seen()).toEqual(healthy);
  });

  it('a rule stops firing when its expiry passes on the virtual clock', async () => {
    await request(gateway.url).post('/_rosetta/clock/freeze').expect(200);
    const rule = (
      await request(gateway.url)
        .post('/_rosetta/faults')
        .send({ dialect: 'heketi', route: '/hello', effect: { type: 'error', code: 'UNAVAILABLE', message: 'for one minute' }, expiresInSeconds: 60 })
        .expect(201)
    ).body;
    expect(Date.parse(rule.expiresAt) - Date.parse((await request(gateway.url).get('/_rosetta/clock').expect(200)).body.now)).toBe(60_000);
    expect((await request(gateway.url).get('/heketi/hello')).text).toContain('for one minute');
    await request(gateway.url).post('/_rosetta/clock/advance').send({ seconds: 59 }).expect(200);
    expect((await request(gateway.url).get('/heketi/hello')).text).toContain('for one minute');
    await request(gateway.url).post('/_rosetta/clock/advance').send({ seconds: 1 }).expect(200);
    await request(gateway.url).get('/heketi/hello').expect(200);
    expect((await request(gateway.url).get(`/_rosetta/faults/${rule.id}`).expect(200)).body.hits).toBe(2);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'delay', ms: 1 }, expiresInSeconds: 'soon' }).expect(400);
  });

  it('a full datastore refuses growth with CAPACITY and OmniStack reports no free space, until the fault clears', async () => {
    const { services } = gateway.runtime;
    const vm = (await services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-02' } }))[0];
    const dsId = vm.datastoreId as string;
    const before = await services.datastores.get(dsId);
    const token = await vendorLogin.omniStack(gateway.url);
    const freeSpace = async (): Promise<number> =>
      (await request(gateway.url).get(`/omnistack/api/datastores/${dsId}?show_optional_fields=true`).set('Authorization', `Bearer ${token}`).expect(200)).body.datastore
        .hypervisor_free_space;
    expect(await freeSpace()).toBe(before.capacityBytes - before.usedBytes);

    const full = (await request(gateway.url).post(`/_rosetta/domain-faults/datastores/${dsId}`).send({ full: true }).expect(200)).body;
    expect(full).toMatchObject({ id: dsId, full: true, usedBytes: before.usedBytes, capacityBytes: before.capacityBytes });
    expect(await freeSpace()).toBe(0);
    await request(gateway.url).post('/_rosetta/clock/freeze').expect(200);
    const clone = await services.jobs.start({ kind: 'vm.clone', origin: 'test', input: { vmId: vm.id, name: 'no-room' } });
    let job = clone;
    for (let i = 0; i < 200 && (job.state === 'queued' || job.state === 'running'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      await request(gateway.url).post('/_rosetta/clock/advance').send({ seconds: 5 }).expect(200);
      job = (await request(gateway.url).get(`/_rosetta/jobs/${clone.id}`).expect(200)).body;
    }
    expect(job.state).toBe('failed');
    expect(JSON.stringify(job)).toContain('CAPACITY');
    expect((await services.datastores.get(dsId)).usedBytes).toBe(before.usedBytes);

    await request(gateway.url).post(`/_rosetta/domain-faults/datastores/${dsId}`).send({ full: false }).expect(200);
    expect(await freeSpace()).toBe(before.capacityBytes - before.usedBytes);
    await request(gateway.url).post(`/_rosetta/domain-faults/datastores/${dsId}`).send({ full: 'yes' }).expect(400);
    await request(gateway.url).post(`/_rosetta/domain-faults/datastores/${dsId}`).send({}).expect(400);
    await request(gateway.url).post('/_rosetta/domain-faults/datastores/00000000-0000-0000-0000-000000000000').send({ full: true }).expect(404);
  });

  it('validates rules and never applies faults to the control plane itself', async () => {
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'explode' } }).expect(400);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'fail_step', message: 'x' } }).expect(400);
    await request(gateway.url).post('/_rosetta/faults').send({ jobKind: 'vm.clone', effect: { type: 'drop' } }).expect(400);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'error', code: 'NOPE', message: 'x' } }).expect(400);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'delay', ms: 10 }, probability: 2 }).expect(400);
    await request(gateway.url).post('/_rosetta/faults').send('[1,2]').set('Content-Type', 'application/json').expect(400);
    await request(gateway.url).post('/_rosetta/faults').send({ effect: { type: 'error', code: 'UNAVAILABLE', message: 'everything' } }).expect(201);
    await request(gateway.url).get('/_rosetta/faults').expect(200);
    await request(gateway.url).delete('/_rosetta/faults/00000000-0000-0000-0000-000000000000').expect(404);
  });
});

describe('control plane: Prometheus metrics', () => {
  let db: TestDatabase;
  let gateway: Gateway;
  beforeAll(async () => {
    ({ db, gateway } = await startTestGateway());
  });
  afterAll(async () => {
    await gateway.close();
    await db.drop();
  });

  it('exposes request, job, domain and fault metrics in Prometheus text format', async () => {
    const rule = (await request(gateway.url).post('/_rosetta/faults').send({ dialect: 'heketi', route: '/hello', effect: { type: 'delay', ms: 1 }, count: 3 }).expect(201)).body;
    await request(gateway.url).get('/heketi/hello');
    await request(gateway.url).get('/heketi/no/such/route');
    const vm = (await gateway.runtime.services.vms.list({ limit: 1 }))[0];
    const job = await gateway.runtime.services.jobs.start({ kind: 'vm.power_off', origin: 'test', input: { vmId: vm.id } });
    for (let i = 0; i < 100 && (await gateway.runtime.services.jobs.get(job.id)).state !== 'succeeded'; i++) await new Promise((r) => setTimeout(r, 20));
    const res = await request(gateway.url).get('/_rosetta/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/rosetta_http_requests_total\{dialect="heketi",route="\/hello",method="GET",status="\d+"\} 1/);
    expect(res.text).toMatch(/rosetta_http_requests_total\{dialect="heketi",route="\(unmatched\)",method="GET",status="\d+"\} 1/);
    expect(res.text).toContain('rosetta_http_request_duration_seconds_bucket');
    expect(res.text).toContain('rosetta_domain_objects{kind="hosts"} 9');
    expect(res.text).toContain('rosetta_domain_objects{kind="vms"} 6');
    expect(res.text).toContain('rosetta_jobs{kind="vm.power_off",state="succeeded"} 1');
    expect(res.text).toMatch(/rosetta_device_bytes\{use="free"\} \d+/);
    expect(res.text).toContain(`rosetta_fault_rule_hits{rule="${rule.id}",target="request"} 1`);

    // Queue depth: jobs held by a paused runner count as queued (or running, if already picked up).
    await request(gateway.url).post('/_rosetta/jobs/pause').expect(200);
    try {
      const held = await gateway.runtime.services.jobs.start({ kind: 'vm.power_on', origin: 'test', input: { vmId: vm.id } });
      expect(['queued', 'running']).toContain((await gateway.runtime.services.jobs.get(held.id)).state);
      // The runner may pick the job up between that read and the scrape: either unfinished state counts it.
      const scraped = (await request(gateway.url).get('/_rosetta/metrics').expect(200)).text;
      expect(scraped).toMatch(/rosetta_jobs\{kind="vm\.power_on",state="(queued|running)"\} 1\n/);
      expect(scraped).not.toMatch(/rosetta_jobs\{kind="vm\.power_on",state="succeeded"\} [1-9]/);
    } finally {
      await request(gateway.url).post('/_rosetta/jobs/resume').expect(200);
    }
  });
});
