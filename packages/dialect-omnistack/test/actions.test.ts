import request from 'supertest';
import { Harness, harness, waitTask } from './harness';

describe('OmniStack actions as tasks', () => {
  let h: Harness;
  let token: string;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);
  const post = (path: string, body?: unknown, type = 'application/vnd.simplivity.v1.5+json') => {
    const r = request(h.app).post(path).set(auth).set('Content-Type', type);
    return body === undefined ? r : r.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const task = async (res: request.Response) => {
    expect(res.status).toBe(202);
    expect(Object.keys(res.body)).toEqual(['task']);
    return waitTask(h, token, res.body.task.id);
  };
  const vmNamed = async (name: string) => (await get(`/api/virtual_machines?name=${name}`)).body.virtual_machines[0];
  const affectedId = (t: Record<string, unknown>) => (t.affected_objects as { object_id: string }[])[0].object_id;

  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(() => h.rt.close());

  it('clones a VM; the clone is a core VM', async () => {
    const vm = await vmNamed('web-01');
    const done = await task(await post(`/api/virtual_machines/${vm.id}/clone`, { virtual_machine_name: 'web-01-clone', app_consistent: false }));
    expect(done.state).toBe('COMPLETED');
    expect((done.affected_objects as { object_type: string }[])[0].object_type).toBe('virtual_machine');
    const clone = await get(`/api/virtual_machines/${affectedId(done)}`);
    expect(clone.body.virtual_machine).toMatchObject({ name: 'web-01-clone', datastore_id: vm.datastore_id, hypervisor_virtual_machine_power_state: 'OFF' });
    expect((await h.rt.services.vms.get(affectedId(done))).name).toBe('web-01-clone');
  });

  it('refuses a clone without a name at once, in the vendor shape', async () => {
    const vm = await vmNamed('web-01');
    const res = await post(`/api/virtual_machines/${vm.id}/clone`, {});
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ exception: 'com.simplivity.restapi.exceptions.InvalidBodyException', status: '400' });
  });

  it('moves a VM to another cluster datastore', async () => {
    const vm = await vmNamed('web-02');
    const ds = (await get('/api/datastores?name=ds-b1')).body.datastores[0];
    const done = await task(await post(`/api/virtual_machines/${vm.id}/move`, { virtual_machine_name: 'web-02-b', destination_datastore_id: ds.id }));
    expect(done.state).toBe('COMPLETED');
    const moved = (await get(`/api/virtual_machines/${affectedId(done)}`)).body.virtual_machine;
    expect(moved).toMatchObject({ name: 'web-02-b', datastore_name: 'ds-b1', omnistack_cluster_name: 'cluster-b', host_name: 'node-b1' });
  });

  it('powers VMs off and on with body-less posts (null, "", nothing)', async () => {
    const vm = await vmNamed('cache-01');
    let done = await task(await post(`/api/virtual_machines/${vm.id}/power_off`, 'null', 'application/vnd.simplivity.v1.11+json'));
    expect(done.state).toBe('COMPLETED');
    // HPE's Go SDK fails a power call whose task names no affected object.
    expect(done.affected_objects).toEqual([{ object_type: 'virtual_machine', object_id: vm.id }]);
    expect((await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine.hypervisor_virtual_machine_power_state).toBe('OFF');
    done = await task(await post(`/api/virtual_machines/${vm.id}/power_on`, '""', 'application/vnd.simplivity.v1+json'));
    expect(done.state).toBe('COMPLETED');
    done = await task(await post(`/api/virtual_machines/${vm.id}/power_on`));
    expect(done.affected_objects).toEqual([{ object_type: 'virtual_machine', object_id: vm.id }]);
    expect((await get(`/api/virtual_machines/${vm.id}`)).body.virtual_machine.hypervisor_virtual_machine_power_state).toBe('ON');
  });

  it('sets policies on one VM and on many', async () => {
    const gold = (await get('/api/policies?name=gold')).body.policies[0];
    const a = await vmNamed('web-01');
    const b = await vmNamed('batch-01');
    let done = await task(await post(`/api/virtual_machines/${a.id}/set_policy`, { policy_id: gold.id }));
    expect(done.affected_objects).toEqual([{ object_type: 'virtual_machine', object_id: a.id }]);
    done = await task(await post('/api/virtual_machines/set_policy', { virtual_machine_id: [a.id, b.id], policy_id: gold.id }));
    expect((done.affected_objects as unknown[]).length).toBe(2);
    expect((await get(`/api/virtual_machines?policy_name=gold&name=batch-01`)).body.count).toBe(1);
    const missing = await post('/api/virtual_machines/set_policy', { virtual_machine_id: [a.id], policy_id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
  });

  it('renames, locks, retains, restores and deletes backups', async () => {
    const vm = await vmNamed('db-01');
    const created = await task(await post(`/api/virtual_machines/${vm.id}/backup`, { backup_name: 'nightly', retention: 0 }));
    const id = affectedId(created);
    expect((await task(await post(`/api/backups/${id}/rename`, { backup_name: 'renamed' }))).state).toBe('COMPLETED');
    expect((await get(`/api/backups/${id}`)).body.backup.name).toBe('renamed');

    // An hour later, a 30 minute retention would end it at once: without force, a report instead of a task.
    h.rt.clock.advance(3_600_000);
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
    const report = await post('/api/backups/set_retention', { backup_id: [id], retention: 30, force: false });
    expect(report.status).toBe(200);
    expect(report.body.backups.map((b: { id: string }) => b.id)).toEqual([id]);
    const kept = await task(await post('/api/backups/set_retention', { backup_id: [id], retention: 1440 }));
    expect(kept.state).toBe('COMPLETED');
    expect((await get(`/api/backups/${id}`)).body.backup.expiration_time).toMatch(/Z$/);

    expect((await task(await post(`/api/backups/${id}/lock`))).state).toBe('COMPLETED');
    expect((await get(`/api/backups/${id}`)).body.backup.expiration_time).toBe('NA');

    const restoredNew = await task(await post(`/api/backups/${id}/restore?restore_original=False`, { virtual_machine_name: 'db-01-restored' }));
    expect(restoredNew.state).toBe('COMPLETED');
    expect((await get(`/api/virtual_machines/${affectedId(restoredNew)}`)).body.virtual_machine.name).toBe('db-01-restored');
    const restoredOriginal = await task(await post(`/api/backups/${id}/restore?restore_original=true`, {}));
    expect(restoredOriginal.affected_objects).toEqual([{ object_type: 'virtual_machine', object_id: vm.id }]);

    const copy = await task(await post(`/api/backups/${id}/copy`, { destination_id: (await get('/api/omnistack_clusters?name=cluster-b')).body.omnistack_clusters[0].id }));
    expect((await get(`/api/backups/${affectedId(copy)}`)).body.backup.omnistack_cluster_name).toBe('cluster-b');

    expect((await task(await post('/api/backups/delete', { backup_id: [id, affectedId(copy)] }))).state).toBe('COMPLETED');
    expect((await get(`/api/backups/${id}`)).status).toBe(404);
  });

  it('creates, resizes and deletes datastores; failures end the task FAILED with both messages', async () => {
    const cluster = (await get('/api/omnistack_clusters?name=cluster-b')).body.omnistack_clusters[0];
    const gold = (await get('/api/policies?name=gold')).body.policies[0];
    const created = await task(await post('/api/datastores/', { name: 'ds-new', omnistack_cluster_id: cluster.id, policy_id: gold.id, size: String(1024 ** 4) }));
    const id = affectedId(created);
    expect((await get(`/api/datastores/${id}`)).body.datastore).toMatchObject({ name: 'ds-new', size: 1024 ** 4, policy_name: 'gold', hypervisor_free_space: 1024 ** 4 });
    const dup = await post('/api/datastores', { name: 'ds-new', omnistack_cluster_id: cluster.id, policy_id: gold.id, size: 1024 });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ error_code: '13', message: 'Duplicate name exists.' });
    expect((await task(await post(`/api/datastores/${id}/resize`, { size: 2 * 1024 ** 4 }))).state).toBe('COMPLETED');
    expect((await get(`/api/datastores/${id}`)).body.datastore.size).toBe(2 * 1024 ** 4);

    const busy = (await get('/api/datastores?name=ds-b1')).body.datastores[0];
    const failed = await task(await post(`/api/datastores/${busy.id}/resize`, { size: 1024 }));
    expect(failed.state).toBe('FAILED');
    expect(failed.error_code).toBe(28);
    expect(failed.message).toEqual(expect.stringContaining('ds-b1'));
    expect(failed.error_message).toBe(failed.message);
    expect(failed.end_time).not.toBe('1970-01-01T00:00:00Z');

    expect((await task(await request(h.app).delete(`/api/datastores/${id}`).set(auth).send('{}'))).state).toBe('COMPLETED');
    expect((await get(`/api/datastores/${id}`)).status).toBe(404);
  });

  it('manages policies and their rules', async () => {
    const created = await task(await post('/api/policies/', { name: 'silver' }));
    const id = affectedId(created);
    const dup = await post(`/api/policies/${id}/rename`, { name: 'gold' });
    expect(dup.status).toBe(400);
    expect(dup.body).toMatchObject({ exception: 'com.simplivity.rpc.common.TaskException', error_code: '13', message: 'Duplicate name exists.', status: '400', path: `/api/policies/${id}/rename` });
    expect((await task(await post(`/api/policies/${id}/rename`, { name: 'bronze' }))).state).toBe('COMPLETED');

    const rules = [
      { frequency: 60, retention: 1440, days: 'Mon,Fri', start_time: '08:00', end_time: '18:00', application_consistent: false, consistency_type: 'NONE' },
      { frequency: 1440, retention: 10080, days: 'All' },
    ];
    const added = await task(await post(`/api/policies/${id}/rules?replace_all_rules=False`, rules, 'application/vnd.simplivity.v1.1+json'));
    expect(added.state).toBe('COMPLETED');
    expect((added.affected_objects as unknown[]).length).toBeGreaterThan(0);
    let policy = (await get(`/api/policies/${id}`)).body.policy;
    expect(policy.rules.map((r: { frequency: number }) => r.frequency)).toEqual([60, 1440]);
    expect(policy.rules[0]).toMatchObject({ days: 'Mon,Fri', start_time: '08:00', end_time: '18:00', destination_name: '<local>', number: 0 });

    const ruleId = policy.rules[0].id;
    expect((await get(`/api/policies/${id}/rules/${ruleId}`)).body.rule.id).toBe(ruleId);
    const edit = await request(h.app).put(`/api/policies/${id}/rules/${ruleId}`).set(auth).send({ frequency: 120 });
    expect((await task(edit)).state).toBe('COMPLETED');
    expect((await task(await request(h.app).delete(`/api/policies/${id}/rules/${policy.rules[1].id}`).set(auth))).state).toBe('COMPLETED');
    policy = (await get(`/api/policies/${id}`)).body.policy;
    expect(policy.rules.map((r: { frequency: number }) => r.frequency)).toEqual([120]);

    const replaced = await task(await post(`/api/policies/${id}/rules?replace_all_rules=true`, [{ frequency: 30, retention: 60 }]));
    expect(replaced.state).toBe('COMPLETED');
    expect((await get(`/api/policies/${id}`)).body.policy.rules.map((r: { frequency: number }) => r.frequency)).toEqual([30]);
    expect((await post(`/api/policies/${id}/rules`, [{ frequency: 30, retention: 60, start_time: '25:00' }])).status).toBe(400);

    const inUse = (await get('/api/policies?name=gold')).body.policies[0];
    const refused = await request(h.app).delete(`/api/policies/${inUse.id}`).set(auth);
    expect(refused.status).toBe(400);
    expect(refused.body.exception).toBe('com.simplivity.restapi.exceptions.ObjectInUseException');
    expect((await task(await request(h.app).delete(`/api/policies/${id}`).set(auth))).state).toBe('COMPLETED');
    expect((await get(`/api/policies/${id}`)).status).toBe(404);
  });

  it('sets a cluster time zone', async () => {
    const cluster = (await get('/api/omnistack_clusters?name=cluster-a')).body.omnistack_clusters[0];
    expect((await post(`/api/omnistack_clusters/${cluster.id}/set_time_zone`, { time_zone: 'Mars/Olympus' })).status).toBe(400);
    expect((await task(await post(`/api/omnistack_clusters/${cluster.id}/set_time_zone`, { time_zone: 'America/New_York' }))).state).toBe('COMPLETED');
    expect((await get(`/api/omnistack_clusters/${cluster.id}`)).body.omnistack_cluster.time_zone).toBe('America/New_York');
  });
  it('switches the Intelligent Workload Optimizer of a cluster (set_iwo)', async () => {
    const cluster = (await get('/api/omnistack_clusters?name=cluster-a')).body.omnistack_clusters[0];
    expect(cluster).toMatchObject({ iwo_enabled: false, iwo_active: false });
    const missing = await post(`/api/omnistack_clusters/${cluster.id}/set_iwo`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.exception).toBe('com.simplivity.restapi.exceptions.InvalidBodyException');
    expect((await post(`/api/omnistack_clusters/${cluster.id}/set_iwo`, { enabled: 'maybe' })).status).toBe(400);
    expect((await post('/api/omnistack_clusters/00000000-0000-4000-8000-000000000000/set_iwo', { enabled: true })).status).toBe(404);
    const done = await task(await post(`/api/omnistack_clusters/${cluster.id}/set_iwo`, { enabled: true }));
    expect(done).toMatchObject({ state: 'COMPLETED', type: 'SET_IWO_OMNISTACK_CLUSTER', affected_objects: [{ object_type: 'omnistack_cluster', object_id: cluster.id }] });
    const up = cluster.members.length >= 2;
    expect((await get(`/api/omnistack_clusters/${cluster.id}`)).body.omnistack_cluster).toMatchObject({ iwo_enabled: true, iwo_active: up });
    expect((await task(await post(`/api/omnistack_clusters/${cluster.id}/set_iwo`, { enabled: false }))).state).toBe('COMPLETED');
    expect((await get(`/api/omnistack_clusters/${cluster.id}`)).body.omnistack_cluster).toMatchObject({ iwo_enabled: false, iwo_active: false });
  });
});

describe('OmniStack request hygiene', () => {
  let h: Harness;
  let auth: { Authorization: string };
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' }, {}, '/omnistack');
    const res = await request(h.app).post('/omnistack/api/oauth/token').set('Authorization', `Basic ${Buffer.from('simplivity:').toString('base64')}`).type('form').send({ grant_type: 'password', username: 'administrator@vsphere.local', password: 'svtpassword' });
    auth = { Authorization: `Bearer ${res.body.access_token}` };
  });
  afterAll(() => h.rt.close());

  it('accepts every vnd.simplivity version and application/json, and ignores bodies on GET and DELETE', async () => {
    for (const v of ['v1', 'v1.1', 'v1.9', 'v1.25']) {
      const res = await request(h.app).get('/omnistack/api/hosts').set(auth).set('Accept', `application/vnd.simplivity.${v}+json`).set('Content-Type', `application/vnd.simplivity.${v}+json`).send('""');
      expect(res.status).toBe(200);
    }
    const withBody = await request(h.app).get('/omnistack/api/hosts').set(auth).set('Content-Type', 'application/json').send('{}');
    expect(withBody.status).toBe(200);
  });

  it('refuses malformed JSON, non-JSON bodies and oversized bodies in the vendor shape', async () => {
    const vm = (await request(h.app).get('/omnistack/api/virtual_machines?limit=1').set(auth)).body.virtual_machines[0];
    const malformed = await request(h.app).post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(auth).set('Content-Type', 'application/vnd.simplivity.v1.5+json').send('{"virtual_machine_name":');
    expect(malformed.status).toBe(400);
    expect(malformed.body.path).toBe(`/api/virtual_machines/${vm.id}/clone`);
    expect(malformed.body.status).toBe('400');
    const text = await request(h.app).post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(auth).set('Content-Type', 'text/plain').send('hello');
    expect(text.status).toBe(415);
    expect(text.body).toMatchObject({ exception: 'org.springframework.web.HttpMediaTypeNotSupportedException', message: "Content type 'text/plain' not supported", status: '415' });
    const huge = await request(h.app).post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(auth).set('Content-Type', 'application/json').send(JSON.stringify({ virtual_machine_name: 'x'.repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.exception).toBe('com.simplivity.restapi.exceptions.BodyTooLargeException');
    const wrongType = await request(h.app).post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(auth).set('Content-Type', 'application/json').send('[1,2]');
    expect(wrongType.status).toBe(400);
    const numberName = await request(h.app).post(`/omnistack/api/virtual_machines/${vm.id}/clone`).set(auth).set('Content-Type', 'application/json').send('{"virtual_machine_name": 12}');
    expect(numberName.status).toBe(400);
  });

  it('tolerates trailing slashes and builds no URL from the mount prefix', async () => {
    const res = await request(h.app).get('/omnistack/api/policies/').set(auth);
    expect(res.status).toBe(200);
    const missing = await request(h.app).get('/omnistack/api/policies/00000000-0000-4000-8000-000000000000').set(auth);
    expect(missing.body.path).toBe('/api/policies/00000000-0000-4000-8000-000000000000');
  });

  it('enforces minimum versions only in strict mode', async () => {
    const strict = await harness({ fixture: 'demo' }, { strictMediaTypes: true });
    try {
      const t = await strict.login();
      const vm = (await request(strict.app).get('/api/virtual_machines?limit=1').set('Authorization', `Bearer ${t}`)).body.virtual_machines[0];
      const old = await request(strict.app).post(`/api/virtual_machines/${vm.id}/power_off`).set('Authorization', `Bearer ${t}`).set('Content-Type', 'application/vnd.simplivity.v1.8+json').send('null');
      expect(old.status).toBe(415);
      expect(old.body.message).toBe("Content type 'application/vnd.simplivity.v1.8+json' not supported");
      const ok = await request(strict.app).post(`/api/virtual_machines/${vm.id}/power_off`).set('Authorization', `Bearer ${t}`).set('Content-Type', 'application/vnd.simplivity.v1.11+json').send('null');
      expect(ok.status).toBe(202);
      await strict.rt.jobsIdle();
    } finally {
      await strict.rt.close();
    }
  });
});

describe('OmniStack hosts and cluster groups', () => {
  let h: Harness;
  let auth: { Authorization: string };
  let token: string;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(() => h.rt.close());

  it('removes a host from the federation, refusing one that runs VMs unless forced', async () => {
    const host = (await request(h.app).get('/api/hosts?name=node-a3').set(auth)).body.hosts[0];
    const refused = await request(h.app).post(`/api/hosts/${host.id}/remove_from_federation`).set(auth).send({ force: false });
    expect(refused.status).toBe(400);
    expect(refused.body.exception).toBe('com.simplivity.restapi.exceptions.ObjectInUseException');
    const res = await request(h.app).post(`/api/hosts/${host.id}/remove_from_federation`).set(auth).set('Content-Type', 'application/vnd.simplivity.v1.5+json').send(JSON.stringify({ force: true }));
    const done = await waitTask(h, token, res.body.task.id);
    expect(done.state).toBe('COMPLETED');
    expect((await request(h.app).get(`/api/hosts/${host.id}`).set(auth)).body.host.omnistack_cluster_id).toBeNull();
    const cache = (await request(h.app).get('/api/virtual_machines?name=cache-01').set(auth)).body.virtual_machines[0];
    expect(cache.host_name).toBe('node-a1');
    const cluster = (await request(h.app).get('/api/omnistack_clusters?name=cluster-a').set(auth)).body.omnistack_clusters[0];
    expect(cluster.members).toHaveLength(2);
  });

  it('renames a cluster group (the core site) with a task whose affected_objects is empty', async () => {
    const group = (await request(h.app).get('/api/cluster_groups').set(auth)).body.cluster_groups[0];
    const res = await request(h.app).post(`/api/cluster_groups/${group.id}/rename`).set(auth).send({ cluster_group_name: 'east' });
    const done = await waitTask(h, token, res.body.task.id);
    expect(done).toMatchObject({ state: 'COMPLETED', affected_objects: [] });
    expect((await h.rt.services.sites.get(group.id)).name).toBe('east');
    expect((await request(h.app).get('/api/hosts?compute_cluster_parent_name=east').set(auth)).body.count).toBeGreaterThan(0);
  });

  it('routes absolute-form request targets as HPE Python SDK sends them', async () => {
    const server = h.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    try {
      const http = await import('http');
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: `http://127.0.0.1:${port}/api/policies?case=sensitive&limit=500&offset=0&order=descending&sort=name`, headers: { Authorization: `Bearer ${token}`, 'Content-type': 'application/vnd.simplivity.v1.8+json', 'Content-Length': '0' } }, (res) => {
          let data = '';
          res.on('data', (c) => (data += c));
          res.on('end', () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`${res.statusCode} ${data}`))));
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body).count).toBe(2);
    } finally {
      server.close();
    }
  });
});

describe('OmniStack policy suspension', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('suspends and resumes policy backups; suspended clusters take none', async () => {
    const hour = 3_600_000;
    h.rt.clock.setState({ frozenAtMs: Math.ceil(h.rt.clock.now().getTime() / hour) * hour + 60_000, offsetMs: 0 });
    const token = await h.login();
    const auth = { Authorization: `Bearer ${token}` };
    const cluster = (await request(h.app).get('/api/omnistack_clusters?name=cluster-a').set(auth)).body.omnistack_clusters[0];
    const suspend = await request(h.app).post('/api/policies/suspend').set(auth).send({ target_object_type: 'omnistack_cluster', target_object_id: cluster.id });
    expect((await waitTask(h, token, suspend.body.task.id)).state).toBe('COMPLETED');
    expect((await request(h.app).get('/api/hosts?policy_enabled=false&sort=name&order=ascending').set(auth)).body.hosts.map((x: { name: string }) => x.name)).toEqual(['node-a1', 'node-a2', 'node-a3']);
    h.rt.clock.advance(3 * hour);
    const fresh = { Authorization: `Bearer ${await h.login()}` };
    expect((await request(h.app).get('/api/backups?type=POLICY').set(fresh)).body.count).toBe(0);
    const resume = await request(h.app).post('/api/policies/resume').set(fresh).send({ target_object_type: 'federation' });
    expect((await waitTask(h, fresh.Authorization.slice(7), resume.body.task.id)).state).toBe('COMPLETED');
    expect((await request(h.app).get('/api/hosts?policy_enabled=false').set(fresh)).body.count).toBe(0);
    const bad = await request(h.app).post('/api/policies/suspend').set(fresh).send({ target_object_type: 'galaxy', target_object_id: 'x' });
    expect(bad.status).toBe(400);
  });
});

describe('OmniStack virtual controller shutdown', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('shuts a controller down when a peer can take over, and says so without a task', async () => {
    const auth = { Authorization: `Bearer ${await h.login()}` };
    const hosts = (await request(h.app).get('/api/hosts?omnistack_cluster_id=' + (await request(h.app).get('/api/omnistack_clusters?name=cluster-b').set(auth)).body.omnistack_clusters[0].id + '&sort=name&order=ascending').set(auth)).body.hosts;
    const [b1, b2] = hosts;
    const ok = await request(h.app).post(`/api/hosts/${b1.id}/shutdown_virtual_controller`).set(auth).set('Content-Type', 'application/json').send({ ha_wait: true });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ shutdown_status: { status: 'SUCCESS' } });
    expect((await request(h.app).get(`/api/hosts/${b1.id}`).set(auth)).body.host.state).toBe('SUSPECTED');
    // node-b3 is down, node-b1 now stopped: node-b2 has no running peer left.
    const refused = await request(h.app).post(`/api/hosts/${b2.id}/shutdown_virtual_controller`).set(auth).send({ ha_wait: true });
    expect(refused.body).toEqual({ shutdown_status: { status: 'FAILURE' } });
    expect((await request(h.app).get(`/api/hosts/${b2.id}/virtual_controller_shutdown_status`).set(auth)).body).toEqual({ shutdown_status: { status: 'NONE' } });
    expect((await request(h.app).post(`/api/hosts/${b2.id}/cancel_virtual_controller_shutdown`).set(auth)).body).toEqual({ cancellation_status: { status: 'FAILURE' } });
  });
});

describe('OmniStack datastore shares', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('shares a datastore with a standard host of its site and withdraws it', async () => {
    const token = await h.login();
    const auth = { Authorization: `Bearer ${token}` };
    const ds = (await request(h.app).get('/api/datastores?name=ds-a1').set(auth)).body.datastores[0];
    const standard = await request(h.app).get(`/api/datastores/${ds.id}/standard_hosts`).set(auth);
    expect(standard.body.standard_hosts.map((x: { name: string }) => x.name)).toEqual(['mds-01', 'oss-01', 'oss-02']);
    expect(standard.body.standard_hosts[0]).toMatchObject({ ip_address: '10.0.3.11', shared: false, virtual_machine_count: 0, hypervisor_object_id: expect.stringMatching(/^host-\d+$/) });
    const shared = await request(h.app).post(`/api/datastores/${ds.id}/share`).set(auth).set('Content-Type', 'application/vnd.simplivity.v1.14+json').send(JSON.stringify({ host_name: 'mds-01' }));
    expect((await waitTask(h, token, shared.body.task.id)).state).toBe('COMPLETED');
    expect((await request(h.app).get(`/api/datastores/${ds.id}`).set(auth)).body.datastore.shares).toEqual([{ address: '10.0.3.11', host: 'mds-01', rw: true }]);
    expect((await request(h.app).post(`/api/datastores/${ds.id}/share`).set(auth).send({ host_name: 'mds-01' })).status).toBe(400);
    expect((await request(h.app).post(`/api/datastores/${ds.id}/share`).set(auth).send({ host_name: 'node-a1' })).status).toBe(400);
    expect((await request(h.app).post(`/api/datastores/${ds.id}/share`).set(auth).send({ host_name: 'ghost' })).status).toBe(404);
    const unshared = await request(h.app).post(`/api/datastores/${ds.id}/unshare`).set(auth).send({ host_name: 'mds-01' });
    expect((await waitTask(h, token, unshared.body.task.id)).state).toBe('COMPLETED');
    expect((await request(h.app).get(`/api/datastores/${ds.id}`).set(auth)).body.datastore.shares).toEqual([]);
  });
});
