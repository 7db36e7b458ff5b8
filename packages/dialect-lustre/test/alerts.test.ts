import request from 'supertest';
import { FaultPolicy, FaultService, NO_FAULTS, createFaultService } from '@rosetta/core';
import { login, lustreApp } from './helpers';

describe('power control and alerts', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  it('powers a host off through its outlet, raising HostOfflineAlert', async () => {
    const outlets = (await request(env.app).get('/lustre/api/power_control_device_outlet/?host=1')).body.objects;
    expect(outlets).toEqual([expect.objectContaining({ id: 1, host: '/lustre/api/host/1/', has_power: true, device: '/lustre/api/power_control_device/1/' })]);
    // The demo fixture already has hosts down; host 1 is up.
    expect((await request(env.app).get('/lustre/api/alert/?active=true&alert_type=HostOfflineAlert&alert_item_id=1')).body.meta.total_count).toBe(0);
    const off = await request(env.app).patch('/lustre/api/power_control_device_outlet/1/').set('Cookie', auth.cookie).send({ has_power: false });
    expect(off.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await request(env.app).get('/lustre/api/power_control_device_outlet/1/')).body.has_power).toBe(false);
    const alerts = (await request(env.app).get('/lustre/api/alert/?active=true&severity__in=WARNING,ERROR&alert_item_id=1')).body;
    const host = (await request(env.app).get('/lustre/api/host/1/')).body;
    expect(alerts.objects).toEqual([
      expect.objectContaining({
        alert_type: 'HostOfflineAlert',
        record_type: 'HostOfflineAlert',
        active: true,
        severity: 'WARNING',
        message: `Host is offline ${host.fqdn}`,
        alert_item: '/lustre/api/host/1/',
        alert_item_id: 1,
      }),
    ]);
    expect(alerts.objects[0].begin).toMatch(/\+00:00$/);
    const detail = await request(env.app).get(alerts.objects[0].resource_uri);
    expect(detail.body.id).toBe(alerts.objects[0].id);
    const bad = await request(env.app).get('/lustre/api/alert/?message__regex=x');
    expect(bad.body).toEqual({ error: "'regex' is not an allowed filter on the 'message' field." });
  });

  it('raises LNetOfflineAlert while LNet is down', async () => {
    await request(env.app).put('/lustre/api/lnet_configuration/2/').set('Cookie', auth.cookie).send({ state: 'lnet_down' });
    await env.rt.jobsIdle();
    const alerts = (await request(env.app).get('/lustre/api/alert/?alert_type=LNetOfflineAlert')).body.objects;
    expect(alerts).toEqual([expect.objectContaining({ severity: 'INFO', alert_item: '/lustre/api/host/2/' })]);
    expect((await request(env.app).get('/lustre/api/alert_type/')).body.objects.map((t: { id: string }) => t.id)).toContain('lnetofflinealert');
  });

  it('dismisses one alert by PATCH or PUT, and all of them by dismiss_all', async () => {
    const all = (await request(env.app).get('/lustre/api/alert/?limit=0')).body.objects as { id: number; dismissed: boolean; resource_uri: string }[];
    expect(all.length).toBeGreaterThan(1);
    expect(all.every((a) => a.dismissed === false)).toBe(true);
    const [first, second] = all;

    expect((await request(env.app).patch(first.resource_uri).send({ dismissed: true })).status).toBe(401);
    const patched = await request(env.app).patch(first.resource_uri).set('Cookie', auth.cookie).send({ dismissed: true });
    expect(patched.status).toBe(202);
    expect(patched.text).toBe('');
    expect((await request(env.app).get(first.resource_uri)).body.dismissed).toBe(true);
    expect((await request(env.app).get('/lustre/api/alert/?dismissed=true&limit=0')).body.objects.map((a: { id: number }) => a.id)).toEqual([first.id]);
    // Dismissing twice is no change; a value Django cannot read as a boolean is refused.
    expect((await request(env.app).put(first.resource_uri).set('Cookie', auth.cookie).send({ dismissed: true })).status).toBe(204);
    const bad = await request(env.app).patch(second.resource_uri).set('Cookie', auth.cookie).send({ dismissed: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ dismissed: ["'maybe' value must be either True or False."] });
    expect((await request(env.app).put(first.resource_uri).set('Cookie', auth.cookie).send({ dismissed: false })).status).toBe(204);
    expect((await request(env.app).get(first.resource_uri)).body.dismissed).toBe(false);
    expect((await request(env.app).patch('/lustre/api/alert/99999999/').set('Cookie', auth.cookie).send({ dismissed: true })).status).toBe(404);

    expect((await request(env.app).put('/lustre/api/alert/dismiss_all/')).status).toBe(401);
    const dismissAll = await request(env.app).put('/lustre/api/alert/dismiss_all/').set('Cookie', auth.cookie);
    expect(dismissAll.status).toBe(204);
    expect((await request(env.app).get('/lustre/api/alert/?dismissed=false')).body.meta.total_count).toBe(0);
    expect((await request(env.app).get('/lustre/api/alert/?dismissed=true&limit=0')).body.meta.total_count).toBe(all.length);
  });
});

describe('advertised host jobs', () => {
  it('runs an available job through POST /api/command/ as the CLI does', async () => {
    const env = await lustreApp();
    try {
      const auth = await login(env.app);
      const post = (body: unknown) => request(env.app).post('/lustre/api/command/').set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).send(body as object);
      const host = (await request(env.app).get('/lustre/api/host/1/')).body;
      expect(host.available_jobs.map((j: { class_name: string }) => j.class_name)).toEqual(['RebootHostJob', 'ShutdownHostJob', 'PowerOffHostJob']);
      expect(host.available_actions.map((a: { verb: string }) => a.verb)).toEqual(['Remove', 'Reboot', 'Shutdown', 'Power Off']);
      expect((await post({})).body).toEqual({ jobs: ['This attribute is mandatory'] });
      expect((await post({ jobs: [{}] })).body).toEqual({ jobs: ['job objects must have the `class_name` attribute'] });
      expect((await post({ jobs: [{ class_name: 'NoSuchJob' }] })).body).toEqual({ jobs: ["Invalid class_name 'NoSuchJob'"] });
      const job = host.available_jobs[2];
      const res = await post({ jobs: [{ class_name: job.class_name, args: job.args }], message: `${job.class_name} created by CLI` });
      expect(res.status).toBe(201);
      expect(res.headers.location).toMatch(new RegExp(`/lustre/api/command/${res.body.id}/$`));
      await env.rt.jobsIdle();
      const command = (await request(env.app).get(`/lustre/api/command/${res.body.id}/`)).body;
      expect(command).toMatchObject({ complete: true, errored: false });
      expect((await request(env.app).get(command.jobs[0])).body.class_name).toBe('PowerOffHostJob');
      const after = (await request(env.app).get('/lustre/api/host/1/')).body;
      expect(after.available_jobs.map((j: { class_name: string }) => j.class_name)).toEqual(['PowerOnHostJob']);
    } finally {
      await env.rt.close();
    }
  });
});

describe('metrics', () => {
  it('serves host, target and filesystem series from the load model', async () => {
    const env = await lustreApp();
    try {
      env.rt.clock.freeze();
      const now = env.rt.clock.now();
      const begin = new Date(now.getTime() - 60_000).toISOString();
      const end = now.toISOString();
      const missing = await request(env.app).get('/lustre/api/host/1/metric/');
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ begin: ['This field is mandatory when latest=false'], end: ['This field is mandatory when latest=false'], metrics: ['This field is mandatory'] });
      expect((await request(env.app).get('/lustre/api/host/1/metric/?metrics=cpu_user&begin=garbage&end=x')).body).toEqual({ begin: ['Malformed time string'], end: ['Malformed time string'] });
      const res = await request(env.app).get(`/lustre/api/host/1/metric/?metrics=cpu_total,cpu_user,nosuch&begin=${begin}&end=${end}`);
      expect(res.status).toBe(200);
      expect(res.body.length).toBeGreaterThanOrEqual(6);
      expect(res.body[0].ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Object.keys(res.body[0].data).sort()).toEqual(['cpu_total', 'cpu_user', 'nosuch']);
      expect(res.body[0].data).toMatchObject({ cpu_total: 100, nosuch: 0 });
      const again = await request(env.app).get(`/lustre/api/host/1/metric/?metrics=cpu_total,cpu_user,nosuch&begin=${begin}&end=${end}`);
      expect(again.body).toEqual(res.body);
      const latest = await request(env.app).get('/lustre/api/host/metric/?metrics=cpu_user&latest=true');
      expect(Object.keys(latest.body).length).toBeGreaterThan(3);
      expect(latest.body['1']).toHaveLength(1);
      const sum = await request(env.app).get('/lustre/api/host/metric/?metrics=mem_MemTotal&latest=true&reduce_fn=sum&id__in=1,2');
      const [h1, h2] = [(await request(env.app).get('/lustre/api/host/1/')).body, (await request(env.app).get('/lustre/api/host/2/')).body];
      expect(h1.id + h2.id).toBe(3);
      expect(sum.body).toHaveLength(1);
      expect(sum.body[0].data.mem_MemTotal).toBeGreaterThan(0);
      expect((await request(env.app).get('/lustre/api/host/metric/?metrics=x&latest=true&group_by=filesystem')).body).toEqual({ reduce_fn: "This field is mandatory if 'group_by' is specified" });
      const total = (await request(env.app).get('/lustre/api/host/metric/?metrics=mem_MemTotal&latest=true&reduce_fn=sum')).body[0].data.mem_MemTotal;
      const byState = await request(env.app).get('/lustre/api/host/metric/?metrics=mem_MemTotal&latest=true&reduce_fn=sum&group_by=state');
      expect(byState.status).toBe(200);
      const groups = byState.body as Record<string, { data: { mem_MemTotal: number } }[]>;
      expect(Object.keys(groups)).toContain('managed');
      expect(Object.values(groups).reduce((n, g) => n + g[0].data.mem_MemTotal, 0)).toBe(total);
      const byId = (await request(env.app).get('/lustre/api/host/metric/?metrics=mem_MemTotal&latest=true&reduce_fn=average&group_by=id&id__in=1,2')).body;
      expect(Object.keys(byId).sort()).toEqual(['1', '2']);
      const one = (await request(env.app).get('/lustre/api/host/1/metric/?metrics=mem_MemTotal&latest=true')).body;
      expect(byId['1']).toEqual(one);
      // An attribute no host has leaves every host out, as IML's getattr() check does.
      expect((await request(env.app).get('/lustre/api/host/metric/?metrics=x&latest=true&reduce_fn=sum&group_by=nosuch')).body).toEqual({});
      expect((await request(env.app).get('/lustre/api/target/99999/metric/?metrics=x&latest=true')).status).toBe(404);
      expect((await request(env.app).post('/lustre/api/host/1/metric/')).status).toBe(405);
    } finally {
      await env.rt.close();
    }
  });
});

describe('a command that fails', () => {
  it('marks the command and its job errored, the step failed, and raises an inactive CommandErroredAlert', async () => {
    // The fault rules the control plane manages, over this runtime's database: the next LNet step fails once.
    let rules: FaultPolicy = NO_FAULTS;
    const env = await lustreApp({ faults: { forRequest: (c) => rules.forRequest(c), forStep: (c) => rules.forStep(c), hasStepRules: () => rules.hasStepRules() } });
    try {
      const faults: FaultService = createFaultService({ store: env.rt.store, clock: env.rt.clock });
      rules = faults;
      await faults.create({ target: 'step', jobKind: 'host.set_lnet_state', effect: { type: 'fail_step', message: 'lnet: module busy' }, remaining: 1 });
      const auth = await login(env.app);
      const put = () => request(env.app).put('/lustre/api/lnet_configuration/1/').set('Cookie', auth.cookie).send({ state: 'lnet_down' });
      const res = await put();
      expect(res.status).toBe(202);
      await env.rt.jobsIdle();
      const command = (await request(env.app).get(`/lustre/api/command/${res.body.command.id}/`)).body;
      expect(command).toMatchObject({ complete: true, errored: true, cancelled: false });
      const job = (await request(env.app).get(command.jobs[0])).body;
      expect(job).toMatchObject({ state: 'complete', errored: true });
      const step = (await request(env.app).get(job.steps[0])).body;
      expect(step).toMatchObject({ state: 'failed', log: expect.stringContaining('lnet: module busy') });
      // Nothing changed on the server.
      expect((await request(env.app).get('/lustre/api/lnet_configuration/1/')).body.state).toBe('lnet_up');
      const alerts = (await request(env.app).get(`/lustre/api/alert/?alert_type=CommandErroredAlert&alert_item_id=${command.id}`)).body.objects;
      expect(alerts).toEqual([
        expect.objectContaining({ active: null, severity: 'ERROR', alert_item: `/lustre/api/command/${command.id}/`, message: `Command ${command.message} failed` }),
      ]);
      expect((await request(env.app).get('/lustre/api/alert/?alert_type=CommandErroredAlert&active=true')).body.meta.total_count).toBe(0);
      // Inactive alerts hold active = None, which Tastypie's filter values spell none, None or nil.
      for (const none of ['none', 'None', 'nil']) {
        expect((await request(env.app).get(`/lustre/api/alert/?alert_type=CommandErroredAlert&active=${none}`)).body.meta.total_count).toBe(1);
      }
      // The rule fired once: the same command now succeeds.
      const again = await put();
      expect(again.status).toBe(202);
      await env.rt.jobsIdle();
      expect((await request(env.app).get(`/lustre/api/command/${again.body.command.id}/`)).body).toMatchObject({ complete: true, errored: false });
      expect((await request(env.app).get('/lustre/api/lnet_configuration/1/')).body.state).toBe('lnet_down');
    } finally {
      await env.rt.close();
    }
  });
});
