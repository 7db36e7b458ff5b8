import { Float32, GoMap } from '../go-json';
import { PAGE_SIZE, writeBoltFile } from './bolt-writer';
import { gobEncode } from './gob-encoder';
import { HeketiDump, heketiDbFile } from './heketi-db-file';
import { readBoltFile } from './testing/bolt-reader';
import { GobDecoder } from './testing/gob-decoder';

const c = 'c'.repeat(32);
const n = 'a'.repeat(32);
const d = 'd'.repeat(32);
const v = 'e'.repeat(32);
const b = 'b'.repeat(32);
const bv = 'f'.repeat(32);

/** One of each entry, shaped as /db/dump renders them. */
function dump(): HeketiDump {
  return {
    clusterentries: { [c]: { Info: { id: c, nodes: [n], volumes: [v], block: true, file: true, blockvolumes: [bv] } } },
    nodeentries: {
      [n]: { State: 'online', Info: { zone: 2, hostnames: { manage: ['node1'], storage: ['10.0.0.1'] }, cluster: c, tags: new GoMap({ rack: 'r1', arbiter: 'supported' }), id: n }, Devices: [d] },
    },
    deviceentries: {
      [d]: { State: 'failed', Info: { name: '/dev/sdb', storage: { total: 524288000, free: 521142272, used: 3145728 }, id: d }, Bricks: [b], NodeId: n, ExtentSize: 4096 },
    },
    volumeentries: {
      [v]: {
        Info: {
          size: 3,
          clusters: [c],
          name: 'vol_é',
          durability: { type: 'disperse', replicate: {}, disperse: { data: 4, redundancy: 2 } },
          gid: -5,
          glustervolumeoptions: ['a b'],
          block: true,
          snapshot: { enable: true, factor: new Float32(1.2) },
          id: v,
          cluster: c,
          mount: { glusterfs: { hosts: ['10.0.0.1'], device: '10.0.0.1:vol', options: new GoMap({ 'backup-volfile-servers': '' }) } },
          blockinfo: { freesize: 1, reservedsize: 2, blockvolume: [bv] },
        },
        Bricks: [b],
        GlusterVolumeOptions: ['a b'],
        Pending: { Id: '' },
      },
    },
    brickentries: {
      [b]: { Info: { id: b, path: '/p', device: d, node: n, volume: v, size: 1048576 }, TpSize: 1048576, PoolMetadataSize: 8192, Pending: { Id: '' }, LvmThinPool: `tp_${b}`, LvmLv: '', SubType: 1 },
    },
    blockvolumeentries: {
      [bv]: { Info: { size: 1, name: 'blk', hacount: 1, auth: true, id: bv, blockvolume: { hosts: ['10.0.0.1'], iqn: 'iqn.x', lun: 0, username: 'u', password: 'p' }, cluster: c, blockhostingvolume: v }, Pending: { Id: '' } },
    },
    dbattributeentries: { DB_BRICK_HAS_SUBTYPE_FIELD: { Key: 'DB_BRICK_HAS_SUBTYPE_FIELD', Value: 'yes' } },
    pendingoperations: {},
  };
}

const decodeOne = (bytes: Buffer) => {
  const values = new GobDecoder().decodeAll(bytes);
  expect(values).toHaveLength(1);
  return values[0] as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

describe('gob encoder', () => {
  test('matches the byte dump in the encoding/gob documentation (Point{22, 33})', () => {
    const point = { kind: 'struct' as const, name: 'Point', fields: [{ go: 'X', type: { kind: 'int' as const } }, { go: 'Y', type: { kind: 'int' as const } }] };
    // Type definition: 31 bytes, id -65, StructT, CommonType "Point" id 65, fields X and Y of
    // type int (2); then the value: 7 bytes, id 65, field 0 = 22, field 1 = 33, end.
    const expected = '1fff81030101' + '05506f696e74' + '01ff8200' + '0102' + '0101580104' + '00' + '0101590104' + '00' + '0000' + '07ff82012c014200';
    expect(gobEncode(point, { X: 22, Y: 33 }).toString('hex')).toBe(expected);
  });

  test('zero fields are left out, nested structs and non-nil maps stay, integers use gob forms', () => {
    const type = {
      kind: 'struct' as const,
      name: 'T',
      fields: [
        { go: 'Big', type: { kind: 'uint' as const } },
        { go: 'Neg', type: { kind: 'int' as const } },
        { go: 'Empty', type: { kind: 'string' as const } },
        { go: 'M', type: { kind: 'map' as const, name: 'm', key: { kind: 'string' as const }, elem: { kind: 'string' as const } } },
      ],
    };
    const bytes = gobEncode(type, { Big: 256, Neg: -129, Empty: '', M: {} });
    expect(decodeOne(bytes)).toEqual({ Big: 256, Neg: -129, M: {} });
    // 256 is FE 01 00; -129 is (128 << 1) | 1 = 257 = FE 01 01.
    expect(bytes.toString('hex')).toContain('01fe010001fe0101');
  });
});

describe('heketi.db (BoltDB of gob entries)', () => {
  test('a Bolt reader written from the format finds every bucket and decodes every entry', () => {
    const file = heketiDbFile(dump());
    expect(file.length % PAGE_SIZE).toBe(0);
    const bolt = readBoltFile(file);
    expect(bolt.pageSize).toBe(4096);
    expect(bolt.highWater * 4096).toBe(file.length);
    expect([...bolt.buckets.keys()]).toEqual(['BLOCKVOLUME', 'BRICK', 'CLUSTER', 'DBATTRIBUTE', 'DEVICE', 'NODE', 'PENDING_OPERATIONS', 'VOLUME']);
    expect(bolt.buckets.get('PENDING_OPERATIONS')!.size).toBe(0);

    const entry = (bucket: string, key: string) => decodeOne(bolt.buckets.get(bucket)!.get(key)!);
    expect(entry('CLUSTER', c)).toEqual({ Info: { Id: c, Nodes: [n], Volumes: [v], ClusterFlags: { Block: true, File: true }, BlockVolumes: [bv] } });
    expect(entry('NODE', n)).toEqual({
      Entry: { State: 'online' },
      Info: { NodeAddRequest: { Zone: 2, Hostnames: { Manage: ['node1'], Storage: ['10.0.0.1'] }, ClusterId: c, Tags: { arbiter: 'supported', rack: 'r1' } }, Id: n },
      Devices: [d],
    });
    expect(entry('DEVICE', d)).toEqual({
      Entry: { State: 'failed' },
      Info: { Device: { Name: '/dev/sdb' }, Storage: { Total: 524288000, Free: 521142272, Used: 3145728 }, Id: d },
      Bricks: [b],
      NodeId: n,
      ExtentSize: 4096,
    });
    expect(entry('BRICK', b)).toEqual({
      Info: { Id: b, Path: '/p', DeviceId: d, NodeId: n, VolumeId: v, Size: 1048576 },
      TpSize: 1048576,
      PoolMetadataSize: 8192,
      Pending: {},
      LvmThinPool: `tp_${b}`,
      SubType: 1,
    });
    const volume = entry('VOLUME', v);
    expect(volume.Info.VolumeCreateRequest).toEqual({
      Size: 3,
      Clusters: [c],
      Name: 'vol_é',
      Durability: { Type: 'disperse', Replicate: {}, Disperse: { Data: 4, Redundancy: 2 } },
      Gid: -5,
      GlusterVolumeOptions: ['a b'],
      Block: true,
      Snapshot: { Enable: true, Factor: Math.fround(1.2) },
    });
    expect(volume.Info.Mount).toEqual({ GlusterFS: { Hosts: ['10.0.0.1'], MountPoint: '10.0.0.1:vol', Options: { 'backup-volfile-servers': '' } } });
    expect(volume.Info.BlockInfo).toEqual({ FreeSize: 1, ReservedSize: 2, BlockVolumes: [bv] });
    expect(volume.Durability).toEqual({ type: '*glusterfs.VolumeDisperseDurability', value: { DisperseDurability: { Data: 4, Redundancy: 2 } } });
    expect(volume.Pending).toEqual({});
    expect(entry('BLOCKVOLUME', bv)).toEqual({
      Info: {
        BlockVolumeCreateRequest: { Size: 1, Name: 'blk', Hacount: 1, Auth: true },
        Id: bv,
        BlockVolume: { Hosts: ['10.0.0.1'], Iqn: 'iqn.x', Username: 'u', Password: 'p' },
        Cluster: c,
        BlockHostingVolume: v,
      },
      Pending: {},
    });
    expect(entry('DBATTRIBUTE', 'DB_BRICK_HAS_SUBTYPE_FIELD')).toEqual({ Key: 'DB_BRICK_HAS_SUBTYPE_FIELD', Value: 'yes' });
  });

  test('a replicate volume carries the replica durability Heketi registers', () => {
    const d1 = dump();
    const info = (d1.volumeentries[v] as { Info: { durability: unknown } }).Info;
    info.durability = { type: 'replicate', replicate: { replica: 3 }, disperse: {} };
    const volume = decodeOne(readBoltFile(heketiDbFile(d1)).buckets.get('VOLUME')!.get(v)!);
    expect(volume.Durability).toEqual({ type: '*glusterfs.VolumeReplicaDurability', value: { ReplicaDurability: { Replica: 3 } } });
  });

  test('large buckets split into leaves under branch pages; a value larger than a page overflows', () => {
    const many = new Map<string, Buffer>();
    for (let i = 0; i < 2000; i++) many.set(i.toString(16).padStart(32, '0'), Buffer.alloc(100, i % 256));
    const huge = Buffer.alloc(3 * PAGE_SIZE + 17, 7);
    const file = writeBoltFile(new Map([['BIG', many], ['HUGE', new Map([['k', huge], ['j', Buffer.from('x')]])], ['EMPTY', new Map()]]));
    const read = readBoltFile(file);
    expect(read.buckets.get('BIG')!.size).toBe(2000);
    expect(read.buckets.get('BIG')!.get((1234).toString(16).padStart(32, '0'))).toEqual(Buffer.alloc(100, 1234 % 256));
    expect(read.buckets.get('HUGE')!.get('k')).toEqual(huge);
    expect(read.buckets.get('HUGE')!.get('j')).toEqual(Buffer.from('x'));
    expect(read.buckets.get('EMPTY')!.size).toBe(0);
    // 2000 x 148 bytes need about 75 leaves: a branch level above them.
    expect(read.highWater).toBeGreaterThan(80);
  });

  test('the reader rejects a corrupted meta page and a truncated file', () => {
    const file = heketiDbFile(dump());
    const badMeta = Buffer.from(file);
    badMeta[16 + 40] ^= 1; // the high water mark, under the checksum
    expect(() => readBoltFile(badMeta)).toThrow('meta 0 checksum mismatch');
    expect(() => readBoltFile(file.subarray(0, file.length - PAGE_SIZE))).toThrow(/meta says/);
  });
});
