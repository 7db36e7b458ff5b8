import request from 'supertest';
import { Harness, harness, waitTask } from './harness';

/** Calls of issue 3 no other suite exercises: each with its success and its refusals. */
describe('OmniStack endpoint coverage', () => {
  let h: Harness;
  let token: string;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);
  const post = (path: string, body: unknown) => request(h.app).post(path).set(auth).set('Content-Type', 'application/vnd.simplivity.v1.5+json').send(JSON.stringify(body));
  const task = async (res: request.Response) => {
    expect(res.status).toBe(202);
    return waitTask(h, token, res.body.task.id);
  };
  const one = async (collection: string, name: string) => (await get(`/api/${collection}?name=${name}`)).body[collection][0];

  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(() => h.rt.close());

  it('accepts all 26 vnd.simplivity versions (v1 .. v1.25) in Accept and Content-Type', async () => {
    const versions = ['v1', ...Array.from({ length: 25 }, (_, i) => `v1.${i + 1}`)];
    for (const v of versions) {
      const res = await request(h.app).get('/api/cluster_groups').set(auth).set('Accept', `application/vnd.simplivity.${v}+json`).set('Content-Type', `application/vnd.simplivity.${v}+json`);
      expect([v, res.status]).toEqual([v, 200]);
    }
  });

  it('filters clusters on arbiter_required (two hosts) and arbiter_address (none modelled)', async () => {
    const b = await one('omnistack_clusters', 'cluster-b');
    expect((await get('/api/omnistack_clusters?arbiter_required=true')).body.count).toBe(0);
    expect((await get('/api/omnistack_clusters?arbiter_required=false')).body.count).toBe(2);
    // A host leaves cluster-b (as any process might write it): the cluster now needs an arbiter.
    await h.rt.services.hosts.update(b.members[2], { clusterId: null });
    const required = await get('/api/omnistack_clusters?arbiter_required=TRUE');
    expect(required.body.omnistack_clusters.map((c: { name: string; arbiter_required: boolean }) => [c.name, c.arbiter_required])).toEqual([['cluster-b', true]]);
    expect((await get('/api/omnistack_clusters?arbiter_required=false')).body.omnistack_clusters.map((c: { name: string }) => c.name)).toEqual(['cluster-a']);
    expect((await get('/api/omnistack_clusters?arbiter_address=10.0.0.1')).body.count).toBe(0);
    expect((await get('/api/omnistack_clusters?arbiter_address=*')).body.count).toBe(0);
    const bad = await get('/api/omnistack_clusters?arbiter_required=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidParameterException');
    await h.rt.services.hosts.update(b.members[2], { clusterId: b.id });
  });

  it('serves host and cluster metrics on the window asked, and refuses bad windows', async () => {
    const host = await one('hosts', 'node-a1');
    const cluster = await one('omnistack_clusters', 'cluster-a');
    // Frozen half-way through a minute, so the windows below hold a known number of points.
    const now = Math.floor(h.rt.clock.now().getTime() / 60_000) * 60_000 + 30_500;
    h.rt.clock.setState({ frozenAtMs: now, offsetMs: 0 });
    for (const path of [`/api/hosts/${host.id}/metrics`, `/api/omnistack_clusters/${cluster.id}/metrics`]) {
      const res = await get(`${path}?time_offset=0&range=3600&resolution=MINUTE`);
      expect(res.status).toBe(200);
      expect(res.body.metrics.map((m: { name: string }) => m.name)).toEqual(['iops', 'throughput', 'latency']);
      const points = res.body.metrics[0].data_points as { reads: number; writes: number; date: string }[];
      expect(points).toHaveLength(60);
      expect(points.every((p) => p.reads > 0 && p.writes > 0 && p.date.endsWith(':00Z'))).toBe(true);
      expect(Date.parse(points[59].date)).toBeLessThanOrEqual(now);
      expect(Date.parse(points[59].date)).toBeGreaterThan(now - 60_000);
      // An hour back, as seconds or as a date: the same window.
      const back = await get(`${path}?time_offset=3600&range=600&resolution=minute`);
      const since = new Date(now - 3_600_000).toISOString();
      const byDate = await get(`${path}?time_offset=${since}&range=600&resolution=MINUTE`);
      expect(back.body.metrics[0].data_points).toHaveLength(10);
      expect(byDate.body).toEqual(back.body);
      expect(Date.parse(back.body.metrics[0].data_points[9].date)).toBeLessThanOrEqual(now - 3_600_000);
      const seconds = await get(`${path}?range=60&resolution=SECOND`);
      expect(seconds.body.metrics[0].data_points).toHaveLength(12);
      for (const bad of ['resolution=WEEK', 'range=ten', 'time_offset=yesterday', 'range=999999999&resolution=SECOND']) {
        const res2 = await get(`${path}?${bad}`);
        expect([bad, res2.status, res2.body.exception]).toEqual([bad, 400, 'com.simplivity.restapi.exceptions.InvalidParameterException']);
      }
    }
    expect((await get('/api/hosts/00000000-0000-4000-8000-000000000000/metrics')).status).toBe(404);
    expect((await get('/api/omnistack_clusters/00000000-0000-4000-8000-000000000000/metrics')).status).toBe(404);
    h.rt.clock.setState({ frozenAtMs: null, offsetMs: 0 });
  });

  it('lists the time zones set_time_zone accepts', async () => {
    const res = await get('/api/omnistack_clusters/time_zone_list');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.arrayContaining(['America/New_York', 'Europe/Paris', 'UTC']));
    expect(res.body.every((z: unknown) => typeof z === 'string')).toBe(true);
  });

  it('lists the VMs and datastores that follow a policy', async () => {
    const gold = await one('policies', 'gold');
    const vms = await get(`/api/policies/${gold.id}/virtual_machines`);
    expect(vms.body.virtual_machines.map((v: { name: string; policy_name: string }) => [v.name, v.policy_name])).toEqual([['db-01', 'gold']]);
    const ds = await get(`/api/policies/${gold.id}/datastores`);
    expect(ds.body.datastores.map((d: { name: string }) => d.name)).toEqual(['ds-a2']);
    expect((await get('/api/policies/00000000-0000-4000-8000-000000000000/virtual_machines')).status).toBe(404);
  });

  it('sets a datastore policy as a task; an unknown policy or datastore answers 404 at once', async () => {
    const ds = await one('datastores', 'ds-a1');
    const gold = await one('policies', 'gold');
    const done = await task(await post(`/api/datastores/${ds.id}/set_policy`, { policy_id: gold.id }));
    expect(done).toMatchObject({ state: 'COMPLETED', affected_objects: [{ object_type: 'datastore', object_id: ds.id }] });
    expect((await get(`/api/datastores/${ds.id}`)).body.datastore).toMatchObject({ policy_id: gold.id, policy_name: 'gold' });
    expect((await get(`/api/policies/${gold.id}/datastores`)).body.datastores.map((d: { name: string }) => d.name)).toEqual(['ds-a1', 'ds-a2']);
    const unknownPolicy = await post(`/api/datastores/${ds.id}/set_policy`, { policy_id: '00000000-0000-4000-8000-000000000000' });
    expect(unknownPolicy.status).toBe(404);
    expect(unknownPolicy.body.exception).toBe('com.simplivity.restapi.exceptions.ObjectNotFoundException');
    expect((await post('/api/datastores/00000000-0000-4000-8000-000000000000/set_policy', { policy_id: gold.id })).status).toBe(404);
    const missing = await post(`/api/datastores/${ds.id}/set_policy`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidBodyException');
  });

  it('deletes one backup with DELETE /backups/{id} (body {} as PY sends it), then 404s it', async () => {
    const vm = await one('virtual_machines', 'web-02');
    const created = await task(await post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'to-delete' }));
    const id = (created.affected_objects as { object_id: string }[])[0].object_id;
    expect((await get(`/api/backups/${id}`)).body.backup.name).toBe('to-delete');
    const deleted = await task(await request(h.app).delete(`/api/backups/${id}`).set(auth).set('Content-Type', 'application/vnd.simplivity.v1.8+json').send('{}'));
    expect(deleted.state).toBe('COMPLETED');
    expect((await get(`/api/backups/${id}`)).status).toBe(404);
    expect((await get(`/api/backups?id=${id}`)).body.count).toBe(0);
    const again = await request(h.app).delete(`/api/backups/${id}`).set(auth);
    expect(again.status).toBe(404);
    expect(again.body.message).toBe(`Object type: backup id: ${id} could not be found`);
  });
});
