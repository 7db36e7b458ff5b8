import request from 'supertest';
import { ADMIN, BASIC, Harness, PY_CT, harness, waitTask } from './harness';

/**
 * The Python SDK's exact sequence (research section 8): login, list VMs, back one up, poll the
 * task, read the backup by id, list backups. Any 401 {"error":"invalid_token"} makes the
 * client log in again and repeat the call once, which this client does too.
 */
class PythonLikeClient {
  token?: string;
  logins = 0;
  constructor(private readonly h: Harness) {}

  async login(): Promise<void> {
    const res = await request(this.h.app)
      .post('/api/oauth/token')
      .set('Authorization', BASIC)
      .set('Accept', 'application/json')
      .set('Content-type', 'application/x-www-form-urlencoded')
      .send(`grant_type=password&username=${encodeURIComponent(ADMIN.username)}&password=${ADMIN.password}`);
    expect(res.status).toBe(200);
    this.token = res.body.access_token;
    this.logins++;
  }

  async call(method: 'get' | 'post', path: string, body?: unknown): Promise<request.Response> {
    const send = () => {
      const r = request(this.h.app)[method](path).set('Accept', 'application/json').set('Content-type', PY_CT).set('Authorization', `Bearer ${this.token}`);
      return method === 'post' ? r.send(JSON.stringify(body ?? null)) : r;
    };
    let res = await send();
    if (res.body && res.body.error === 'invalid_token') {
      await this.login();
      res = await send();
    }
    return res;
  }
}

describe('OmniStack: list VMs, back one up, wait, list backups', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('runs the Python SDK sequence, re-logging in silently after the token expires', async () => {
    const client = new PythonLikeClient(h);
    await client.login();

    const list = await client.call('get', '/api/virtual_machines?case=sensitive&limit=500&offset=0&order=descending&sort=name');
    expect(list.status).toBe(200);
    expect(Object.keys(list.body)).toEqual(['offset', 'limit', 'count', 'virtual_machines']);
    expect(list.body).toMatchObject({ offset: 0, limit: 500, count: 6 });
    const names = list.body.virtual_machines.map((v: { name: string }) => v.name);
    expect(names).toEqual([...names].sort().reverse());
    const vm = list.body.virtual_machines.find((v: { name: string }) => v.name === 'web-01');
    expect(vm).toMatchObject({ state: 'ALIVE', hypervisor_type: 'VSPHERE', omnistack_cluster_name: 'cluster-a', datastore_name: 'ds-a1', host_name: 'node-a1', policy_name: 'Fixed Default Backup Policy' });

    // The idle timeout passes between listing and backing up.
    h.rt.clock.advance(601_000);
    const backup = await client.call('post', `/api/virtual_machines/${vm.id}/backup`, { backup_name: 'b1', app_consistent: false, consistency_type: null, retention: 0 });
    expect(client.logins).toBe(2);
    expect(backup.status).toBe(202);
    const task = backup.body.task;
    expect(task.id).toMatch(/^[0-9a-f-]{36}:[0-9a-f-]{36}:[0-9a-f-]{36}$/);
    expect(task).toMatchObject({ state: 'IN_PROGRESS', affected_objects: [], error_code: 0, end_time: '1970-01-01T00:00:00Z' });
    expect(task.start_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const done = await waitTask(h, client.token!, task.id);
    expect(done.state).toBe('COMPLETED');
    expect(done.percent_complete).toBe(100);
    expect(done.end_time).not.toBe('1970-01-01T00:00:00Z');
    const affected = done.affected_objects as { object_type: string; object_id: string }[];
    expect(affected).toHaveLength(1);
    expect(affected[0].object_type).toBe('backup');
    const again = await client.call('get', `/api/tasks/${task.id}`);
    expect(again.body.task).toEqual(done);

    const byId = await client.call('get', `/api/backups?case=sensitive&id=${affected[0].object_id}&limit=500&offset=0&order=descending&sort=name`);
    expect(byId.body.count).toBe(1);
    expect(byId.body.backups[0]).toMatchObject({
      id: affected[0].object_id,
      name: 'b1',
      state: 'PROTECTED',
      type: 'MANUAL',
      virtual_machine_id: vm.id,
      virtual_machine_name: 'web-01',
      virtual_machine_state: 'ALIVE',
      datastore_name: 'ds-a1',
      omnistack_cluster_name: 'cluster-a',
      expiration_time: 'NA',
      consistency_type: 'NONE',
      application_consistent: false,
      size: 40 * 1024 ** 3,
    });

    const vmBackups = await client.call('get', `/api/virtual_machines/${vm.id}/backups?type=MANUAL`);
    expect(vmBackups.body.backups.map((b: { id: string }) => b.id)).toEqual([affected[0].object_id]);
    const all = await client.call('get', '/api/backups?case=sensitive&limit=500&offset=0&order=descending&sort=name&type=MANUAL');
    expect(all.body.count).toBe(1);

    // And the 24 hour limit: another silent re-login.
    h.rt.clock.advance(86_401_000);
    const later = await client.call('get', '/api/backups?case=sensitive&limit=500&offset=0&order=descending&sort=name');
    expect(later.status).toBe(200);
    expect(client.logins).toBe(3);
  });

  it('completes 20 parallel backups of one VM with 20 distinct backups', async () => {
    const token = await h.login();
    const [vm] = await h.rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'db-01' } });
    const posts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        request(h.app).post(`/api/virtual_machines/${vm.id}/backup`).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/vnd.simplivity.v1.5+json').send({ backup_name: `p${i}`, retention: 60 }),
      ),
    );
    expect(posts.map((p) => p.status)).toEqual(Array(20).fill(202));
    const tasks = await Promise.all(posts.map((p) => waitTask(h, token, p.body.task.id)));
    expect(tasks.every((t) => t.state === 'COMPLETED')).toBe(true);
    const ids = new Set(tasks.map((t) => (t.affected_objects as { object_id: string }[])[0].object_id));
    expect(ids.size).toBe(20);
    const list = await request(h.app).get(`/api/backups?virtual_machine_id=${vm.id}&limit=5000&type=manual`).set('Authorization', `Bearer ${token}`);
    expect(list.body.count).toBe(20);
    expect(new Set(list.body.backups.map((b: { name: string }) => b.name)).size).toBe(20);
    // Retention of 60 minutes: an hour later they are gone.
    h.rt.clock.advance(61 * 60_000);
    const fresh = await h.login();
    const after = await request(h.app).get(`/api/backups?virtual_machine_id=${vm.id}&type=MANUAL`).set('Authorization', `Bearer ${fresh}`);
    expect(after.body.count).toBe(0);
  });
});

describe('OmniStack policy-scheduled backups', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('accumulates backups on the rule schedule and expires them after retention, on the virtual clock', async () => {
    const hour = 3_600_000;
    const first = Math.ceil(h.rt.clock.now().getTime() / hour) * hour;
    h.rt.clock.setState({ frozenAtMs: first + 60_000, offsetMs: 0 });
    const [vm] = await h.rt.services.vms.list({ filter: { field: 'name', op: 'eq', value: 'web-01' } });
    const policyBackups = async () => {
      const token = await h.login();
      const res = await request(h.app).get(`/api/virtual_machines/${vm.id}/backups?type=POLICY&sort=created_at&order=ascending`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(200);
      return res.body.backups as { created_at: string; type: string; name: string; expiration_time: string }[];
    };
    expect(await policyBackups()).toHaveLength(1);
    h.rt.clock.advance(5 * hour);
    const five = await policyBackups();
    expect(five).toHaveLength(6);
    expect(five[0]).toMatchObject({ type: 'POLICY', created_at: new Date(first).toISOString().replace('.000Z', 'Z') });
    expect(five[0].name).toMatch(/^web-01-backup-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    expect(five[0].expiration_time).toBe(new Date(first + 24 * hour).toISOString().replace('.000Z', 'Z'));
    // Fixed Default Backup Policy keeps a day: thirty hours on, only the last 24 hourly backups remain.
    // Deleting a policy backup does not bring it back at the next schedule catch-up.
    const token = await h.login();
    const ids = (await request(h.app).get(`/api/backups?virtual_machine_id=${vm.id}&type=POLICY`).set('Authorization', `Bearer ${token}`)).body.backups.map((b: { id: string }) => b.id);
    const del = await request(h.app).post('/api/backups/delete').set('Authorization', `Bearer ${token}`).send({ backup_id: [ids[0]] });
    expect((await waitTask(h, token, del.body.task.id)).state).toBe('COMPLETED');
    h.rt.clock.advance(60_000);
    expect(await policyBackups()).toHaveLength(5);
    h.rt.clock.advance(30 * hour);
    expect(await policyBackups()).toHaveLength(24);
  });
});

describe('OmniStack max_backups', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness({ fixture: 'demo' });
  });
  afterAll(() => h.rt.close());

  it('keeps at most max_backups of a rule per VM, rotating the oldest out; locked backups stay', async () => {
    const hour = 3_600_000;
    const first = Math.ceil(h.rt.clock.now().getTime() / hour) * hour;
    h.rt.clock.setState({ frozenAtMs: first + 60_000, offsetMs: 0 });
    let token = await h.login();
    const api = (method: 'get' | 'post', path: string, body?: unknown) => {
      const r = request(h.app)[method](path).set('Authorization', `Bearer ${token}`);
      return method === 'post' ? r.send(body as object) : r;
    };
    const done = async (res: request.Response) => {
      expect(res.status).toBe(202);
      const task = await waitTask(h, token, res.body.task.id);
      expect(task.state).toBe('COMPLETED');
      return task;
    };
    const policy = await done(await api('post', '/api/policies', { name: 'three-hourlies' }));
    const policyId = (policy.affected_objects as { object_id: string }[])[0].object_id;
    await done(await api('post', `/api/policies/${policyId}/rules`, [{ frequency: 60, retention: 1440, max_backups: 3 }]));
    expect((await api('get', `/api/policies/${policyId}`)).body.policy.rules[0]).toMatchObject({ frequency: 60, retention: 1440, max_backups: 3 });
    const [vm] = (await api('get', '/api/virtual_machines?name=web-02')).body.virtual_machines;
    await done(await api('post', `/api/virtual_machines/${vm.id}/set_policy`, { policy_id: policyId }));
    const hours = async () => {
      token = await h.login();
      const res = await api('get', `/api/virtual_machines/${vm.id}/backups?type=POLICY&sort=created_at&order=ascending`);
      return (res.body.backups as { created_at: string }[]).map((b) => (Date.parse(b.created_at) - first) / hour);
    };

    h.rt.clock.advance(5 * hour);
    expect(await hours()).toEqual([3, 4, 5]);
    h.rt.clock.advance(2 * hour);
    expect(await hours()).toEqual([5, 6, 7]);

    // The oldest, locked, outlives the rotation; the rule still keeps three of its own besides.
    const oldest = (await api('get', `/api/virtual_machines/${vm.id}/backups?type=POLICY&sort=created_at&order=ascending&limit=1`)).body.backups[0];
    await done(await api('post', `/api/backups/${oldest.id}/lock`));
    h.rt.clock.advance(hour);
    expect(await hours()).toEqual([5, 6, 7, 8]);
  });
});
