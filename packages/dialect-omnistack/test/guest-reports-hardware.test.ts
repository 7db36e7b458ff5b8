import request from 'supertest';
import { Harness, READONLY, harness, waitTask } from './harness';

const EX = 'com.simplivity.restapi.exceptions.';
const NOWHERE = '00000000-0000-4000-8000-000000000000';
const GiB = 1024 ** 3;

type Task = Record<string, unknown>;

describe('OmniStack backup parameters, impact reports and host hardware', () => {
  let h: Harness;
  let token: string;
  let auth: { Authorization: string };
  const get = (path: string) => request(h.app).get(path).set(auth);
  const post = (path: string, body?: unknown, type = 'application/vnd.simplivity.v1.14+json') => {
    const r = request(h.app).post(path).set(auth).set('Content-Type', type);
    return body === undefined ? r : r.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const task = async (res: request.Response): Promise<Task> => {
    expect(res.status).toBe(202);
    return waitTask(h, token, res.body.task.id);
  };
  const vmNamed = async (name: string) => (await get(`/api/virtual_machines?name=${name}`)).body.virtual_machines[0];
  const idOf = async (collection: string, name: string) => (await get(`/api/${collection}?name=${encodeURIComponent(name)}`)).body[collection][0].id as string;

  beforeAll(async () => {
    // Report limits small enough that the demo's schedules show as percentages.
    h = await harness({ fixture: 'demo' }, { dailyBackupRateLimit: 336, retainedBackupsLimit: 1488 });
    token = await h.login();
    auth = { Authorization: `Bearer ${token}` };
  });
  afterAll(() => h.rt.close());

  describe('backup_parameters', () => {
    it('sets a guest account as a task; the VM shows VALID_CREDS and never the password', async () => {
      const vm = await vmNamed('web-02');
      expect(vm.app_aware_vm_status).toBe('UNKNOWN');
      const done = await task(await post(`/api/virtual_machines/${vm.id}/backup_parameters`, { guest_username: 'svt', guest_password: 's3cret!', override_guest_validation: false, app_aware_type: 'VSS' }));
      expect(done).toMatchObject({ state: 'COMPLETED', affected_objects: [{ object_type: 'virtual_machine', object_id: vm.id }] });
      const job = await h.rt.services.jobs.get(String(done.id).split(':').pop()!);
      expect(JSON.stringify(job)).not.toContain('s3cret!');
      expect(job.steps.map((s) => s.name)).toEqual(['validate guest credentials', 'save guest credentials']);
      const shown = await get(`/api/virtual_machines/${vm.id}`);
      expect(shown.body.virtual_machine.app_aware_vm_status).toBe('VALID_CREDS');
      expect(shown.text).not.toContain('s3cret!');
      expect((await get(`/api/virtual_machines?app_aware_vm_status=VALID_CREDS`)).body.virtual_machines.map((v: { id: string }) => v.id)).toEqual([vm.id]);
      expect((await get(`/api/virtual_machines?app_aware_vm_status=UNKNOWN`)).body.count).toBe(5);

      const check = (body: unknown) => post(`/api/virtual_machines/${vm.id}/validate_backup_credentials`, body, 'application/vnd.simplivity.v1.8+json');
      expect((await check({ guest_username: 'svt', guest_password: 's3cret!' })).body).toEqual({ credentials_validation: { status: 'VALID' } });
      expect((await check({ guest_username: 'svt', guest_password: 'wrong' })).body).toEqual({ credentials_validation: { status: 'INVALID' } });
    });

    it('makes VSS backups application-consistent only with a guest account', async () => {
      const withAccount = await vmNamed('web-02');
      const without = await vmNamed('web-01');
      const vss = async (vmId: string) => {
        const done = await task(await post(`/api/virtual_machines/${vmId}/backup`, { backup_name: `vss-${vmId.slice(0, 4)}`, consistency_type: 'VSS', app_consistent: true }));
        return (await get(`/api/backups/${(done.affected_objects as { object_id: string }[])[0].object_id}`)).body.backup.consistency_type;
      };
      expect(await vss(withAccount.id)).toBe('VSS');
      expect(await vss(without.id)).toBe('FAILEDVSS');
    });

    it('validates against a stopped guest only when told not to; the GO spelling of the override works', async () => {
      const stopped = await vmNamed('batch-01');
      const failed = await task(await post(`/api/virtual_machines/${stopped.id}/backup_parameters`, { guest_username: 'svt', guest_password: 'pw' }));
      expect(failed).toMatchObject({ state: 'FAILED', error_code: 130, message: 'The VM power state is not acceptable.' });
      const forced = await task(await post(`/api/virtual_machines/${stopped.id}/backup_parameters`, { guest_username: 'svt', guest_password: 'pw', override_validation: true, app_aware_type: null }, 'application/vnd.simplivity.v1.11+json'));
      expect(forced.state).toBe('COMPLETED');
      expect((await get(`/api/virtual_machines/${stopped.id}`)).body.virtual_machine.app_aware_vm_status).toBe('CAPABLE');
      const off = await post(`/api/virtual_machines/${stopped.id}/validate_backup_credentials`, { guest_username: 'svt', guest_password: 'pw' });
      expect(off.body).toEqual({ credentials_validation: { status: 'VM_POWERED_OFF' } });
    });

    it.each([
      ['no user name', { guest_password: 'pw' }, 400, `${EX}InvalidBodyException`],
      ['a number for a password', { guest_username: 'svt', guest_password: 7 }, 400, `${EX}InvalidBodyException`],
      ['an unknown app_aware_type', { guest_username: 'svt', guest_password: 'pw', app_aware_type: 'SNAPSHOT' }, 400, `${EX}InvalidBodyException`],
      ['a string for the override', { guest_username: 'svt', guest_password: 'pw', override_guest_validation: 'maybe' }, 400, `${EX}InvalidBodyException`],
      ['malformed JSON', '{"guest_username": "svt",', 400, 'org.springframework.http.converter.HttpMessageNotReadableException'],
    ])('refuses backup parameters with %s', async (_what, body, status, exception) => {
      const vm = await vmNamed('web-01');
      const res = await post(`/api/virtual_machines/${vm.id}/backup_parameters`, body);
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ exception, status: String(status) });
    });

    it('answers unknown VMs and read-only users in the vendor shape; read-only users may validate', async () => {
      const unknown = await post(`/api/virtual_machines/${NOWHERE}/backup_parameters`, { guest_username: 'svt', guest_password: 'pw' });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe(`Object type: virtual_machine id: ${NOWHERE} could not be found`);
      const vm = await vmNamed('web-02');
      const ro = await h.login(READONLY);
      const refused = await request(h.app).post(`/api/virtual_machines/${vm.id}/backup_parameters`).set('Authorization', `Bearer ${ro}`).send({ guest_username: 'svt', guest_password: 'pw' });
      expect(refused.status).toBe(400);
      expect(refused.body.exception).toBe(`${EX}PermissionDeniedException`);
      const allowed = await request(h.app).post(`/api/virtual_machines/${vm.id}/validate_backup_credentials`).set('Authorization', `Bearer ${ro}`).send({ guest_username: 'svt', guest_password: 's3cret!' });
      expect(allowed.body).toEqual({ credentials_validation: { status: 'VALID' } });
      const missing = await post(`/api/virtual_machines/${vm.id}/validate_backup_credentials`, { guest_username: 'svt' });
      expect(missing.status).toBe(400);
    });
  });

  describe('impact reports', () => {
    // Demo schedules: "Fixed Default" (hourly, kept a day) covers web-01 and, through ds-a1,
    // web-02 and batch-01: 3 x 24 a day, 3 x 24 kept. gold (every 30 min, kept a week) covers
    // db-01 and, through ds-a2, cache-01: 2 x 48 a day, 2 x 336 kept. Together 168 and 744.
    const NOW = { backup_rate_level: 50, daily_backup_rate: 168, daily_backup_rate_limit: 336, projected_retained_backups: 744, projected_retained_backups_level: 50, retained_backups_limit: 1488 };

    it('reports the federation schedule, and a cluster group\u2019s', async () => {
      const report = await get('/api/policies/policy_schedule_report');
      expect(report.status).toBe(200);
      expect(report.body).toEqual(NOW);
      const site = (await get('/api/cluster_groups')).body.cluster_groups[0].id;
      expect((await get(`/api/policies/policy_schedule_report?cluster_group_id=${site}`)).body).toEqual(NOW);
      const unknown = await get(`/api/policies/policy_schedule_report?cluster_group_id=${NOWHERE}`);
      expect(unknown.status).toBe(404);
    });

    it('reports what new rules would do (PY: array body, replace_all_rules=False)', async () => {
      const gold = await idOf('policies', 'gold');
      const res = await post(`/api/policies/${gold}/impact_report/create_rules?replace_all_rules=False`, [{ frequency: 1440, retention: 43200 }]);
      expect(res.status).toBe(200);
      expect(res.body.schedule_before_change).toEqual(NOW);
      // A daily rule kept 30 days on gold's two VMs: +2 a day, +60 kept.
      expect(res.body.schedule_after_change).toMatchObject({ daily_backup_rate: 170, projected_retained_backups: 804 });
      const replaced = await post(`/api/policies/${gold}/impact_report/create_rules?replace_all_rules=true`, { frequency: 1440, retention: 43200 });
      expect(replaced.body.schedule_after_change).toMatchObject({ daily_backup_rate: 72 + 2, projected_retained_backups: 72 + 60 });
      // A report changes nothing.
      expect((await get(`/api/policies/${gold}`)).body.policy.rules).toHaveLength(1);
    });

    it('reports what edited and deleted rules would do', async () => {
      const fixed = (await get(`/api/policies?name=${encodeURIComponent('Fixed Default Backup Policy')}`)).body.policies[0];
      const edited = await post(`/api/policies/${fixed.id}/impact_report/edit_rules`, [{ rule_id: fixed.rules[0].id, frequency: 120, retention: 1440 }]);
      expect(edited.body.schedule_after_change).toMatchObject({ daily_backup_rate: 36 + 96, projected_retained_backups: 36 + 672, backup_rate_level: 39 });
      const gold = (await get('/api/policies?name=gold')).body.policies[0];
      const deleted = await post(`/api/policies/${gold.id}/rules/${gold.rules[0].id}/impact_report/delete_rule`);
      expect(deleted.body.schedule_after_change).toMatchObject({ daily_backup_rate: 72, projected_retained_backups: 72 });
    });

    it('reports what applying a policy to VMs would do', async () => {
      const gold = await idOf('policies', 'gold');
      const analytics = await vmNamed('analytics-01');
      const web = await vmNamed('web-01');
      const res = await post('/api/virtual_machines/policy_impact_report/apply_policy', { virtual_machine_id: [analytics.id, web.id], policy_id: gold });
      expect(res.status).toBe(200);
      // analytics-01 had no policy (+48, +336); web-01 leaves Fixed Default for gold (-24 +48, -24 +336).
      expect(res.body.schedule_after_change).toMatchObject({ daily_backup_rate: 168 + 48 + 24, projected_retained_backups: 744 + 336 + 312 });
    });

    it.each([
      ['an unknown policy', (_g: string) => [`/api/policies/${NOWHERE}/impact_report/create_rules`, [{ frequency: 60, retention: 60 }]], 404],
      ['a rule without a frequency', (g: string) => [`/api/policies/${g}/impact_report/create_rules`, [{ retention: 60 }]], 400],
      ['a negative frequency', (g: string) => [`/api/policies/${g}/impact_report/create_rules`, [{ frequency: -5, retention: 60 }]], 400],
      ['an unknown rule to edit', (g: string) => [`/api/policies/${g}/impact_report/edit_rules`, [{ rule_id: NOWHERE, frequency: 60, retention: 60 }]], 404],
      ['an unknown rule to delete', (g: string) => [`/api/policies/${g}/rules/${NOWHERE}/impact_report/delete_rule`, undefined], 404],
      ['malformed JSON', (g: string) => [`/api/policies/${g}/impact_report/create_rules`, '[{"frequency": '], 400],
      ['an unknown VM', (g: string) => ['/api/virtual_machines/policy_impact_report/apply_policy', { virtual_machine_id: [NOWHERE], policy_id: g }], 404],
      ['no VM list', (g: string) => ['/api/virtual_machines/policy_impact_report/apply_policy', { policy_id: g }], 400],
    ] as [string, (g: string) => [string, unknown], number][])('answers %s in the vendor shape', async (_what, build, status) => {
      const [path, body] = build(await idOf('policies', 'gold'));
      const res = await post(path, body);
      expect(res.status).toBe(status);
      expect(res.body.status).toBe(String(status));
      expect(res.body.exception).toMatch(/^(com|org)\./);
    });

    it('lets read-only users ask for reports but needs a token', async () => {
      const ro = await h.login(READONLY);
      const gold = await idOf('policies', 'gold');
      const res = await request(h.app).post(`/api/policies/${gold}/impact_report/create_rules`).set('Authorization', `Bearer ${ro}`).send([{ frequency: 60, retention: 60 }]);
      expect(res.status).toBe(200);
      const anonymous = await request(h.app).get('/api/policies/policy_schedule_report');
      expect(anonymous.status).toBe(401);
    });
  });

  describe('host hardware', () => {
    it('renders host_hardware from the host and its devices', async () => {
      const host = (await get('/api/hosts?name=node-b1')).body.hosts[0];
      const res = await get(`/api/hosts/${host.id}/hardware`);
      expect(res.status).toBe(200);
      const hw = res.body.host;
      expect(hw).toMatchObject({ name: 'node-b1', host_id: host.id, manufacturer: 'HPE', status: 'GREEN', raid_card: { has_bbu: 'true', status: 'GREEN' }, battery: { health: 'HEALTHY' } });
      expect(hw.serial_number).toMatch(/^[A-Z0-9]{10}$/);
      // Three 2 TiB devices in RAID 5: two drives' worth usable.
      expect(hw.logical_drives).toHaveLength(1);
      expect(hw.logical_drives[0]).toMatchObject({ capacity: 2 * 2048 * GiB, health: 'HEALTHY', status: 'GREEN', name: 1 });
      const drives = hw.logical_drives[0].drive_sets[0].physical_drives;
      expect(drives.map((d: { slot: number; capacity: number }) => [d.slot, d.capacity])).toEqual([
        [1, 2048 * GiB],
        [2, 2048 * GiB],
        [3, 2048 * GiB],
      ]);
      expect(drives[0]).toMatchObject({ media_type: 'SSD', health: 'HEALTHY', status: 'GREEN', wwn: expect.stringMatching(/^5000c500[0-9a-f]{8}$/) });
      // Serials come from ids: the same on every call, different per drive.
      expect((await get(`/api/hosts/${host.id}/hardware`)).body).toEqual(res.body);
      expect(new Set(drives.map((d: { serial_number: string }) => d.serial_number)).size).toBe(3);
    });

    it('shows a failed device as a degraded array and a down host as RED', async () => {
      const host = await h.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: 'node-a2' } });
      const [device] = await h.rt.services.devices.list({ filter: { field: 'hostId', op: 'eq', value: host[0].id }, limit: 1 });
      await h.rt.services.devices.update(device.id, { state: 'failed' });
      const hw = (await get(`/api/hosts/${host[0].id}/hardware`)).body.host;
      expect(hw.logical_drives[0]).toMatchObject({ health: 'DEGRADED', status: 'YELLOW', capacity: 1024 * GiB });
      expect(hw.logical_drives[0].drive_sets[0].physical_drives[0]).toMatchObject({ health: 'FAILED', status: 'RED' });
      expect(hw.status).toBe('YELLOW');
      const down = (await get('/api/hosts?name=node-b3')).body.hosts[0];
      expect((await get(`/api/hosts/${down.id}/hardware`)).body.host.status).toBe('RED');
    });

    it('answers an unknown host with 404 and a missing token with 401', async () => {
      const res = await get(`/api/hosts/${NOWHERE}/hardware`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ exception: `${EX}ObjectNotFoundException`, message: `Object type: host id: ${NOWHERE} could not be found` });
      expect((await request(h.app).get(`/api/hosts/${NOWHERE}/hardware`)).status).toBe(401);
    });
  });
});
