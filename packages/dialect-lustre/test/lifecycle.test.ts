import request from 'supertest';
import { login, lustreApp } from './helpers';

describe('filesystems, targets, hosts and commands', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  const post = (path: string, body: unknown) =>
    request(env.app).post(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const put = (path: string, body: unknown) => request(env.app).put(`/lustre/api/${path}`).set('Cookie', auth.cookie).send(body as object);
  const get = (path: string) => request(env.app).get(`/lustre/api/${path}`);
  let volumes: { id: number; volume_nodes: { host_id: number }[] }[];

  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
    volumes = (await get('volume/?category=usable&limit=0')).body.objects;
  });
  afterAll(async () => env.rt.close());

  it('validates a filesystem POST in IML shapes', async () => {
    const missing = await post('filesystem/', { name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ conf_params: ['This field is mandatory'], mdts: ['This field is mandatory'], mgt: ['This field is mandatory'], osts: ['This field is mandatory'] });
    const long = await post('filesystem/', { name: 'verylongname', conf_params: {}, mgt: { volume_id: 999999 }, mdts: [{ volume_id: volumes[1].id }], osts: [{ volume_id: volumes[1].id }] });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({
      mdts: {},
      mgt: { volume_id: ['Volume with ID 999999 not found'] },
      name: ["Name 'verylongname' too long (max 8 characters)"],
      osts: { '0': { volume_id: [`Volume ID ${volumes[1].id} specified for multiple targets!`] } },
    });
  });

  let fsId: number;
  it('creates a filesystem through a command that ends with it available', async () => {
    const [mgt, mdt, ost1, ost2] = volumes.filter((v, i, all) => all.findIndex((w) => w.volume_nodes[0].host_id === v.volume_nodes[0].host_id) === i);
    const res = await post('filesystem/', {
      name: 'testfs',
      conf_params: {},
      mgt: { volume_id: mgt.id },
      mdts: [{ volume_id: mdt.id, conf_params: {} }],
      osts: [{ volume_id: ost1.id, conf_params: {} }, { volume_id: ost2.id, conf_params: {} }],
    });
    expect(res.status).toBe(202);
    expect(res.body.command).toMatchObject({ message: 'Creating filesystem testfs', complete: false, cancelled: false, errored: false });
    expect(res.body.filesystem).toMatchObject({ name: 'testfs', state: 'unavailable' });
    fsId = res.body.filesystem.id;
    await env.rt.jobsIdle();
    const command = (await get(`command/${res.body.command.id}/`)).body;
    expect(command).toMatchObject({ complete: true, errored: false });
    const job = (await get(command.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job).toMatchObject({ state: 'complete', class_name: 'StartUnavailableFilesystemJob', write_locks: [] });
    const step = (await get(job.steps[0].replace('/lustre/api/', ''))).body;
    expect(step).toMatchObject({ state: 'success', step_index: 0, step_count: 4 });
    const fs = (await get(`filesystem/${fsId}/`)).body;
    expect(fs).toMatchObject({ state: 'available', name: 'testfs', client_count: 0 });
    expect(fs.mgt.kind).toBe('MGT');
    expect(fs.mdts).toHaveLength(1);
    expect(fs.osts).toHaveLength(2);
    // Totals come from the targets: bytes from the OSTs' volumes, inodes from the MDT's (2 KiB each).
    const ostSizes = (await get(`target/?filesystem_id=${fsId}&kind=ost&limit=0`)).body.objects.map((t: { volume: { size: string } }) => Number(t.volume.size));
    expect(ostSizes).toHaveLength(2);
    expect(fs.bytes_total).toBe(ostSizes[0] + ostSizes[1]);
    expect(fs.bytes_free).toBe(fs.bytes_total);
    expect(fs.files_total).toBe(Math.floor(Number(fs.mdts[0].volume.size) / 2048));
    expect(fs.mount_path).toMatch(/@tcp:\/testfs$/);
    // available -> unavailable has no verb in IML, so only Stop and Remove are offered.
    expect(fs.available_transitions.map((t: { verb: string }) => t.verb)).toEqual(['Stop', 'Remove']);
    const targets = (await get(`target/?filesystem_id=${fsId}&limit=0`)).body;
    expect(targets.meta.total_count).toBe(4);
    expect((await get(`target/?filesystem_id=${fsId}&kind=ost`)).body.meta.total_count).toBe(2);
    expect((await get(`target/?filesystem_id=${fsId}&kind=bogus`)).body.meta.total_count).toBe(0);
    // The GUI's per-filesystem OST totals: the MDT and OSTs group under the filesystem, the MGT under none.
    const grouped = (await get('target/metric/?metrics=kbytestotal&latest=true&reduce_fn=sum&group_by=filesystem')).body;
    expect(Object.keys(grouped)).toEqual([String(fsId)]);
    const perFs = (await get(`filesystem/${fsId}/metric/?metrics=kbytestotal&latest=true`)).body;
    expect(grouped[String(fsId)]).toEqual(perFs);
    const used = (await get(`volume/${mgt.id}/`)).body;
    expect(used.usable_for_lustre).toBe(false);
  });

  it('refuses volumes already in use', async () => {
    const fs = (await get(`filesystem/${fsId}/`)).body;
    const volumeId = fs.mdts[0].volume.id;
    const res = await post('filesystem/', { name: 'other', conf_params: {}, mgt: { id: fs.mgt.id }, mdts: [{ volume_id: volumeId }], osts: [{ volume_id: volumeId + 100000 }] });
    expect(res.status).toBe(400);
    expect(res.body.mdts).toEqual({ '0': { volume_id: [`Volume with ID ${volumeId} is already in use by target testfs-MDT0000`] } });
  });

  it('changes state through PUT: dry run, 202, 204 and the scheduling errors', async () => {
    const dry = await put(`filesystem/${fsId}/`, { state: 'stopped', dry_run: true });
    expect(dry.status).toBe(200);
    expect(dry.body.transition_job).toMatchObject({ class: 'StopUnavailableFilesystemJob', stateful_object_id: fsId, stateful_object_content_type_id: 24 });
    expect(dry.body.dependency_jobs).toEqual([]);
    const stop = await put(`filesystem/${fsId}/`, { state: 'stopped' });
    expect(stop.status).toBe(202);
    expect(stop.body.command.message).toBe('Stop file system testfs');
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).body.state).toBe('stopped');
    const same = await put(`filesystem/${fsId}/`, { state: 'stopped' });
    expect(same.status).toBe(204);
    expect((await put(`filesystem/${fsId}/`, { state: 'stopped', dry_run: true })).body).toEqual([]);
    const illegal = await put(`filesystem/${fsId}/`, { state: 'bogus' });
    expect(illegal.status).toBe(400);
    expect(illegal.body).toEqual({
      state:
        "bogus not legal state for <class 'chroma_core.models.filesystem.ManagedFilesystem'>, legal states are ['unavailable', 'stopped', 'available', 'removed', 'forgotten']",
    });
    const start = await put(`filesystem/${fsId}/`, { state: 'available' });
    expect(start.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).body.state).toBe('available');
  });

  it('stops and starts one target, the filesystem following', async () => {
    const ost = (await get(`target/?filesystem_id=${fsId}&kind=OST&limit=1`)).body.objects[0];
    expect(ost.available_transitions.map((t: { verb: string }) => t.verb)).toEqual(['Stop', 'Remove']);
    expect((await put(`target/${ost.id}/`, { state: 'unmounted' })).status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).body.state).toBe('unavailable');
    expect((await get(`target/${ost.id}/`)).body).toMatchObject({ state: 'unmounted', active_host: null, active_host_name: '---' });
    expect((await put(`target/${ost.id}/`, { state: 'mounted' })).status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).body.state).toBe('available');
  });

  it('moves LNet through its states', async () => {
    const lnet = (await get('lnet_configuration/1/')).body;
    expect(lnet.state).toBe('lnet_up');
    expect(lnet.available_transitions.map((t: { verb: string }) => t.verb)).toEqual(['Stop LNet', 'Unload LNet']);
    const res = await put('lnet_configuration/1/', { state: 'lnet_down' });
    expect(res.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get('lnet_configuration/1/')).body.state).toBe('lnet_down');
    expect((await get('lnet_configuration/?host__fqdn=nothing')).body.meta.total_count).toBe(0);
    expect((await get('lnet_configuration/?host__id=1')).body.meta.total_count).toBe(1);
  });

  it('removes the filesystem with DELETE', async () => {
    const res = await request(env.app).delete(`/lustre/api/filesystem/${fsId}/`).set('Cookie', auth.cookie);
    expect(res.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).status).toBe(404);
  });

  it('adds a server, deploying it to managed', async () => {
    const res = await post('host/', { address: 'oss9.example.com', server_profile: '/api/server_profile/default/' });
    expect(res.status).toBe(202);
    expect(res.body.host).toMatchObject({ fqdn: 'oss9.example.com', state: 'unconfigured' });
    await env.rt.jobsIdle();
    const host = (await get(`host/${res.body.host.id}/`)).body;
    expect(host.state).toBe('managed');
    const detected = (await get(`volume_node/?host=${host.id}&limit=0`)).body.objects;
    expect(detected.map((n: { path: string }) => n.path)).toEqual(['/dev/sdb', '/dev/sdc', '/dev/sdd', '/dev/sde']);
    const again = await post('host/', { address: 'oss9.example.com' });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ address: ['Host oss9.example.com is already in use by IML'] });
    expect((await post('host/', {})).body).toEqual({ address: ['This field is mandatory'] });
    const job = (await get(res.body.command.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job).toMatchObject({ class_name: 'SetupHostJob', state: 'complete' });
    const removed = await request(env.app).delete(`/lustre/api/host/${host.id}/`).set('Cookie', auth.cookie);
    expect(removed.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`host/${host.id}/`)).status).toBe(404);
  });

  it('adds servers in bulk, answering 400 with each one\'s outcome when any fails', async () => {
    const res = await post('host/', { objects: [{ address: 'oss10.example.com' }, { address: 'oss11.example.com', server_profile: '/api/server_profile/base_monitored/' }] });
    expect(res.status).toBe(202);
    expect(res.body.objects.map((o: { command_and_host: { host: { fqdn: string } }; error: unknown }) => [o.command_and_host.host.fqdn, o.error])).toEqual([
      ['oss10.example.com', null],
      ['oss11.example.com', null],
    ]);
    await env.rt.jobsIdle();
    expect((await get('host/?fqdn__startswith=oss1&limit=0')).body.objects.map((h: { fqdn: string; state: string }) => [h.fqdn, h.state])).toEqual([
      ['oss10.example.com', 'managed'],
      ['oss11.example.com', 'monitored'],
    ]);
    const mixed = await post('host/', { objects: [{ address: 'oss12.example.com' }, { address: 'oss10.example.com' }] });
    expect(mixed.status).toBe(400);
    expect(mixed.body.objects[0]).toMatchObject({ command_and_host: { host: { fqdn: 'oss12.example.com' } }, error: null, traceback: null });
    expect(mixed.body.objects[1]).toEqual({ command_and_host: null, error: { address: ['Host oss10.example.com is already in use by IML'] }, traceback: null });
  });

  it('tests a host address, the checks in the job step results', async () => {
    const res = await post('test_host/', { address: 'newbox.example.com', server_profile: '/api/server_profile/default/' });
    expect(res.status).toBe(202);
    expect(res.body.jobs).toHaveLength(1);
    await env.rt.jobsIdle();
    const job = (await get(res.body.jobs[0].replace('/lustre/api/', ''))).body;
    const result = Object.values(job.step_results)[0] as { address: string; valid: boolean; status: { name: string; value: boolean }[] };
    expect(result.address).toBe('newbox.example.com');
    expect(result.valid).toBe(true);
    expect(result.status.map((s) => s.name)).toContain('hostname_valid');
  });

  it('filters commands and jobs', async () => {
    const all = (await get('command/?limit=0')).body;
    expect(all.meta.total_count).toBeGreaterThan(3);
    const done = (await get('command/?complete=true&limit=0')).body;
    expect(done.objects.every((c: { complete: boolean }) => c.complete)).toBe(true);
    expect((await get('job/?state=pending')).body.meta.total_count).toBe(0);
    expect((await get('command/?order_by=-created_at&limit=1')).body.objects).toHaveLength(1);
  });

  it('logs what the servers did, one line per finished step', async () => {
    const logs = (await get('log/?limit=0&message__contains=testfs')).body.objects as { fqdn: string; message: string; datetime: string; severity: number; id: number }[];
    expect(logs.length).toBeGreaterThan(4);
    expect(logs[0]).toMatchObject({ message: 'Start file system testfs: format targets complete', severity: 6, tag: 'chroma-agent' });
    expect(logs[0].datetime).toMatch(/\+00:00$/);
    expect((await get(`log/${logs[0].id}/`)).body).toEqual(logs[0]);
    const since = (await get(`log/?limit=0&datetime__gte=${encodeURIComponent(logs[0].datetime)}&message__contains=testfs`)).body.meta.total_count;
    expect(since).toBe(logs.length);
    expect((await get('log/?fqdn__icontains=x')).body).toEqual({ error: "'icontains' is not an allowed filter on the 'fqdn' field." });
  });

  it('offers host actions through /api/action/', async () => {
    const missing = await get('action/');
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ composite_ids: 'param is missing' });
    const res = await get('action/?composite_ids=61:1&limit=0');
    expect(res.body.objects.map((a: { state: string }) => a.state)).toEqual(['lnet_unloaded', 'lnet_up']);
  });
});

describe('adding targets', () => {
  it('adds an OST to a filesystem with POST /api/target/', async () => {
    const env = await lustreApp();
    try {
      const auth = await login(env.app);
      const post = (path: string, body: unknown) => request(env.app).post(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).send(body as object);
      const volumes = (await request(env.app).get('/lustre/api/volume/?category=usable&limit=0')).body.objects as { id: number }[];
      const created = await post('filesystem/', { name: 'fs2', conf_params: {}, mgt: { volume_id: volumes[0].id }, mdts: [{ volume_id: volumes[2].id }], osts: [{ volume_id: volumes[4].id }] });
      expect(created.status).toBe(202);
      await env.rt.jobsIdle();
      const fsId = created.body.filesystem.id;
      expect((await post('target/', { kind: 'bogus', volume_id: volumes[5].id })).body).toEqual({ kind: ["Invalid target type 'bogus' (choose from ['MGT', 'MDT', 'OST'])"] });
      expect((await post('target/', { kind: 'OST', volume_id: volumes[5].id })).body).toEqual({ filesystem_id: ["Mandatory for targets of kind 'OST'"] });
      expect((await post('target/', { kind: 'OST', volume_id: volumes[4].id, filesystem_id: fsId })).body).toEqual({ volume_id: [`Volume ${volumes[4].id} in use`] });
      const res = await post('target/', { kind: 'OST', volume_id: volumes[5].id, filesystem_id: fsId });
      expect(res.status).toBe(202);
      expect(res.body.target).toMatchObject({ kind: 'OST', name: 'fs2-OST0001', index: 1, state: 'unformatted', filesystem_name: 'fs2' });
      await env.rt.jobsIdle();
      expect((await request(env.app).get(`/lustre/api/target/${res.body.target.id}/`)).body.state).toBe('mounted');
      expect((await request(env.app).get(`/lustre/api/filesystem/${fsId}/`)).body).toMatchObject({ state: 'available', osts: expect.arrayContaining([res.body.target.resource_uri]) });

      const patch = (body: unknown) => request(env.app).patch('/lustre/api/target/').set('Cookie', auth.cookie).send(body as object);
      expect((await request(env.app).patch('/lustre/api/target/').send({ objects: [] })).status).toBe(401);
      expect((await patch({ deletions: [] })).body).toEqual({ error: 'Invalid data sent.' });
      expect((await patch({ objects: [{ kind: 'OST', volume_id: volumes[6].id }] })).body).toEqual({ filesystem_id: ["Mandatory for targets of kind 'OST'"] });
      const dup = await patch({ objects: [6, 6].map((i) => ({ kind: 'OST', volume_id: volumes[i].id, filesystem_id: fsId })) });
      expect(dup.body).toEqual({ volume_id: [`Volume ${volumes[6].id} in use`] });
      const bulk = await patch({ objects: [6, 7].map((i) => ({ kind: 'OST', volume_id: volumes[i].id, filesystem_id: fsId })), deletions: [] });
      expect(bulk.status).toBe(202);
      expect(bulk.body.command.jobs).toHaveLength(1);
      expect(bulk.body.targets).toHaveLength(2);
      await env.rt.jobsIdle();
      const added = await Promise.all(bulk.body.targets.map(async (u: string) => (await request(env.app).get(u)).body));
      expect(added.map((t) => [t.name, t.state])).toEqual([
        ['fs2-OST0002', 'mounted'],
        ['fs2-OST0003', 'mounted'],
      ]);
      expect((await request(env.app).get(bulk.body.command.resource_uri)).body).toMatchObject({ complete: true, errored: false });
      expect((await request(env.app).get(`/lustre/api/filesystem/${fsId}/`)).body.state).toBe('available');
    } finally {
      await env.rt.close();
    }
  });
});

describe('jobs in progress', () => {
  it('holds write locks while running, hides transitions, and cancels by PUT', async () => {
    const { createTestRuntime, dialectApp } = await import('@rosetta/testing');
    const { createLustreRouter } = await import('../src');
    const { SETTINGS } = await import('./helpers');
    const rt = await createTestRuntime({ fixture: 'demo', stepScale: 1 });
    try {
      const app = dialectApp(createLustreRouter({ ...rt.deps, lustre: SETTINGS }), '/lustre');
      const auth = await login(app);
      const volumes = (await request(app).get('/lustre/api/volume/?category=usable&limit=0')).body.objects as { id: number }[];
      const created = await request(app)
        .post('/lustre/api/filesystem/')
        .set('Cookie', auth.cookie)
        .set('X-CSRFToken', auth.csrf)
        .send({ name: 'slowfs', conf_params: {}, mgt: { volume_id: volumes[0].id }, mdts: [{ volume_id: volumes[2].id }], osts: [{ volume_id: volumes[4].id }] });
      expect(created.status).toBe(202);
      const jobUri = created.body.command.jobs[0];
      const jobId = Number(/(\d+)\/$/.exec(jobUri)![1]);
      const fs = (await request(app).get(created.body.filesystem.resource_uri)).body;
      expect(fs.locks.write).toEqual([jobId]);
      expect(fs.available_transitions).toEqual([]);
      const job = (await request(app).get(jobUri)).body;
      expect(job.state).not.toBe('complete');
      expect(job.available_transitions).toEqual([{ label: 'Cancel', state: 'cancelled' }]);
      expect(job.write_locks).toEqual([
        { locked_item_content_type_id: 24, locked_item_id: fs.id, locked_item_uri: fs.resource_uri, resource_uri: '' },
      ]);
      expect((await request(app).put(jobUri).set('Cookie', auth.cookie).send({ state: 'cancelled' })).body).toEqual({ id: 'Attribute mandatory' });
      expect((await request(app).put(jobUri).set('Cookie', auth.cookie).send({ id: jobId, state: 'bogus' })).body).toEqual({ state: `Must be one of ['cancelled', '${job.state}']` });
      const cancelled = await request(app).put(jobUri).set('Cookie', auth.cookie).send({ id: jobId, state: 'cancelled' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.available_transitions).toEqual([]);
      rt.clock.advance(120_000);
      await rt.jobsIdle();
      const command = (await request(app).get(created.body.command.resource_uri)).body;
      expect(command).toMatchObject({ complete: true, cancelled: true, errored: false });
      expect((await request(app).get(created.body.filesystem.resource_uri)).body.locks.write).toEqual([]);
    } finally {
      await rt.close();
    }
  });
});
