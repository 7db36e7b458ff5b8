import request from 'supertest';
import { apiCalls, login, lustreApp } from './helpers';

/**
 * Shared LUNs and failover: a LUN zoned to two servers of one HA cluster shows two volume nodes,
 * is configured-ha, and a target on it has a failover server it can move to and back through
 * commands; conf_params are validated, stored and returned.
 */
describe('HA volumes, failover and conf params', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  const { get, post, put } = apiCalls(() => env, () => auth);
  const hostSeq = async (name: string) => (await env.rt.services.hosts.list({ filter: { field: 'name', op: 'eq', value: name } }))[0];
  const deviceOf = async (host: string, name: string) => {
    const h = await hostSeq(host);
    return (await env.rt.services.devices.list({ filter: { all: [{ field: 'hostId', op: 'eq', value: h.id }, { field: 'name', op: 'eq', value: name }] } }))[0];
  };

  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  let shared: number;
  let a1: number;
  let a2: number;
  it('shows a LUN zoned to two servers as one configured-ha volume with two nodes', async () => {
    const device = await deviceOf('node-a1', '/dev/sdc');
    a1 = (await hostSeq('node-a1')).seq;
    a2 = (await hostSeq('node-a2')).seq;
    await env.rt.services.lustre.shareDevice({ deviceId: device.id, hostId: (await hostSeq('node-a2')).id, path: '/dev/mapper/mpatha' });
    shared = device.seq;
    const volume = (await get(`volume/${shared}/`)).body;
    expect(volume.status).toBe('configured-ha');
    expect(volume.usable_for_lustre).toBe(true);
    expect(volume.volume_nodes.map((n: { host_id: number; path: string; primary: boolean; use: boolean }) => [n.host_id, n.path, n.primary, n.use])).toEqual([
      [a1, '/dev/sdc', true, true],
      [a2, '/dev/mapper/mpatha', false, true],
    ]);
    // The CLI's host:/path resolution finds the LUN from either server.
    const fromA2 = (await get(`volume_node/?host=${a2}&path=/dev/mapper/mpatha`)).body;
    expect(fromA2.meta.total_count).toBe(1);
    expect(fromA2.objects[0].volume_id).toBe(shared);
    const node = (await get(fromA2.objects[0].resource_uri.replace('/lustre/api/', ''))).body;
    expect(node).toMatchObject({ host_id: a2, volume_id: shared, primary: false });
    // The device seq no longer names a node: every node of a shared LUN is a path.
    expect((await get(`volume_node/${shared}/`)).status).toBe(404);
    expect((await get(`volume/?host_id=${a2}&limit=0`)).body.objects.map((v: { id: number }) => v.id)).toContain(shared);
    expect((await get(`volume/?host_id=${a2}&primary=true&limit=0`)).body.objects.map((v: { id: number }) => v.id)).not.toContain(shared);
    expect((await get(`volume/?host_id=${a1}&primary=true&limit=0`)).body.objects.map((v: { id: number }) => v.id)).toContain(shared);
  });

  it('sets primary and use through PUT to the volume, clearing nodes it does not name', async () => {
    const nodes = (await get(`volume/${shared}/`)).body.volume_nodes as { id: number; host_id: number }[];
    const onA2 = nodes.find((n) => n.host_id === a2)!;
    const onlyA2 = await put(`volume/${shared}/`, { id: shared, nodes: [{ id: onA2.id, primary: true, use: true }] });
    expect(onlyA2.status).toBe(200);
    expect(onlyA2.body.status).toBe('configured-noha');
    expect(onlyA2.body.volume_nodes.map((n: { host_id: number; primary: boolean; use: boolean }) => [n.host_id, n.primary, n.use])).toEqual([
      [a1, false, false],
      [a2, true, true],
    ]);
    const back = await put(`volume/${shared}/`, { id: shared, nodes: nodes.map((n) => ({ id: n.id, primary: n.host_id === a1, use: true })) });
    expect(back.body.status).toBe('configured-ha');
    const twoPrimaries = await put(`volume/${shared}/`, { id: shared, nodes: nodes.map((n) => ({ id: n.id, primary: true, use: true })) });
    expect(twoPrimaries.status).toBe(400);
    expect(twoPrimaries.text).toBe('Only one node can be identified as primary');
    expect((await get(`volume/${shared}/`)).body.status).toBe('configured-ha');
  });

  it('refuses a primary/failover pair across HA clusters with IML\'s plain-text 400', async () => {
    const device = await deviceOf('node-a3', '/dev/sdc');
    const b1 = await hostSeq('node-b1');
    await env.rt.services.lustre.shareDevice({ deviceId: device.id, hostId: b1.id, path: '/dev/sdz' });
    const nodes = (await get(`volume/${device.seq}/`)).body.volume_nodes as { id: number }[];
    const res = await put(`volume/${device.seq}/`, { id: device.seq, nodes: nodes.map((n, i) => ({ id: n.id, primary: i === 0, use: true })) });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toMatch(new RegExp(`^Attempt to set primary/secondary VolumeNodes across HA clusters for Volume ${device.seq}:`));
  });

  let fsId: number;
  let ostId: number;
  it('creates targets on their primary node with the other used node as failover server', async () => {
    const free = (await get('volume/?category=usable&limit=0')).body.objects as { id: number; volume_nodes: { host_id: number }[] }[];
    const onHost = (seq: number) => free.find((v) => v.id !== shared && v.volume_nodes.length === 1 && v.volume_nodes[0].host_id === seq)!;
    const b2 = (await hostSeq('node-b2')).seq;
    const res = await post('filesystem/', {
      name: 'hafs',
      conf_params: { 'llite.max_cached_mb': '512' },
      mgt: { volume_id: onHost(b2).id },
      mdts: [{ volume_id: onHost(a2).id, conf_params: { 'lov.stripecount': '4' } }],
      osts: [{ volume_id: shared, conf_params: { 'osc.max_rpcs_in_flight': '16' } }],
    });
    expect(res.status).toBe(202);
    fsId = res.body.filesystem.id;
    await env.rt.jobsIdle();
    const fs = (await get(`filesystem/${fsId}/`)).body;
    expect(fs.state).toBe('available');
    expect(fs.conf_params['llite.max_cached_mb']).toBe('512');
    expect(fs.conf_params['sys.timeout']).toBeNull();
    expect(fs.mdts[0].conf_params['lov.stripecount']).toBe('4');
    expect(fs.mgt.conf_params).toBeNull();
    ostId = Number(/(\d+)\/$/.exec(fs.osts[0])![1]);
    const ost = (await get(`target/${ostId}/`)).body;
    expect(ost).toMatchObject({
      primary_server: `/lustre/api/host/${a1}/`,
      failover_servers: [`/lustre/api/host/${a2}/`],
      failover_server_name: 'node-a2',
      active_host: `/lustre/api/host/${a1}/`,
      active_host_name: 'node-a1',
    });
    expect(ost.conf_params['osc.max_rpcs_in_flight']).toBe('16');
    expect(ost.volume.status).toBe('configured-ha');
    expect(ost.available_jobs.map((j: { class_name: string }) => j.class_name)).toEqual(['FailoverTargetJob']);
    // Both servers are OSSs now: the failover server counts for role=oss.
    const oss = (await get('host/?role=oss&limit=0')).body.objects.map((h: { id: number }) => h.id);
    expect(oss).toEqual(expect.arrayContaining([a1, a2]));
  });

  it('fails a target over and back through POST /api/command/, moving its active host', async () => {
    const over = await post('command/', { message: 'failover', jobs: [{ class_name: 'FailoverTargetJob', args: { target_id: ostId } }] });
    expect(over.status).toBe(201);
    await env.rt.jobsIdle();
    const job = (await get(over.body.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job).toMatchObject({ class_name: 'FailoverTargetJob', state: 'complete', errored: false });
    let ost = (await get(`target/${ostId}/`)).body;
    expect(ost).toMatchObject({ state: 'mounted', active_host: `/lustre/api/host/${a2}/`, active_host_name: 'node-a2', primary_server: `/lustre/api/host/${a1}/` });
    expect(ost.available_jobs.map((j: { class_name: string }) => j.class_name)).toEqual(['FailbackTargetJob']);
    const alerts = (await get('alert/?alert_type=TargetFailoverAlert&active=true')).body.objects;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'WARNING', message: `Target ${ost.name} running on secondary server`, alert_item: `/lustre/api/target/${ostId}/` });
    // Failing over again from the failover server is a scheduling error.
    const again = await post('command/', { jobs: [{ class_name: 'FailoverTargetJob', args: { target_id: ostId } }] });
    expect(again.status).toBe(400);
    expect(Object.keys(again.body)).toEqual(['state']);
    const back = await post('command/', { jobs: [{ class_name: 'FailbackTargetJob', args: { target_id: ostId } }] });
    expect(back.status).toBe(201);
    await env.rt.jobsIdle();
    ost = (await get(`target/${ostId}/`)).body;
    expect(ost.active_host_name).toBe('node-a1');
    expect((await get('alert/?alert_type=TargetFailoverAlert&active=true')).body.meta.total_count).toBe(0);
    // Stopped targets run nowhere; a target with no failover server cannot fail over.
    const mdtId = (await get(`filesystem/${fsId}/`)).body.mdts[0].id;
    const noPeer = await post('command/', { jobs: [{ class_name: 'FailoverTargetJob', args: { target_id: mdtId } }] });
    expect(noPeer.status).toBe(400);
    const unknown = await post('command/', { jobs: [{ class_name: 'FailoverTargetJob', args: { target_id: 999999 } }] });
    expect(unknown.body).toEqual({ state: 'Target 999999 not found' });
  });

  it('stores conf_params through PUT with a command on the MGS, and refuses bad ones in IML words', async () => {
    const res = await put(`filesystem/${fsId}/`, { conf_params: { 'sys.timeout': '200', 'llite.max_cached_mb': null } });
    expect(res.status).toBe(202);
    expect(res.body.command.message).toBe('Updating configuration parameters');
    expect(res.body.filesystem.conf_params['sys.timeout']).toBe('200');
    expect(res.body.filesystem.conf_params['llite.max_cached_mb']).toBeNull();
    await env.rt.jobsIdle();
    const job = (await get(res.body.command.jobs[0].replace('/lustre/api/', ''))).body;
    expect(job.class_name).toBe('ApplyConfParams');
    // The same values again change nothing: a plain 200 with the object, no command.
    const same = await put(`filesystem/${fsId}/`, { conf_params: { 'sys.timeout': '200' } });
    expect(same.status).toBe(200);
    expect(same.body.conf_params['sys.timeout']).toBe('200');
    const bad = await put(`filesystem/${fsId}/`, {
      conf_params: { 'sys.timeout': 'soon', 'osc.active': '1', 'no.such': '1', 'llite.statahead_max': ' 3', 'sys.at_max': 5 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      conf_params: {
        'llite.statahead_max': ['May not contain leading or trailing spaces'],
        'no.such': ['Unknown parameter'],
        'osc.active': ['Only valid for OST'],
        'sys.at_max': ['Must be a string'],
        'sys.timeout': ['Must be an integer'],
      },
    });
    const ostBad = await put(`target/${ostId}/`, { conf_params: { 'osc.max_dirty_mb': '1024', 'ost.sync_on_lock_cancel': 'sometimes' } });
    expect(ostBad.body).toEqual({
      conf_params: { 'osc.max_dirty_mb': ['Must be at most 512m bytes'], 'ost.sync_on_lock_cancel': ["Must be one of ['always', 'blocking', 'never']"] },
    });
    expect((await get(`filesystem/${fsId}/`)).body.conf_params['sys.timeout']).toBe('200');
    const hostile = await request(env.app)
      .put(`/lustre/api/filesystem/${fsId}/`)
      .set('Cookie', auth.cookie)
      .set('Content-Type', 'application/json')
      .send('{"conf_params": {"__proto__": "1"}}');
    expect(hostile.status).toBe(400);
    expect(hostile.text).toBe('{"conf_params": {"__proto__": ["Unknown parameter"]}}');
    expect((await put(`filesystem/${fsId}/`, { conf_params: ['sys.timeout'] })).body).toEqual({ conf_params: ['Must be a dictionary'] });
    const ostOk = await put(`target/${ostId}/`, { conf_params: { 'ost.read_cache_enable': '0' } });
    expect(ostOk.status).toBe(202);
    expect(ostOk.body.target.conf_params['ost.read_cache_enable']).toBe('0');
  });

  it('validates conf_params in a filesystem POST under the IML keys', async () => {
    const free = (await get('volume/?category=usable&limit=0')).body.objects as { id: number }[];
    const res = await post('filesystem/', {
      name: 'badfs',
      conf_params: { 'lov.stripesize': '4M' },
      mgt: { volume_id: free[0].id },
      mdts: [{ volume_id: free[1].id, conf_params: { 'osc.active': '1' } }],
      osts: [{ volume_id: free[2].id, conf_params: { 'osc.max_pages_per_rpc': '0' } }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      conf_params: { 'lov.stripesize': ['Only valid for MDT'] },
      mdts: { conf_params: { 'osc.active': ['Only valid for OST'] } },
      mgt: {},
      osts: { conf_params: { 'osc.max_pages_per_rpc': ['Must be greater than or equal to 1'] } },
    });
    expect((await get('filesystem/?name=badfs')).body.meta.total_count).toBe(0);
  });

  it('serves conf param help by kind and by key', async () => {
    const ost = (await get('help/conf_param/?kind=OST')).body;
    expect(Object.keys(ost)).toContain('osc.max_rpcs_in_flight');
    expect(Object.keys(ost)).not.toContain('sys.timeout');
    const keys = (await get('help/conf_param/?keys=sys.timeout,lov.stripecount')).body;
    expect(Object.keys(keys).sort()).toEqual(['lov.stripecount', 'sys.timeout']);
    expect(keys['sys.timeout']).toMatch(/client waits for a server/);
    expect((await get('help/conf_param/?kind=XYZ')).status).toBe(400);
    expect((await get('help/conf_param/')).body).toEqual({ kind: ['This field is mandatory'] });
  });

  it('runs several jobs as one command that completes when all of them have', async () => {
    const b1 = (await hostSeq('node-b1')).seq;
    const b3 = (await hostSeq('node-b3')).seq;
    const before = await env.rt.services.jobs.count();
    // One refused job refuses the whole command: nothing is recorded.
    const refused = await post('command/', { message: 'two', jobs: [{ class_name: 'ShutdownHostJob', args: { host_id: b1 } }, { class_name: 'FailbackTargetJob', args: { target_id: ostId } }] });
    expect(refused.status).toBe(400);
    expect(await env.rt.services.jobs.count()).toBe(before);
    const res = await post('command/', {
      message: 'Shut down two servers',
      jobs: [{ class_name: 'ShutdownHostJob', args: { hosts: [`/lustre/api/host/${b1}/`, `/lustre/api/host/${b3}/`] } }, { class_name: 'FailoverTargetJob', args: { target_id: ostId } }],
    });
    expect(res.status).toBe(201);
    expect(res.body.message).toBe('Shut down two servers');
    expect(res.body.jobs).toHaveLength(3);
    await env.rt.jobsIdle();
    const command = (await get(`command/${res.body.id}/`)).body;
    expect(command).toMatchObject({ complete: true, errored: false, cancelled: false, jobs: res.body.jobs });
    const classes = await Promise.all(res.body.jobs.map(async (uri: string) => (await get(uri.replace('/lustre/api/', ''))).body));
    expect(classes.map((j: { class_name: string }) => j.class_name)).toEqual(['ShutdownHostJob', 'ShutdownHostJob', 'FailoverTargetJob']);
    expect(classes.every((j: { commands: string[] }) => j.commands[0] === res.body.resource_uri)).toBe(true);
    // The other jobs are not commands of their own, and command lists show the command once.
    const second = Number(/(\d+)\/$/.exec(res.body.jobs[1])![1]);
    expect((await get(`command/${second}/`)).status).toBe(404);
    const listed = (await get('command/?complete=true&errored=false&limit=0')).body.objects.map((c: { id: number }) => c.id);
    expect(listed).toContain(res.body.id);
    expect(listed).not.toContain(second);
    expect((await get('command/?complete=false&limit=0')).body.objects.map((c: { id: number }) => c.id)).not.toContain(res.body.id);
    expect((await get(`host/${b1}/`)).body.available_jobs.map((j: { class_name: string }) => j.class_name)).not.toContain('ShutdownHostJob');
  });

  it('runs the CLI\'s nid-update, nid-relearn, filesystem-detect and server reboot jobs', async () => {
    const b2 = await hostSeq('node-b2');
    const hosts = [`/lustre/api/host/${b2.seq}/`];
    for (const className of ['UpdateNidsJob', 'UpdateDevicesJob', 'DetectTargetsJob', 'RebootHostJob']) {
      const res = await post('command/', { message: `${className} created by CLI`, jobs: [{ class_name: className, args: className === 'RebootHostJob' ? { host_id: b2.seq } : { hosts } }] });
      expect(res.status).toBe(201);
      await env.rt.jobsIdle();
      const command = (await get(`command/${res.body.id}/`)).body;
      expect(command).toMatchObject({ complete: true, errored: false, message: `${className} created by CLI` });
      expect((await get(command.jobs[0].replace('/lustre/api/', ''))).body.class_name).toBe(className);
    }
    // The reboot went through down and back up.
    const host = (await get(`host/${b2.seq}/`)).body;
    expect(host.available_jobs.map((j: { class_name: string }) => j.class_name)).toContain('RebootHostJob');
    expect((await env.rt.services.hosts.get(b2.id)).state).toBe('up');
    const unknownHost = await post('command/', { jobs: [{ class_name: 'UpdateNidsJob', args: { hosts: ['/lustre/api/host/99999/'] } }] });
    expect(unknownHost.body).toEqual({ state: 'Host 99999 not found' });
  });
});
