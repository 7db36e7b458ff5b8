import request from 'supertest';
import { login, lustreApp } from './helpers';

describe('client mounts, registration tokens and copytools', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  const get = (path: string, who = auth) => request(env.app).get(`/lustre/api/${path}`).set('Cookie', who.cookie);
  const post = (path: string, body: unknown, who = auth) =>
    request(env.app).post(`/lustre/api/${path}`).set('Cookie', who.cookie).set('X-CSRFToken', who.csrf).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const put = (path: string, body: unknown) => request(env.app).put(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const patch = (path: string, body: unknown) => request(env.app).patch(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('Content-Type', 'application/json').send(JSON.stringify(body));
  let fsId: number;
  let clientHost: number;

  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
    const free = (await get('volume/?category=usable&limit=0')).body.objects as { id: number; volume_nodes: { host_id: number }[] }[];
    const distinct = free.filter((v, i, all) => all.findIndex((w) => w.volume_nodes[0].host_id === v.volume_nodes[0].host_id) === i);
    const res = await post('filesystem/', { name: 'cfs', conf_params: {}, mgt: { volume_id: distinct[0].id }, mdts: [{ volume_id: distinct[1].id }], osts: [{ volume_id: distinct[2].id }] });
    fsId = res.body.filesystem.id;
    clientHost = distinct[5].volume_nodes[0].host_id;
  });
  afterAll(async () => env.rt.close());

  it('creates a client mount, mounts it through a command, counts it and unmounts it', async () => {
    const bad = await post('client_mount/', { host: `/lustre/api/host/${clientHost}/` });
    expect(bad.body).toEqual({ filesystem: ['This field is mandatory'], mountpoint: ['This field is mandatory'] });
    const notThere = await post('client_mount/', { host: '/lustre/api/host/99999/', filesystem: `/lustre/api/filesystem/${fsId}/`, mountpoint: 'relative' });
    expect(notThere.body).toEqual({ host: ['Host /lustre/api/host/99999/ not found'], mountpoint: ['Must be an absolute path'] });
    const created = await post('client_mount/', { host: `/lustre/api/host/${clientHost}/`, filesystem: `/lustre/api/filesystem/${fsId}/`, mountpoint: '/mnt/cfs' });
    expect(created.status).toBe(202);
    expect(created.body.client_mount).toMatchObject({ state: 'unmounted', mountpoint: '/mnt/cfs', filesystem: `/lustre/api/filesystem/${fsId}/` });
    const id = created.body.client_mount.id;
    expect((await post('client_mount/', { host: `/lustre/api/host/${clientHost}/`, filesystem: `/lustre/api/filesystem/${fsId}/`, mountpoint: '/mnt/x' })).status).toBe(400);
    await env.rt.jobsIdle();
    const mount = await put(`client_mount/${id}/`, { state: 'mounted' });
    expect(mount.status).toBe(202);
    expect(mount.body.command.jobs).toHaveLength(1);
    await env.rt.jobsIdle();
    expect((await get(`client_mount/${id}/`)).body.state).toBe('mounted');
    expect((await get(`filesystem/${fsId}/`)).body.client_count).toBe(1);
    const host = (await get(`host/${clientHost}/`)).body;
    expect(host.client_mounts).toEqual([{ filesystem_name: 'cfs', mountpoint: '/mnt/cfs', state: 'mounted' }]);
    expect((await get(`client_mount/?host=${clientHost}`)).body.meta.total_count).toBe(1);
    expect((await get(`client_mount/?filesystem=${fsId + 1000}`)).body.meta.total_count).toBe(0);
    expect((await put(`client_mount/${id}/`, { state: 'mounted' })).status).toBe(204);
    expect((await put(`client_mount/${id}/`, { state: 'floating' })).body.state).toMatch(/^floating not legal state for/);
    const removed = await request(env.app).delete(`/lustre/api/client_mount/${id}/`).set('Cookie', auth.cookie);
    expect(removed.status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`client_mount/${id}/`)).status).toBe(404);
    expect((await get(`filesystem/${fsId}/`)).body.client_count).toBe(0);
  });

  it('issues registration tokens that expire on the domain clock and can be cancelled', async () => {
    env.rt.clock.freeze();
    const res = await post('registration_token/', { profile: '/lustre/api/server_profile/default/', credits: 2 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ credits: 2, cancelled: false, profile: '/lustre/api/server_profile/default/' });
    expect(res.body.secret).toMatch(/^[0-9A-F]{32}$/);
    expect(res.body.register_command).toContain(`/agent/setup/${res.body.secret}/`);
    expect(new Date(res.body.expiry).getTime() - env.rt.clock.now().getTime()).toBe(60_000);
    expect((await get('registration_token/')).body.meta.total_count).toBe(1);
    // Filesystem users see none and may not create them.
    const viewer = await login(env.app, 'viewer', 'look');
    expect((await get('registration_token/', viewer)).body.meta.total_count).toBe(0);
    expect((await post('registration_token/', { profile: '/lustre/api/server_profile/default/' }, viewer)).status).toBe(401);
    const forbidden = await post('registration_token/', { secret: 'mine', credits: 'many' });
    expect(forbidden.body).toEqual({ registration_token: { credits: ["'credits' value must be an integer."], profile: ['Mandatory'], secret: ['Forbidden during creation'] } });
    const modify = await patch(`registration_token/${res.body.id}/`, { credits: 9 });
    expect(modify.body).toEqual({ registration_token: { credits: ['May not be modified after creation'] } });
    env.rt.clock.advance(61_000);
    expect((await get('registration_token/')).body.meta.total_count).toBe(0);
    expect((await get(`registration_token/${res.body.id}/`)).status).toBe(404);
    const second = await post('registration_token/', { profile: '/lustre/api/server_profile/base_monitored/' });
    const cancelled = await patch(`registration_token/${second.body.id}/`, { cancelled: true });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.cancelled).toBe(true);
    expect((await get('registration_token/')).body.meta.total_count).toBe(0);
  });

  it('registers a copytool that a command configures and starts, and stops and removes it by state', async () => {
    const missing = await post('copytool/', { host: `/lustre/api/host/${clientHost}/` });
    expect(missing.body).toEqual({ copytool: { filesystem: ['This field is mandatory'] } });
    const bad = await post('copytool/', {
      host: '/lustre/api/host/99999/',
      filesystem: `/lustre/api/filesystem/${fsId}/`,
      bin_path: '/usr/sbin/lhsmtool_posix',
      archive: 'one',
      mountpoint: '/mnt/cfs',
      hsm_arguments: '-p /archive --daemon',
    });
    expect(bad.body).toEqual({
      copytool: {
        archive: ['Archive number must be an integer'],
        host: ['Host not found in DB'],
        hsm_arguments: ["Invalid argument '--daemon': conflicts with copytool management automation"],
      },
    });
    const spec = { host: `/lustre/api/host/${clientHost}/`, filesystem: `/lustre/api/filesystem/${fsId}/`, bin_path: '/usr/sbin/lhsmtool_posix', archive: 1, mountpoint: '/mnt/cfs', hsm_arguments: '-p /archive' };
    const res = await post('copytool/', spec);
    expect(res.status).toBe(202);
    expect(res.body.copytool).toMatchObject({ state: 'unconfigured', index: 0, archive: 1, label: 'cfs-lhsmtool_posix-1-0' });
    expect(res.body.copytool.host.id).toBe(clientHost);
    await env.rt.jobsIdle();
    const id = res.body.copytool.id;
    let ct = (await get(`copytool/${id}/`)).body;
    expect(ct.state).toBe('started');
    expect(ct.available_transitions.map((t: { state: string; verb: string }) => [t.state, t.verb])).toEqual([['stopped', 'Stop'], ['removed', 'Remove']]);
    // A second instance of the same copytool on the host gets the next index.
    expect((await post('copytool/', spec)).body.copytool.index).toBe(1);
    const stop = await put(`copytool/${id}/`, { state: 'stopped' });
    expect(stop.status).toBe(202);
    await env.rt.jobsIdle();
    const job = (await get(stop.body.command.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job.class_name).toBe('StopCopytoolJob');
    ct = (await get(`copytool/${id}/`)).body;
    expect(ct.state).toBe('stopped');
    expect((await put(`copytool/${id}/`, { state: 'archiving' })).body).toEqual({
      state: "archiving not legal state for <class 'chroma_core.models.copytool.Copytool'>, legal states are ['unconfigured', 'stopped', 'started', 'removed']",
    });
    expect((await put(`copytool/${id}/`, { state: 'removed' })).status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`copytool/${id}/`)).status).toBe(404);
    expect((await get('copytool/')).body.meta.total_count).toBe(1);
  });
});
