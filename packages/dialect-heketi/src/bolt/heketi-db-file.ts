import { writeBoltFile } from './bolt-writer';
import { GoType, gobEncode } from './gob-encoder';
import { BLOCK_VOLUME_ENTRY, BRICK_ENTRY, CLUSTER_ENTRY, DB_ATTRIBUTE_ENTRY, DEVICE_ENTRY, NODE_ENTRY, VOLUME_ENTRY } from './heketi-entry-types';

/** The /db/dump document (Heketi's Db struct in app_db.go), one member per bucket. */
export interface HeketiDump {
  clusterentries: Record<string, unknown>;
  volumeentries: Record<string, unknown>;
  brickentries: Record<string, unknown>;
  nodeentries: Record<string, unknown>;
  deviceentries: Record<string, unknown>;
  blockvolumeentries: Record<string, unknown>;
  dbattributeentries: Record<string, unknown>;
  pendingoperations: Record<string, unknown>;
}

type Struct = Extract<GoType, { kind: 'struct' }>;

// app.go's BOLTDB_BUCKET_* and pendingop.go's BOLTDB_BUCKET_PENDING_OPS, with the entry type
// each bucket's values are gob streams of.
const BUCKETS: [string, keyof HeketiDump, Struct | undefined][] = [
  ['CLUSTER', 'clusterentries', CLUSTER_ENTRY],
  ['NODE', 'nodeentries', NODE_ENTRY],
  ['VOLUME', 'volumeentries', VOLUME_ENTRY],
  ['DEVICE', 'deviceentries', DEVICE_ENTRY],
  ['BRICK', 'brickentries', BRICK_ENTRY],
  ['BLOCKVOLUME', 'blockvolumeentries', BLOCK_VOLUME_ENTRY],
  ['DBATTRIBUTE', 'dbattributeentries', DB_ATTRIBUTE_ENTRY],
  // Rosetta never leaves a pending operation behind (see README), so this bucket is always empty.
  ['PENDING_OPERATIONS', 'pendingoperations', undefined],
];

/** heketi.db as `GET /backup/db` streams it: every entry `Marshal`led into its bucket. */
export function heketiDbFile(dump: HeketiDump): Buffer {
  const buckets = new Map<string, Map<string, Buffer>>();
  for (const [name, member, type] of BUCKETS) {
    const entries = new Map<string, Buffer>();
    for (const [key, entry] of Object.entries(dump[member])) {
      if (!type) throw new Error(`no gob type for bucket ${name}`);
      entries.set(key, gobEncode(type, entry));
    }
    buckets.set(name, entries);
  }
  return writeBoltFile(buckets);
}
