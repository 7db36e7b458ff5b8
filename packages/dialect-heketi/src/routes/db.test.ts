import { checkDump } from './db';

/** A one-of-each dump in Heketi's shapes; each case below breaks one link of it. */
function dump() {
  const c = 'c'.repeat(32);
  const n = 'a'.repeat(32);
  const d = 'd'.repeat(32);
  const v = 'e'.repeat(32);
  const b = 'b'.repeat(32);
  return {
    clusterentries: { [c]: { Info: { id: c, nodes: [n], volumes: [v], block: true, file: true, blockvolumes: [] as string[] } } },
    volumeentries: {
      [v]: { Info: { id: v, cluster: c, size: 1, mount: { glusterfs: { hosts: ['10.0.0.1'] } }, blockinfo: {} }, Bricks: [b], GlusterVolumeOptions: [], Pending: { Id: '' } },
    },
    brickentries: {
      [b]: { Info: { id: b, path: '/p', device: d, node: n, volume: v, size: 1048576 }, TpSize: 1048576, PoolMetadataSize: 8192, Pending: { Id: '' }, LvmThinPool: `tp_${b}`, LvmLv: '', SubType: 1 },
    },
    nodeentries: { [n]: { State: 'online', Info: { id: n, cluster: c }, Devices: [d] } },
    deviceentries: { [d]: { State: 'online', Info: { id: d, storage: { total: 10, free: 0, used: 1056768 } }, Bricks: [b], NodeId: n, ExtentSize: 4096 } },
    blockvolumeentries: {},
    dbattributeentries: {},
    pendingoperations: {},
  };
}

type Dump = Parameters<typeof checkDump>[0];

describe('db check (dbCheckConsistency)', () => {
  test('a consistent dump: every bucket ok, empty lists as null', () => {
    const r = checkDump(dump() as unknown as Dump);
    expect(r.totalinconsistencies).toBe(0);
    expect(r.devices).toEqual({ total: 1, pending: 0, ok: 1, notok: 0, inconsistencies: null });
    expect(r.dbattributes).toEqual({ total: 0, pending: 0, ok: 0, notok: 0, inconsistencies: null });
  });

  test.each([
    [
      'space used outside the bricks',
      (x: ReturnType<typeof dump>) => (Object.values(x.deviceentries)[0].Info.storage.used = 2105344),
      ['devices', `Device ${'d'.repeat(32)} size values differ Used(2105344) != aggregateBricksSize(1056768)`],
    ],
    [
      'a brick its volume does not list',
      (x: ReturnType<typeof dump>) => (Object.values(x.volumeentries)[0].Bricks = []),
      ['bricks', `Brick ${'b'.repeat(32)} no link back to brick from volume ${'e'.repeat(32)}`],
    ],
    [
      'a node its cluster does not list',
      (x: ReturnType<typeof dump>) => (Object.values(x.clusterentries)[0].Info.nodes = []),
      ['nodes', `Node ${'a'.repeat(32)} no link back to node from cluster ${'c'.repeat(32)}`],
    ],
  ])('%s', (_name, breakIt, [bucket, text]) => {
    const x = dump();
    breakIt(x);
    const r = checkDump(x as unknown as Dump) as unknown as Record<string, { notok: number; inconsistencies: string[] | null }> & { totalinconsistencies: number };
    expect(r[bucket].inconsistencies).toContain(text);
    expect(r[bucket].notok).toBe(1);
    expect(r.totalinconsistencies).toBeGreaterThanOrEqual(1);
  });
});
