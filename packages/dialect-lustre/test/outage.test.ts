import request from 'supertest';
import { login, lustreApp } from './helpers';

/**
 * A server going down, however it happens (the control plane's domain fault, which is
 * `services.hosts.update`, or IPMI through an outlet), does what Pacemaker does: its targets fail
 * over to the other server of their pair, or stop when there is none; a returning server gets its
 * stranded targets back, while failed-over ones stay put until failed back.
 */
describe('server outages: automatic failover', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  const get = async (path: string) => (await request(env.app).get(`/lustre/api/${path}`)).body;
  const send = (method: 'post' | 'put' | 'patch', path: string, body: unknown) =>
    request(env.app)[method](`/lustre/api/${path}`).set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const host = async (name: string) => (await env.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: name } }))[0];
  const activeAlerts = async (type: string) => (await get(`alert/?alert_type=${type}&active=true&limit=0`)).objects.map((a: { alert_item_str: string }) => a.alert_item_str);

  let a1: Awaited<ReturnType<typeof host>>;
  let a2: Awaited<ReturnType<typeof host>>;
  let fsId: number;
  let ost: number;
  let mdt: number;
  let lun: string;
  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
    a1 = await host('node-a1');
    a2 = await host('node-a2');
    const device = (await env.rt.services.devices.list({ filter: { all: [{ field: 'hostId', op: 'eq', value: a1.id }, { field: 'name', op: 'eq', value: '/dev/sdc' }] } }))[0];
    lun = device.id;
    await env.rt.services.lustre.shareDevice({ deviceId: device.id, hostId: a2.id, path: '/dev/mapper/mpatha' });
    const free = (await get('volume/?category=usable&limit=0')).objects as { id: number; volume_nodes: { host_id: number }[] }[];
    const onHost = (seq: number) => free.find((v) => v.id !== device.seq && v.volume_nodes.length === 1 && v.volume_nodes[0].host_id === seq)!;
    const b2 = await host('node-b2');
    const res = await send('post', 'filesystem/', { name: 'outfs', conf_params: {}, mgt: { volume_id: onHost(b2.seq).id }, mdts: [{ volume_id: onHost(a2.seq).id }], osts: [{ volume_id: device.seq }] });
    expect(res.status).toBe(202);
    fsId = res.body.filesystem.id;
    await env.rt.jobsIdle();
    const fs = await get(`filesystem/${fsId}/`);
    expect(fs.state).toBe('available');
    ost = Number(/(\d+)\/$/.exec(fs.osts[0])![1]);
    mdt = Number(/(\d+)\/$/.exec(fs.mdts[0].resource_uri)![1]);
  });
  afterAll(async () => env.rt.close());

  it('fails a target over to its failover server when its primary is marked down', async () => {
    expect((await get(`target/${ost}/`)).active_host).toBe(`/lustre/api/host/${a1.seq}/`);
    await env.rt.services.hosts.update(a1.id, { state: 'down' });
    const target = await get(`target/${ost}/`);
    expect(target).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2.seq}/`, active_host_name: 'node-a2', primary_server: `/lustre/api/host/${a1.seq}/` });
    expect(target.available_jobs.map((j: { class_name: string }) => j.class_name)).toEqual(['FailbackTargetJob']);
    expect(await activeAlerts('TargetFailoverAlert')).toEqual([target.label]);
    expect(await activeAlerts('HostOfflineAlert')).toContain(a1.name);
    // Nothing went offline: the filesystem stays available.
    expect((await get(`filesystem/${fsId}/`)).state).toBe('available');
    expect(await activeAlerts('TargetOfflineAlert')).not.toContain(target.label);
  });

  it('keeps a failed-over target on its secondary when the primary returns, until failed back', async () => {
    await env.rt.services.hosts.update(a1.id, { state: 'up' });
    expect((await get(`target/${ost}/`)).active_host).toBe(`/lustre/api/host/${a2.seq}/`);
    const back = await send('post', 'command/', { jobs: [{ class_name: 'FailbackTargetJob', args: { target_id: ost } }] });
    expect(back.status).toBe(201);
    await env.rt.jobsIdle();
    expect((await get(`target/${ost}/`)).active_host).toBe(`/lustre/api/host/${a1.seq}/`);
    expect(await activeAlerts('TargetFailoverAlert')).toEqual([]);
  });

  it('stops a target with no failover server when its server loses power, and restarts it when power returns', async () => {
    const outlet = `power_control_device_outlet/${a2.seq}/`;
    expect((await send('patch', outlet, { has_power: false })).status).toBe(202);
    await env.rt.jobsIdle();
    const target = await get(`target/${mdt}/`);
    expect(target).toMatchObject({ state: 'unmounted', active_host: null, active_host_name: '---' });
    expect(await activeAlerts('TargetOfflineAlert')).toEqual([target.label]);
    expect((await get(`filesystem/${fsId}/`)).state).toBe('unavailable');
    // The OST's failover server is gone too, but the OST runs on its primary and stays there.
    expect((await get(`target/${ost}/`))).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a1.seq}/` });

    expect((await send('patch', outlet, { has_power: true })).status).toBe(202);
    await env.rt.jobsIdle();
    expect(await get(`target/${mdt}/`)).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2.seq}/` });
    expect((await get(`filesystem/${fsId}/`)).state).toBe('available');
    expect(await activeAlerts('TargetOfflineAlert')).toEqual([]);
  });

  it('leaves a stranded target stopped when the operator stopped its filesystem meanwhile', async () => {
    await env.rt.services.hosts.update(a2.id, { state: 'down' });
    expect((await get(`target/${mdt}/`)).state).toBe('unmounted');
    expect((await send('put', `filesystem/${fsId}/`, { state: 'stopped' })).status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).state).toBe('stopped');
    await env.rt.services.hosts.update(a2.id, { state: 'up' });
    expect((await get(`target/${mdt}/`)).state).toBe('unmounted');
    expect((await get(`filesystem/${fsId}/`)).state).toBe('stopped');
  });

  it('fails targets over while their server reboots (RebootHostJob)', async () => {
    expect((await send('put', `filesystem/${fsId}/`, { state: 'available' })).status).toBe(202);
    await env.rt.jobsIdle();
    const reboot = await send('post', 'command/', { jobs: [{ class_name: 'RebootHostJob', args: { host_id: a1.seq } }] });
    expect(reboot.status).toBe(201);
    await env.rt.jobsIdle();
    // Down then up again: the OST moved to node-a2 and, sticky, stays there.
    expect(await get(`target/${ost}/`)).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2.seq}/` });
    expect((await get(`filesystem/${fsId}/`)).state).toBe('available');
  });

  // A failed LUN (the control plane's `POST /_rosetta/domain-faults/devices/<id>`, which is
  // `services.devices.update`) is the same storage on both servers: the target stops, no failover.
  it('stops a target whose LUN fails, with its failover server up, and restarts it when the LUN is back', async () => {
    await env.rt.services.devices.update(lun, { state: 'failed' });
    const target = await get(`target/${ost}/`);
    expect(target).toMatchObject({ state: 'unmounted', active_host: null, active_host_name: '---' });
    expect(await activeAlerts('TargetOfflineAlert')).toEqual([target.label]);
    expect(await activeAlerts('TargetFailoverAlert')).toEqual([]);
    expect((await get(`filesystem/${fsId}/`)).state).toBe('unavailable');
    expect((await get(`target/${mdt}/`)).state).toBe('mounted');

    await env.rt.services.devices.update(lun, { state: 'online' });
    expect(await get(`target/${ost}/`)).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2.seq}/` });
    expect((await get(`filesystem/${fsId}/`)).state).toBe('available');
    expect(await activeAlerts('TargetOfflineAlert')).toEqual([]);
  });

  it('does not restart a target on a returning server while its LUN is still offline', async () => {
    await env.rt.services.devices.update(lun, { state: 'offline' });
    await env.rt.services.hosts.update(a2.id, { state: 'down' });
    await env.rt.services.hosts.update(a2.id, { state: 'up' });
    // The MDT, stranded by the server, comes back; the OST waits for its LUN.
    expect((await get(`target/${mdt}/`)).state).toBe('mounted');
    expect((await get(`target/${ost}/`)).state).toBe('unmounted');
    expect((await get(`filesystem/${fsId}/`)).state).toBe('unavailable');
    await env.rt.services.devices.update(lun, { state: 'online' });
    expect(await get(`target/${ost}/`)).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2.seq}/` });
    expect((await get(`filesystem/${fsId}/`)).state).toBe('available');
  });

  it('leaves a target stopped when the operator stopped its filesystem while its LUN was failed', async () => {
    await env.rt.services.devices.update(lun, { state: 'failed' });
    expect((await send('put', `filesystem/${fsId}/`, { state: 'stopped' })).status).toBe(202);
    await env.rt.jobsIdle();
    await env.rt.services.devices.update(lun, { state: 'online' });
    expect(await get(`target/${ost}/`)).toMatchObject({ state: 'unmounted', active_host: null });
    expect((await get(`filesystem/${fsId}/`)).state).toBe('stopped');
    expect(await activeAlerts('TargetOfflineAlert')).toEqual([]);
  });
});
