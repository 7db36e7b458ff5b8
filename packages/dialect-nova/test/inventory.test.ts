import request from 'supertest';
import { Harness, V, startHarness } from './harness';
import { NOVA_FIXTURE } from './fixture';

describe('os-services, os-hypervisors, os-availability-zone', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(NOVA_FIXTURE);
  });
  afterAll(() => h.close());

  const get = (path: string, version?: string, token = h.adminToken) => {
    const req = request(h.app).get(`${V}${path}`).set('X-Auth-Token', token);
    return version ? req.set('X-OpenStack-Nova-API-Version', version) : req;
  };
  const put = (path: string, body: unknown, version?: string) => {
    const req = request(h.app).put(`${V}${path}`).set('X-Auth-Token', h.adminToken);
    if (version) req.set('X-OpenStack-Nova-API-Version', version);
    return req.send(body as object);
  };

  it('lists one nova-compute service per core host, with the zone from aggregates', async () => {
    const res = await get('/os-services?binary=nova-compute');
    expect(res.status).toBe(200);
    expect(res.body.services.map((s: { host: string }) => s.host)).toEqual(['node-a1', 'node-a2', 'node-a3', 'node-b1', 'node-b2', 'node-b3']);
    const a1 = res.body.services[0];
    expect(Object.keys(a1).sort()).toEqual(['binary', 'disabled_reason', 'host', 'id', 'state', 'status', 'updated_at', 'zone']);
    expect(a1).toMatchObject({ binary: 'nova-compute', zone: 'az-fast', state: 'up', status: 'enabled', disabled_reason: null, id: expect.any(Number) });
    expect(res.body.services[3].zone).toBe('nova');
    expect((await get('/os-services?binary=nova-scheduler')).body.services).toEqual([]);
    expect((await get('/os-services?host=node-b2')).body.services).toHaveLength(1);
    const v253 = await get('/os-services', '2.53');
    expect(v253.body.services[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(v253.body.services[0].forced_down).toBe(false);
    expect((await get('/os-services', undefined, h.demoToken)).body).toEqual({
      forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-services:list to be performed." },
    });
  });

  it('disable/enable with a reason map to host maintenance, and force-down to a down host', async () => {
    const disabled = await put('/os-services/disable-log-reason', { host: 'node-b3', binary: 'nova-compute', disabled_reason: 'fan' });
    expect(disabled.body).toEqual({ service: { host: 'node-b3', binary: 'nova-compute', status: 'disabled', disabled_reason: 'fan' } });
    const host = (await h.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-b3' } }))[0];
    expect(host.state).toBe('maintenance');
    const listed = (await get('/os-services?host=node-b3')).body.services[0];
    expect(listed).toMatchObject({ status: 'disabled', disabled_reason: 'fan', state: 'up' });
    expect((await put('/os-services/enable', { host: 'node-b3', binary: 'nova-compute' })).body.service.status).toBe('enabled');
    const unknown = await put('/os-services/disable', { host: 'ghost', binary: 'nova-compute' });
    expect(unknown.status).toBe(404);
    const forced = await put('/os-services/force-down', { host: 'node-b3', binary: 'nova-compute', forced_down: true }, '2.11');
    expect(forced.body).toEqual({ service: { host: 'node-b3', binary: 'nova-compute', forced_down: true } });
    expect((await get('/os-services?host=node-b3', '2.11')).body.services[0]).toMatchObject({ state: 'down', forced_down: true });
    const v253 = (await get('/os-services?host=node-b3', '2.53')).body.services[0];
    const up = await put(`/os-services/${v253.id}`, { forced_down: false }, '2.53');
    expect(up.status).toBe(200);
    expect(up.body.service).toMatchObject({ id: v253.id, state: 'up', forced_down: false, status: 'enabled' });
    const bad = await put('/os-services/not-a-uuid', { status: 'enabled' }, '2.53');
    expect(bad.body).toEqual({ badRequest: { code: 400, message: 'Invalid uuid not-a-uuid' } });
  });

  it('hypervisor list and detail follow the microversion', async () => {
    const list = await get('/os-hypervisors');
    expect(list.body.hypervisors[0]).toEqual({ id: expect.any(Number), hypervisor_hostname: 'node-a1', state: 'up', status: 'enabled' });
    const detail = await get('/os-hypervisors/detail');
    const a1 = detail.body.hypervisors[0];
    expect(Object.keys(a1).sort()).toEqual(
      [
        'cpu_info', 'current_workload', 'disk_available_least', 'free_disk_gb', 'free_ram_mb', 'host_ip', 'hypervisor_hostname', 'hypervisor_type',
        'hypervisor_version', 'id', 'local_gb', 'local_gb_used', 'memory_mb', 'memory_mb_used', 'running_vms', 'service', 'state', 'status', 'vcpus', 'vcpus_used',
      ].sort(),
    );
    expect(typeof a1.cpu_info).toBe('string');
    expect(a1).toMatchObject({ vcpus: 32, vcpus_used: 10, memory_mb: 384 * 1024, memory_mb_used: 4096 + 32768, running_vms: 2, local_gb: 2048 });
    expect(a1.service).toEqual({ host: 'node-a1', id: a1.id, disabled_reason: null });
    expect(typeof (await get('/os-hypervisors/detail', '2.28')).body.hypervisors[0].cpu_info).toBe('object');
    const v253 = (await get('/os-hypervisors/detail', '2.53')).body.hypervisors[0];
    expect(v253.id).toMatch(/^[0-9a-f-]{36}$/);
    const v288 = (await get('/os-hypervisors/detail', '2.88')).body.hypervisors[0];
    expect(v288).not.toHaveProperty('vcpus');
    expect(v288.uptime).toMatch(/ up \d+ days/);
  });

  it('cached hypervisor and aggregate lists follow writes made through any service', async () => {
    const a1 = () => get('/os-hypervisors/detail').then((r) => r.body.hypervisors.find((hv: { hypervisor_hostname: string }) => hv.hypervisor_hostname === 'node-a1'));
    const before = await a1();
    expect(await a1()).toEqual(before);
    const host = (await h.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a1' } }))[0];
    const [vm] = await h.rt.services.vms.list({ filter: { field: 'hostId', op: 'eq', value: host.id }, limit: 1 });
    await h.rt.services.vms.update(vm.id, { cpuCount: vm.cpuCount + 2 });
    expect((await a1()).vcpus_used).toBe(before.vcpus_used + 2);
    const [device] = await h.rt.services.devices.list({ filter: { field: 'hostId', op: 'eq', value: host.id }, limit: 1 });
    await h.rt.services.devices.update(device.id, { sizeBytes: device.sizeBytes + 10 * 1024 ** 3 });
    expect((await a1()).local_gb).toBe(before.local_gb + 10);
    await h.rt.services.vms.update(vm.id, { cpuCount: vm.cpuCount });
    await h.rt.services.devices.update(device.id, { sizeBytes: device.sizeBytes });

    const created = await request(h.app).post(`${V}/os-aggregates`).set('X-Auth-Token', h.adminToken).send({ aggregate: { name: 'cache-probe' } });
    const probe = () => get('/os-aggregates').then((r) => r.body.aggregates.find((a: { name: string }) => a.name === 'cache-probe'));
    expect((await probe()).hosts).toEqual([]);
    const aggregateId = (await h.rt.services.aggregates.findBySeq(created.body.aggregate.id))!.id;
    await h.rt.services.aggregates.addHost(aggregateId, host.id);
    expect((await probe()).hosts).toEqual(['node-a1']);
    await h.rt.services.hosts.update(host.id, { name: 'node-a1-renamed' });
    expect((await probe()).hosts).toEqual(['node-a1-renamed']);
    await h.rt.services.hosts.update(host.id, { name: 'node-a1' });
    await h.rt.services.aggregates.removeHost(aggregateId, host.id);
    expect((await probe()).hosts).toEqual([]);
  });

  it('shows one hypervisor, its uptime and the statistics', async () => {
    const list = (await get('/os-hypervisors')).body.hypervisors;
    const show = await get(`/os-hypervisors/${list[3].id}`);
    expect(show.body.hypervisor).toMatchObject({ hypervisor_hostname: 'node-b1', running_vms: 1, vcpus_used: 16 });
    const uptime = await get(`/os-hypervisors/${list[3].id}/uptime`);
    expect(uptime.body.hypervisor).toMatchObject({ id: list[3].id, hypervisor_hostname: 'node-b1', uptime: expect.stringMatching(/load average/) });
    expect((await get('/os-hypervisors/99999')).body).toEqual({ itemNotFound: { code: 404, message: "Hypervisor with ID '99999' could not be found." } });
    const stats = (await get('/os-hypervisors/statistics')).body.hypervisor_statistics;
    expect(stats).toMatchObject({ count: 6, vcpus: 3 * 32 + 3 * 48, running_vms: 6 });
    expect((await get('/os-hypervisors/statistics', '2.88')).status).toBe(404);
    const paged = await get('/os-hypervisors?limit=2', '2.33');
    expect(paged.body.hypervisors).toHaveLength(2);
    expect(paged.body.hypervisors_links[0].href).toContain(`marker=${list[1].id}`);
  });

  it('lists the servers on hypervisors: /{pattern}/servers below 2.53, with_servers from 2.53', async () => {
    const old = await get('/os-hypervisors/node-a/servers');
    expect(old.body.hypervisors.map((hv: { hypervisor_hostname: string }) => hv.hypervisor_hostname)).toEqual(['node-a1', 'node-a2', 'node-a3']);
    expect(old.body.hypervisors[0].servers.map((s: { name: string }) => s.name).sort()).toEqual(['db-01', 'web-01']);
    expect((await get('/os-hypervisors/zzz/servers')).body).toEqual({ itemNotFound: { code: 404, message: "No hypervisor matching 'zzz' could be found." } });
    const listed = await get('/os-hypervisors?with_servers=true&hypervisor_hostname_pattern=node-b', '2.53');
    expect(listed.body.hypervisors[0].servers).toEqual([{ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'analytics-01' }]);
    expect(listed.body.hypervisors[1]).not.toHaveProperty('servers');
    expect((await get('/os-hypervisors?hypervisor_hostname_pattern=node-b', '2.53')).body.hypervisors[0]).not.toHaveProperty('servers');
  });

  it('lists availability zones for anyone, details for admins', async () => {
    const res = await get('/os-availability-zone', undefined, h.demoToken);
    expect(res.status).toBe(200);
    expect(res.body.availabilityZoneInfo).toEqual([
      { zoneName: 'az-fast', zoneState: { available: true }, hosts: null },
      { zoneName: 'nova', zoneState: { available: true }, hosts: null },
    ]);
    const detail = await get('/os-availability-zone/detail');
    const fast = detail.body.availabilityZoneInfo[0];
    expect(Object.keys(fast.hosts)).toEqual(['node-a1', 'node-a2']);
    expect(fast.hosts['node-a1']['nova-compute']).toMatchObject({ available: true, active: true });
    expect((await get('/os-availability-zone/detail', undefined, h.demoToken)).status).toBe(403);
  });
});
