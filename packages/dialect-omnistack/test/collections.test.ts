import request from 'supertest';
import { Harness, harness } from './harness';

describe('OmniStack collections', () => {
  let h: Harness;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);

  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    auth = { Authorization: `Bearer ${await h.login()}` };
  });
  afterAll(() => h.rt.close());

  it('pages with offset/limit, counts before paging and sorts descending by default', async () => {
    const page = await get('/api/virtual_machines?sort=name&limit=2&offset=1');
    expect(page.body).toMatchObject({ offset: 1, limit: 2, count: 6 });
    expect(page.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['web-01', 'db-01']);
    const asc = await get('/api/virtual_machines?sort=name&order=ascending');
    expect(asc.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['analytics-01', 'batch-01', 'cache-01', 'db-01', 'web-01', 'web-02']);
  });

  it('treats empty values as absent and ignores unknown parameters (Go SDK, Prometheus connector)', async () => {
    const res = await get('/api/virtual_machines?case=&fields=&limit=500&offset=0&order=&show_optional_fields=false&sort=&show_optional_field=true&bogus=1');
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(6);
    expect(res.body.virtual_machines[0].ha_status).toBeUndefined();
  });

  it('filters with comma-OR, * wildcards and case', async () => {
    const or = await get('/api/virtual_machines?name=web-01,db-01&sort=name&order=ascending');
    expect(or.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['db-01', 'web-01']);
    const glob = await get('/api/virtual_machines?name=web*&sort=name&order=ascending');
    expect(glob.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['web-01', 'web-02']);
    expect((await get('/api/virtual_machines?name=WEB*')).body.count).toBe(0);
    expect((await get('/api/virtual_machines?name=WEB*&case=insensitive')).body.count).toBe(2);
    // % and _ are literal, not SQL wildcards.
    expect((await get('/api/virtual_machines?name=web%25')).body.count).toBe(0);
    expect((await get('/api/virtual_machines?name=web_01')).body.count).toBe(0);
  });

  it('filters on related names and ids in SQL', async () => {
    const byCluster = await get('/api/virtual_machines?omnistack_cluster_name=cluster-b');
    expect(byCluster.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['analytics-01']);
    const byDs = await get('/api/virtual_machines?datastore_name=ds-a2&sort=name&order=ascending');
    expect(byDs.body.virtual_machines.map((v: { name: string }) => v.name)).toEqual(['cache-01', 'db-01']);
    const byPolicy = await get('/api/virtual_machines?policy_name=gold');
    expect(byPolicy.body.count).toBe(1);
    expect((await get('/api/virtual_machines?state=ALIVE')).body.count).toBe(6);
    expect((await get('/api/virtual_machines?state=alive')).body.count).toBe(6);
    expect((await get('/api/virtual_machines?state=DELETED')).body.count).toBe(0);
    expect((await get('/api/virtual_machines?id=not-a-uuid')).body.count).toBe(0);
    const bad = await get('/api/virtual_machines?state=SLEEPING');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ exception: 'com.simplivity.restapi.exceptions.InvalidParameterException', status: '400', path: '/api/virtual_machines' });
  });

  it('projects fields', async () => {
    const res = await get('/api/virtual_machines?fields=name,id&limit=1&sort=name');
    expect(Object.keys(res.body.virtual_machines[0])).toEqual(['id', 'name']);
  });

  it('refuses bad limits and sorts with InvalidSortCriteriaException', async () => {
    for (const q of ['limit=5001', 'limit=-1', 'limit=ten', 'sort=nonsense', 'order=sideways']) {
      const res = await get(`/api/virtual_machines?${q}`);
      expect(res.status).toBe(400);
      expect(res.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidSortCriteriaException');
      expect(res.body.status).toBe('400');
    }
    expect((await get('/api/virtual_machines?limit=5000')).status).toBe(200);
  });

  it('shows optional fields on request and always on single GETs', async () => {
    const list = await get('/api/virtual_machines?show_optional_fields=True&name=batch-01');
    expect(list.body.virtual_machines[0]).toMatchObject({ hypervisor_virtual_machine_power_state: 'OFF', hypervisor_is_template: false });
    const one = await get(`/api/virtual_machines/${list.body.virtual_machines[0].id}`);
    expect(Object.keys(one.body)).toEqual(['virtual_machine']);
    expect(one.body.virtual_machine.hypervisor_virtual_machine_power_state).toBe('OFF');
    expect(one.body.virtual_machine.replica_set).toHaveLength(2);
  });

  it('lists hosts with capacity from devices', async () => {
    const res = await get('/api/hosts?show_optional_fields=true&sort=name&order=ascending&name=node-a1');
    const host = res.body.hosts[0];
    expect(host).toMatchObject({ name: 'node-a1', state: 'ALIVE', management_ip: '10.0.1.11', storage_ip: '192.168.1.11', model: 'HPE SimpliVity 380 Gen10', type: 'OMNISTACK' });
    expect(host.allocated_capacity).toBe(2 * 1024 ** 4);
    expect(host.stored_virtual_machine_data).toBe(240 * 1024 ** 3);
    expect((await get('/api/hosts?state=FAULTY')).body.hosts.map((x: { name: string }) => x.name)).toEqual(['node-b3']);
    const single = await get(`/api/hosts/${host.id}`);
    expect(single.body.host.id).toBe(host.id);
  });

  it('lists clusters, datastores, policies and cluster groups', async () => {
    const clusters = await get('/api/omnistack_clusters?sort=name&order=ascending');
    expect(clusters.body.omnistack_clusters.map((c: { name: string }) => c.name)).toEqual(['cluster-a', 'cluster-b']);
    expect(clusters.body.omnistack_clusters[0].members).toHaveLength(3);
    const one = await get(`/api/omnistack_clusters/${clusters.body.omnistack_clusters[0].id}`);
    expect(one.body.omnistack_cluster.time_zone).toBe('UTC');
    const ds = await get('/api/datastores?min_size=3000000000000&sort=name&order=ascending');
    expect(ds.body.datastores.map((d: { name: string }) => d.name)).toEqual(['ds-a1', 'ds-b1']);
    expect(ds.body.datastores[0]).toMatchObject({ size: 4096 * 1024 ** 3, omnistack_cluster_name: 'cluster-a', policy_name: 'Fixed Default Backup Policy' });
    const policies = await get('/api/policies?name=gold');
    expect(policies.body.policies[0].rules[0]).toMatchObject({ frequency: 30, retention: 10080, number: 0 });
    const groups = await get('/api/cluster_groups');
    expect(groups.body.cluster_groups[0]).toMatchObject({ name: 'dc1' });
    expect(groups.body.cluster_groups[0].clusters).toHaveLength(2);
  });

  it('answers unknown ids and paths with Spring-style JSON 404s', async () => {
    const res = await get('/api/virtual_machines/00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({
      exception: 'com.simplivity.restapi.exceptions.ObjectNotFoundException',
      path: '/api/virtual_machines/00000000-0000-4000-8000-000000000000',
      message: 'Object type: virtual_machine id: 00000000-0000-4000-8000-000000000000 could not be found',
      status: '404',
    });
    const rename = await request(h.app).post('/api/backups/badid/rename').set(auth).send({ backup_name: 'x' });
    expect(rename.status).toBe(404);
    expect(rename.body.message).toBe('Object type: backup id: badid could not be found');
    const nothing = await get('/api/nothing/here');
    expect(nothing.status).toBe(404);
    expect(nothing.headers['content-type']).toMatch(/json/);
  });

  it('serves VM, host and cluster metrics from the load model', async () => {
    const vms = await get('/api/virtual_machines?name=web-01');
    const res = await get(`/api/virtual_machines/${vms.body.virtual_machines[0].id}/metrics?time_offset=0&range=600&resolution=Minute`);
    expect(res.status).toBe(200);
    expect(res.body.metrics.map((m: { name: string }) => m.name)).toEqual(['iops', 'throughput', 'latency']);
    expect(res.body.metrics[0].data_points.length).toBeGreaterThanOrEqual(10);
    expect(res.body.metrics[0].data_points[0]).toEqual({ reads: expect.any(Number), writes: expect.any(Number), date: expect.stringMatching(/Z$/) });
    expect((await get(`/api/virtual_machines/${vms.body.virtual_machines[0].id}/metrics?resolution=FORTNIGHT`)).status).toBe(400);
    const hosts = await get('/api/hosts?name=node-a1&show_optional_fields=true');
    const cap = await get(`/api/hosts/${hosts.body.hosts[0].id}/capacity?fields=free_space&range=300&resolution=MINUTE`);
    expect(cap.body.metrics[0].name).toBe('free_space');
    expect(cap.body.metrics[0].data_points[0].value).toBe(hosts.body.hosts[0].free_space);
    expect(cap.body.metrics[0].data_points.length).toBeGreaterThanOrEqual(5);
  });
});

describe('OmniStack methods', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({});
  });
  afterAll(() => h.rt.close());

  it('answers a known path with a wrong method 405 with Allow', async () => {
    const token = await h.login();
    const res = await request(h.app).put('/api/virtual_machines').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect(res.body).toMatchObject({ exception: 'org.springframework.web.HttpRequestMethodNotSupportedException', message: "Request method 'PUT' not supported", status: '405' });
    const del = await request(h.app).patch('/api/policies/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${token}`);
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('DELETE, GET');
  });
});

describe('OmniStack hostile input', () => {
  let h: Harness;
  let auth: { Authorization: string };
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    auth = { Authorization: `Bearer ${await h.login()}` };
  });
  afterAll(() => h.rt.close());

  it.each([
    ['sort=name;DROP TABLE vms', 400, 'InvalidSortCriteriaException'],
    ['sort=__proto__', 400, 'InvalidSortCriteriaException'],
    ['sort=constructor', 400, 'InvalidSortCriteriaException'],
    ['offset=1e3', 400, 'InvalidSortCriteriaException'],
    ['created_after=yesterday', 400, 'InvalidParameterException'],
    ['show_optional_fields=maybe', 400, 'InvalidParameterException'],
    ['case=upper', 400, 'InvalidParameterException'],
  ])('refuses %s with %i %s', async (query, status, exception) => {
    const res = await request(h.app).get(`/api/virtual_machines?${query}`).set(auth);
    expect(res.status).toBe(status);
    expect(res.body.exception).toBe(`com.simplivity.restapi.exceptions.${exception}`);
    expect(res.body.status).toBe(String(status));
  });

  it.each([
    "name=x'%20OR%20'1'='1",
    'toString=1&hasOwnProperty=2&__proto__=3',
    'name[$ne]=x',
    'fields=__proto__,constructor',
    'id=1,2,3',
  ])('treats %s as plain values or ignores it', async (query) => {
    const res = await request(h.app).get(`/api/virtual_machines?${query}`).set(auth);
    expect(res.status).toBe(200);
    expect(typeof res.body.count).toBe('number');
  });

  it('reads the last of repeated parameters', async () => {
    const res = await request(h.app).get('/api/virtual_machines?name=nothing&name=web-01').set(auth);
    expect(res.body.count).toBe(1);
  });

  it('refuses ids of the wrong type in bodies', async () => {
    const vm = (await request(h.app).get('/api/virtual_machines?limit=1').set(auth)).body.virtual_machines[0];
    for (const body of [{ policy_id: 42 }, { policy_id: ['a'] }, { policy_id: { $gt: '' } }]) {
      const res = await request(h.app).post(`/api/virtual_machines/${vm.id}/set_policy`).set(auth).send(body);
      expect(res.status).toBe(400);
      expect(res.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidBodyException');
    }
    const list = await request(h.app).post('/api/virtual_machines/set_policy').set(auth).send({ virtual_machine_id: [1, 2], policy_id: 'x' });
    expect(list.status).toBe(400);
    const retention = await request(h.app).post(`/api/virtual_machines/${vm.id}/backup`).set(auth).send({ backup_name: 'x', retention: 'forever' });
    expect(retention.status).toBe(400);
    const negative = await request(h.app).post(`/api/virtual_machines/${vm.id}/backup`).set(auth).send({ backup_name: 'x', retention: -5 });
    expect(negative.status).toBe(400);
    expect(await h.rt.services.jobs.count()).toBe(0);
  });
});

describe('OmniStack cluster throughput', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('reports replication throughput to each connected cluster from the load model', async () => {
    h.rt.clock.freeze();
    const auth = { Authorization: `Bearer ${await h.login()}` };
    const [a, b] = (await request(h.app).get('/api/omnistack_clusters?sort=name&order=ascending').set(auth)).body.omnistack_clusters;
    const res = await request(h.app).get(`/api/omnistack_clusters/${a.id}/throughput?time_offset=0&range=3600`).set(auth);
    expect(res.status).toBe(200);
    expect(res.body.cluster_throughput).toHaveLength(1);
    const t = res.body.cluster_throughput[0];
    expect(t).toMatchObject({ source_omnistack_cluster_id: a.id, destination_omnistack_cluster_name: 'cluster-b', destination_omnistack_cluster_id: b.id });
    expect(t.data.data_points.length).toBeGreaterThanOrEqual(60);
    expect(t.data.maximum_throughput).toBeGreaterThanOrEqual(t.average_throughput);
    expect(t.average_throughput).toBeGreaterThanOrEqual(t.data.minimum_throughput);
    const again = await request(h.app).get(`/api/omnistack_clusters/${a.id}/throughput?time_offset=0&range=3600`).set(auth);
    expect(again.body).toEqual(res.body);
    expect((await request(h.app).get(`/api/omnistack_clusters/${a.id}/connected_clusters`).set(auth)).body.omnistack_clusters.map((c: { name: string }) => c.name)).toEqual(['cluster-b']);

    // The deprecated federation-wide form (the Prometheus connector's): every connected pair, both ways, the same figures.
    const all = await request(h.app).get('/api/omnistack_clusters/throughput?time_offset=0&range=3600').set(auth);
    expect(all.status).toBe(200);
    expect(all.body.cluster_throughput.map((p: Record<string, string>) => [p.source_omnistack_cluster_name, p.destination_omnistack_cluster_name])).toEqual([
      ['cluster-a', 'cluster-b'],
      ['cluster-b', 'cluster-a'],
    ]);
    expect(all.body.cluster_throughput[0]).toEqual(t);
    expect(all.body.start_time).toBe(res.body.start_time);
    const bad = await request(h.app).get('/api/omnistack_clusters/throughput?range=abc').set(auth);
    expect(bad.status).toBe(400);
    h.rt.clock.unfreeze();
  });
});

describe('OmniStack cached topology', () => {
  let h: Harness;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    auth = { Authorization: `Bearer ${await h.login()}` };
  });
  afterAll(() => h.rt.close());

  it('shows parent names written by any process at once (store writes move the change stamp)', async () => {
    const vm = (await get('/api/virtual_machines?name=web-01')).body.virtual_machines[0];
    const before = (await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine;
    const repos = h.rt.store.repos;
    // Written straight to the store, as a worker or another gateway would: no cache of ours is told.
    await repos.clusters.update(before.omnistack_cluster_id, { name: 'renamed-cluster' });
    await repos.datastores.update(before.datastore_id, { name: 'renamed-ds' });
    await repos.hosts.update(before.host_id, { name: 'renamed-host' });
    const after = (await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine;
    expect(after).toMatchObject({ omnistack_cluster_name: 'renamed-cluster', datastore_name: 'renamed-ds', host_name: 'renamed-host' });
    const policy = (await repos.policies.list({ limit: 1 }))[0];
    await repos.vms.update(vm.id, { policyId: policy.id });
    expect((await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine.policy_name).toBe(policy.name);
    await repos.policies.update(policy.id, { name: 'renamed-policy' });
    expect((await get(`/api/virtual_machines?name=web-01`)).body.virtual_machines[0].policy_name).toBe('renamed-policy');
     // Cached bodies: the same request twice, then a VM write in between.
    const list = '/api/virtual_machines?sort=name&order=ascending&limit=3';
    expect((await get(list)).text).toBe((await get(list)).text);
    await repos.vms.update(vm.id, { name: 'aaa-renamed' });
    expect((await get(list)).body.virtual_machines[0].name).toBe('aaa-renamed');
    expect((await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine.name).toBe('aaa-renamed');
    expect((await get('/api/virtual_machines/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
