import { Brick, Cluster, Device, Host, Volume } from '@rosetta/core';
import { goEncode } from './go-json';
import { mountHosts, queueTarget, renderBlockVolume, renderCluster, renderDevice, renderNode, renderVolume } from './render';

const at = new Date('2026-12-01T00:00:00Z');
const base = { seq: 1, createdAt: at, updatedAt: at };
const C = 'e5941679-956f-4218-87b3-ed5b4602f3ae';
const N1 = 'f4f4afdb-afc2-4124-bf34-4d90d42b4112';
const N2 = '0b1c0000-0000-4000-8000-000000000002';
const D1 = '75111315-5ad1-4b05-86c7-acb0fe4ed004';
const V = 'cf13fe76-c80b-4bca-8a6c-8ec14cb63f3e';
const B1 = '3f1adb16-05a9-4a5a-8555-7a231680fa5f';
const hex = (u: string) => u.replace(/-/g, '');

const host = (id: string, zone: number, storage: string, tags = {}): Host =>
  ({ ...base, id, siteId: C, clusterId: C, name: `node-${storage}`, managementAddress: `node-${storage}`, storageAddress: storage, zone, state: 'up', tags }) as unknown as Host;
const device: Device = { ...base, id: D1, hostId: N1, name: '/dev/sdb', kind: 'disk', sizeBytes: 500 * 2 ** 30, usedBytes: 1056768 * 1024, state: 'online', serial: null, tags: {} };
const brick: Brick = { ...base, id: B1, volumeId: V, deviceId: D1, hostId: N1, path: `/var/lib/heketi/mounts/vg_${hex(D1)}/brick_${hex(B1)}/brick`, sizeBytes: 2 ** 30 };
const volume = (over: Partial<Volume> = {}): Volume => ({
  ...base,
  id: V,
  clusterId: C,
  name: `vol_${hex(V)}`,
  kind: 'file',
  sizeBytes: 2 * 2 ** 30,
  durability: { type: 'replicate', replica: 3, disperseData: 0, disperseRedundancy: 0, requested: { replica: 3, disperseData: 0, disperseRedundancy: 0 } },
  blockHosting: false,
  blockFreeBytes: 0,
  hostingVolumeId: null,
  snapshotFactor: 1,
  tags: {},
  options: ['', ''],
  gid: 0,
  snapshotEnabled: false,
  blockRestriction: null,
  ...over,
});

describe('render', () => {
  test('cluster: arrays always present and sorted', () => {
    const cluster = { ...base, id: C, siteId: C, name: 'c', fileEnabled: true, blockEnabled: false, tags: {} } as Cluster;
    expect(goEncode(renderCluster(cluster, [N1, N2], [], []))).toBe(
      `{"id":"${hex(C)}","nodes":["${hex(N2)}","${hex(N1)}"],"volumes":[],"block":false,"file":true,"blockvolumes":[]}\n`,
    );
  });

  test('device: KiB, tags omitted when empty', () => {
    expect(goEncode(renderDevice(device, []))).toBe(
      `{"name":"/dev/sdb","storage":{"total":524288000,"free":523231232,"used":1056768},"id":"${hex(D1)}","state":"online","bricks":[]}\n`,
    );
    expect(renderDevice({ ...device, tags: { b: '1', a: '2' } }, []).tags).toBeDefined();
  });

  test('node: declaration order, state names, tags as a sorted map', () => {
    const json = goEncode(renderNode(host(N1, 2, '10.0.0.2', { rack: 'r4', arbiter: 'supported' }), [{ device, bricks: [brick] }]));
    expect(json).toMatch(/^\{"zone":2,"hostnames":\{"manage":\["node-10.0.0.2"\],"storage":\["10.0.0.2"\]\},"cluster":"[0-9a-f]{32}","tags":\{"arbiter":"supported","rack":"r4"\},"id":/);
    expect(json).toContain('"state":"online","devices":[{"name":"/dev/sdb"');
    expect(json).toContain(`"bricks":[{"id":"${hex(B1)}","path":"${brick.path}","device":"${hex(D1)}","node":"${hex(N1)}","volume":"${hex(V)}","size":1048576}]`);
  });

  test.each<[string, Partial<Volume>, string]>([
    ['replicate 3', {}, '"durability":{"type":"replicate","replicate":{"replica":3},"disperse":{}},"glustervolumeoptions":["",""],"snapshot":{"enable":false,"factor":1}'],
    [
      'default replica shown empty',
      { durability: { type: 'replicate', replica: 2, disperseData: 0, disperseRedundancy: 0, requested: { replica: 0 } } },
      '"durability":{"type":"replicate","replicate":{},"disperse":{}}',
    ],
    ['gid and snapshot factor', { gid: 5, snapshotEnabled: true, snapshotFactor: Math.fround(1.2) }, '"gid":5,"glustervolumeoptions":["",""],"snapshot":{"enable":true,"factor":1.2}'],
    ['block hosting', { blockHosting: true, blockFreeBytes: 98 * 2 ** 30, sizeBytes: 100 * 2 ** 30 }, '"block":true,"snapshot"'],
  ])('volume: %s', (_name, over, fragment) => {
    expect(goEncode(renderVolume(volume(over), [brick], ['10.0.0.2', '10.0.0.3'], []))).toContain(fragment);
  });

  test('volume mount info and block info', () => {
    const json = goEncode(renderVolume(volume(), [], ['10.0.0.2', '10.0.0.3', '10.0.0.1'], []));
    expect(json).toContain(
      `"mount":{"glusterfs":{"hosts":["10.0.0.2","10.0.0.3","10.0.0.1"],"device":"10.0.0.2:vol_${hex(V)}","options":{"backup-volfile-servers":"10.0.0.3,10.0.0.1"}}},"blockinfo":{},"bricks":[]}`,
    );
    const bhv = renderVolume(volume({ blockHosting: true, sizeBytes: 100 * 2 ** 30, blockFreeBytes: 93 * 2 ** 30, blockRestriction: 'locked' }), [], ['h'], [B1]);
    expect(goEncode(bhv.blockinfo)).toBe(`{"freesize":93,"reservedsize":2,"blockvolume":["${hex(B1)}"],"restriction":"locked"}\n`);
  });

  test('mount hosts follow node id order', () => {
    expect(mountHosts([host(N1, 1, '10.0.0.1'), host(N2, 2, '10.0.0.2')])).toEqual(['10.0.0.2', '10.0.0.1']);
  });

  test('block volume: hacount picks hosts, all when unset', () => {
    const blk = volume({ kind: 'block', name: 'blk1', sizeBytes: 5 * 2 ** 30, hostingVolumeId: V, haCount: 0 });
    expect(renderBlockVolume(blk, ['a', 'b', 'c'])).toMatchObject({ hacount: 3, usablesize: 5, blockvolume: { hosts: ['a', 'b', 'c'], lun: 0, username: '', password: '' } });
    expect(renderBlockVolume({ ...blk, haCount: 2 }, ['a', 'b', 'c']).blockvolume.hosts).toEqual(['a', 'b']);
  });

  test.each<[Parameters<typeof queueTarget>[0], string | undefined]>([
    ['volume.create', `/volumes/${hex(V)}`],
    ['volume.expand', `/volumes/${hex(V)}`],
    ['volume.clone', `/volumes/${hex(V)}`],
    ['host.add', `/nodes/${hex(N1)}`],
    ['volume.delete', undefined],
    ['device.add', undefined],
  ])('queue target of %s', (kind, target) => {
    expect(queueTarget(kind, [{ kind: 'volume', id: V }, { kind: 'host', id: N1 }])).toBe(target);
  });
});
