import request from 'supertest';
import { apiCalls, login, lustreApp } from './helpers';

/** Objects on monitored servers are immutable: only forgetting is offered, and DELETE forgets. */
describe('forgotten', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  const { get, post, put } = apiCalls(() => env, () => auth);

  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  let monitored: number;
  let fsId: number;
  it('sets up a server with the monitored profile in the monitored state', async () => {
    const res = await post('host/', { address: 'mon1.example.com', server_profile: '/lustre/api/server_profile/base_monitored/' });
    expect(res.status).toBe(202);
    await env.rt.jobsIdle();
    monitored = res.body.host.id;
    const host = (await get(`host/${monitored}/`)).body;
    expect(host.state).toBe('monitored');
    const job = (await get(res.body.command.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job.class_name).toBe('SetupMonitoredHostJob');
  });

  it('offers only Forget on a filesystem of monitored servers, and forgets it on DELETE', async () => {
    const volumes = (await get(`volume/?host_id=${monitored}&limit=0`)).body.objects as { id: number }[];
    expect(volumes).toHaveLength(4);
    const created = await post('filesystem/', { name: 'monfs', conf_params: {}, mgt: { volume_id: volumes[0].id }, mdts: [{ volume_id: volumes[1].id }], osts: [{ volume_id: volumes[2].id }] });
    expect(created.status).toBe(202);
    fsId = created.body.filesystem.id;
    await env.rt.jobsIdle();
    const fs = (await get(`filesystem/${fsId}/`)).body;
    expect(fs.immutable_state).toBe(true);
    expect(fs.available_transitions.map((t: { state: string; verb: string }) => [t.state, t.verb])).toEqual([['forgotten', 'Forget']]);
    expect(fs.mdts[0].immutable_state).toBe(true);
    // MDTs and OSTs are forgotten with their filesystem; an MGT serving one offers nothing.
    expect(fs.mdts[0].available_transitions).toEqual([]);
    expect(fs.mgt.available_transitions).toEqual([]);
    expect((await get('target/?immutable_state=true&limit=0')).body.meta.total_count).toBe(3);
    const dry = await put(`filesystem/${fsId}/`, { state: 'forgotten', dry_run: true });
    expect(dry.body.transition_job.class).toBe('ForgetFilesystemJob');
    const del = await request(env.app).delete(`/lustre/api/filesystem/${fsId}/`).set('Cookie', auth.cookie);
    expect(del.status).toBe(202);
    expect(del.body.command.message).toBe('Forget file system monfs');
    await env.rt.jobsIdle();
    expect((await get(`filesystem/${fsId}/`)).status).toBe(404);
    // The MGT stays (it is shared), its filesystem gone: now it can be forgotten itself.
    const mgt = (await get(`target/?host_id=${monitored}&kind=mgt`)).body.objects[0];
    expect(mgt.available_transitions.map((t: { state: string }) => t.state)).toEqual(['forgotten']);
    expect((await request(env.app).delete(`/lustre/api/target/${mgt.id}/`).set('Cookie', auth.cookie)).status).toBe(202);
    await env.rt.jobsIdle();
    expect((await get(`target/?host_id=${monitored}&limit=0`)).body.meta.total_count).toBe(0);
    // The devices are free again.
    expect((await get(`volume/?host_id=${monitored}&category=usable&limit=0`)).body.meta.total_count).toBe(4);
  });

  it('never offers Forget on managed objects, though the route exists as in IML', async () => {
    const free = (await get('volume/?category=usable&limit=0')).body.objects as { id: number; volume_nodes: { host_id: number }[] }[];
    const managed = free.filter((v) => v.volume_nodes[0].host_id !== monitored);
    const distinct = managed.filter((v, i, all) => all.findIndex((w) => w.volume_nodes[0].host_id === v.volume_nodes[0].host_id) === i);
    const created = await post('filesystem/', { name: 'manfs', conf_params: {}, mgt: { volume_id: distinct[0].id }, mdts: [{ volume_id: distinct[1].id }], osts: [{ volume_id: distinct[2].id }] });
    await env.rt.jobsIdle();
    const fs = (await get(`filesystem/${created.body.filesystem.id}/`)).body;
    expect(fs.immutable_state).toBe(false);
    expect(fs.available_transitions.map((t: { state: string }) => t.state)).not.toContain('forgotten');
    const bogus = await put(`filesystem/${fs.id}/`, { state: 'lost' });
    expect(bogus.body.state).toBe(
      "lost not legal state for <class 'chroma_core.models.filesystem.ManagedFilesystem'>, legal states are ['unavailable', 'stopped', 'available', 'removed', 'forgotten']",
    );
  });
});
