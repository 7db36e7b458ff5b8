import request from 'supertest';
import { eq } from '@rosetta/core';
import { login, lustreApp } from './helpers';

/**
 * One domain: a device that holds a Gluster brick (what Heketi's POST /volumes makes through
 * `services.storage.createVolume`) is no Lustre volume, and a device a Lustre target uses is fully
 * allocated, so no brick can land on it.
 */
describe('devices shared between Lustre and Heketi', () => {
  let env: Awaited<ReturnType<typeof lustreApp>>;
  let auth: { cookie: string; csrf: string };
  let brickHosts: string[] = [];
  const get = async (path: string) => (await request(env.app).get(`/lustre/api/${path}`)).body;
  const post = (path: string, body: unknown) =>
    request(env.app).post(`/lustre/api/${path}`).set('Cookie', auth.cookie).set('X-CSRFToken', auth.csrf).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const glusterVolume = async (sizeGib: number) => {
    const { volume } = await env.rt.services.storage.createVolume(
      {
        clusterIds: [],
        defaultName: (id) => `vol_${id.replace(/-/g, '')}`,
        sizeGib,
        durability: { type: 'replicate', replica: 3, disperseData: 0, disperseRedundancy: 0 },
        snapshotEnabled: false,
        snapshotFactor: 1,
        gid: 0,
        options: [],
        blockHosting: false,
        placement: { strictZones: false },
      },
      'heketi',
    );
    await env.rt.jobsIdle();
    return env.rt.services.storage.bricks(eq('volumeId', volume.id));
  };
  beforeAll(async () => {
    env = await lustreApp();
    auth = await login(env.app);
  });
  afterAll(async () => env.rt.close());

  it('refuses a device holding a brick as a Lustre volume', async () => {
    const bricks = await glusterVolume(10);
    expect(bricks.length).toBeGreaterThanOrEqual(3);
    brickHosts = [...new Set(bricks.map((b) => b.hostId))];
    const device = await env.rt.services.devices.get(bricks[0].deviceId);
    const volume = await get(`volume/${device.seq}/`);
    expect(volume.usable_for_lustre).toBe(false);
    expect((await get('volume/?category=usable&limit=0')).objects.map((v: { id: number }) => v.id)).not.toContain(device.seq);
    const res = await post('filesystem/', { name: 'brickfs', conf_params: {}, mgt: { volume_id: device.seq }, mdts: [{ volume_id: device.seq }], osts: [{ volume_id: device.seq }] });
    expect(res.status).toBe(400);
    expect(res.body.mgt).toEqual({ volume_id: [expect.stringMatching(new RegExp(`^Volume with ID ${device.seq} `))] });
  });

  it('leaves no room for a brick on a device a Lustre target uses', async () => {
    // Volumes on the very servers the first Gluster volume put its bricks on, so the allocator had them in reach.
    const hostSeqs = new Set((await env.rt.services.hosts.list({ filter: { field: 'id', op: 'in', value: brickHosts } })).map((h) => h.seq));
    const usable = (await get('volume/?category=usable&limit=0')).objects as { id: number; volume_nodes: { host_id: number }[] }[];
    const [mgt, mdt, ost] = usable.filter((v) => hostSeqs.has(v.volume_nodes[0].host_id));
    expect(ost).toBeDefined();
    const res = await post('filesystem/', { name: 'lfs', conf_params: {}, mgt: { volume_id: mgt.id }, mdts: [{ volume_id: mdt.id }], osts: [{ volume_id: ost.id }] });
    expect(res.status).toBe(202);
    await env.rt.jobsIdle();
    const devices = await env.rt.services.devices.list({ filter: { field: 'seq', op: 'in', value: [mgt.id, mdt.id, ost.id] } });
    expect(devices).toHaveLength(3);
    for (const d of devices) expect(d.usedBytes).toBe(d.sizeBytes);
    const bricks = await glusterVolume(10);
    // The allocator did place bricks on those servers, only never on the devices Lustre holds.
    expect(bricks.some((b) => brickHosts.includes(b.hostId))).toBe(true);
    for (const d of devices) expect(bricks.map((b) => b.deviceId)).not.toContain(d.id);
  });
});
