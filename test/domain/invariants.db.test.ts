import { CoreError, Services } from '@rosetta/core';
import { TestRuntime, createTestRuntime } from '@rosetta/testing';

const GIB = 1024 ** 3;

describe('domain invariants on PostgreSQL', () => {
  let rt: TestRuntime;
  let services: Services;
  let siteId: string;
  let clusterId: string;
  let hostId: string;

  beforeAll(async () => {
    rt = await createTestRuntime();
    services = rt.services;
    siteId = (await services.sites.create({ name: 'dc1' })).id;
    clusterId = (await services.clusters.create({ siteId, name: 'c1' })).id;
    hostId = (await services.hosts.create({ siteId, clusterId, name: 'h1', zone: 1 })).id;
  });
  afterAll(() => rt.close());

  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    try {
      await p;
      return 'ok';
    } catch (err) {
      if (err instanceof CoreError) return err.code;
      throw err;
    }
  };

  it('50 parallel allocations against one device never exceed its capacity', async () => {
    const device = await services.devices.create({ hostId, name: '/dev/sdz', sizeBytes: 10 * GIB });
    const results = await Promise.all(Array.from({ length: 50 }, () => codeOf(services.devices.allocate(device.id, 1 * GIB))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(10);
    expect(results.filter((r) => r === 'CAPACITY')).toHaveLength(40);
    expect((await services.devices.get(device.id)).usedBytes).toBe(10 * GIB);
  });

  it('capacity never goes negative', async () => {
    const device = await services.devices.create({ hostId, name: '/dev/sdy', sizeBytes: GIB });
    await services.devices.allocate(device.id, 100);
    const results = await Promise.all(Array.from({ length: 10 }, () => codeOf(services.devices.release(device.id, 100))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect((await services.devices.get(device.id)).usedBytes).toBe(0);
  });

  it('names are unique where the vendors require it, even under concurrent creation', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => codeOf(services.hosts.create({ siteId, name: 'twin' }))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'ALREADY_EXISTS')).toHaveLength(9);
  });

  it('a host belongs to at most one cluster, and only one of its own site', async () => {
    const other = await services.sites.create({ name: 'dc2' });
    const foreign = await services.clusters.create({ siteId: other.id, name: 'c-foreign' });
    const host = await services.hosts.create({ siteId, name: 'mover' });
    await expect(services.hosts.update(host.id, { clusterId: foreign.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    const moved = await services.hosts.update(host.id, { clusterId });
    expect(moved.clusterId).toBe(clusterId);
  });

  it('deleting something that still holds children is a conflict and changes nothing', async () => {
    const host = await services.hosts.create({ siteId, clusterId, name: 'parent' });
    await services.devices.create({ hostId: host.id, name: '/dev/sdb', sizeBytes: GIB });
    await expect(services.hosts.remove(host.id)).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'has_children' } });
    await expect(services.clusters.remove(clusterId)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(services.sites.remove(siteId)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await services.hosts.get(host.id)).name).toBe('parent');
  });

  it('a VM takes its disk from its datastore and gives it back', async () => {
    const ds = await services.datastores.create({ clusterId, name: 'ds1', capacityBytes: 100 * GIB });
    const vm = await services.vms.create({ name: 'vm1', hostId, datastoreId: ds.id, diskBytes: 60 * GIB });
    await expect(services.vms.create({ name: 'vm2', hostId, datastoreId: ds.id, diskBytes: 60 * GIB })).rejects.toMatchObject({ code: 'CAPACITY' });
    expect((await services.datastores.get(ds.id)).usedBytes).toBe(60 * GIB);
    await services.vms.remove(vm.id);
    expect((await services.datastores.get(ds.id)).usedBytes).toBe(0);
    expect(await services.vms.count({ field: 'name', op: 'eq', value: 'vm2' })).toBe(0);
  });

  it('unknown ids are NOT_FOUND, malformed ids too, never a database error', async () => {
    await expect(services.hosts.get('00000000-0000-0000-0000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(services.hosts.get("1' OR '1'='1")).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(services.devices.create({ hostId: 'nope', name: 'x', sizeBytes: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('invalid input is a VALIDATION error listing each field', async () => {
    const err = await services.hosts.create({ siteId, name: '', cpuCores: -1 }).catch((e: CoreError) => e);
    expect(err).toBeInstanceOf(CoreError);
    expect((err as CoreError).details.fields?.map((f) => f.field)).toEqual(['name', 'cpuCores']);
  });

  it('volumes place replicas on distinct hosts and zones, and free them on delete', async () => {
    const hosts = await Promise.all([1, 2, 3].map((zone) => services.hosts.create({ siteId, clusterId, name: `gl-${zone}`, zone })));
    const devices = await Promise.all(hosts.map((h) => services.devices.create({ hostId: h.id, name: '/dev/vdb', sizeBytes: 100 * GIB })));
    const request = (name: string, sizeGib: number) => ({
      clusterIds: [clusterId],
      name,
      defaultName: (id: string) => `vol_${id}`,
      sizeGib,
      durability: { type: 'replicate' as const, replica: 3, disperseData: 4, disperseRedundancy: 2 },
      snapshotEnabled: false,
      snapshotFactor: 1,
      gid: 0,
      options: [],
      blockHosting: false,
      placement: { strictZones: true },
    });
    const { volume } = await services.storage.createVolume(request('vol1', 10), 'test');
    const bricks = await services.volumes.bricks(volume.id);
    expect(bricks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(bricks.map((b) => b.hostId)).size).toBe(3);
    expect((await services.devices.get(devices[0].id)).usedBytes).toBeGreaterThan(0);
    await expect(services.storage.createVolume(request('huge', 1000), 'test')).rejects.toMatchObject({ code: 'CAPACITY' });
    await services.storage.deleteVolume(volume.id, 'test');
    await rt.jobsIdle();
    for (const d of devices) expect((await services.devices.get(d.id)).usedBytes).toBe(0);
  });
});
