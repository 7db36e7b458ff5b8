import { GoField, GoType } from './gob-encoder';

/**
 * The Go types Heketi v10 stores in its BoltDB (apps/glusterfs/*_entry.go over
 * pkg/glusterfs/api/types.go), fields in declaration order. `json` names where the field sits
 * in the /db/dump shape; embedded structs read the same object, as encoding/json flattens them.
 * gob matches fields by name, so these names are what a Heketi decoding the file relies on.
 */
const BOOL: GoType = { kind: 'bool' };
const INT: GoType = { kind: 'int' };
const UINT: GoType = { kind: 'uint' };
const FLOAT: GoType = { kind: 'float' };
const STRING: GoType = { kind: 'string' };
const STRING_SLICE: GoType = { kind: 'slice', name: 'StringSlice', elem: STRING };
const STRINGS: GoType = { kind: 'slice', name: '[]string', elem: STRING };
const TAGS: GoType = { kind: 'map', name: 'map[string]string', key: STRING, elem: STRING };

type Struct = Extract<GoType, { kind: 'struct' }>;
const struct = (name: string, fields: GoField[]): Struct => ({ kind: 'struct', name, fields });
const f = (go: string, type: GoType, json?: string): GoField => ({ go, type, json });
const embed = (type: Struct): GoField => ({ go: type.name, type, embedded: true });

const PENDING_ITEM = struct('PendingItem', [f('Id', STRING)]);
const ENTRY = struct('Entry', [f('State', STRING)]);

const CLUSTER_FLAGS = struct('ClusterFlags', [f('Block', BOOL, 'block'), f('File', BOOL, 'file')]);
const CLUSTER_INFO = struct('ClusterInfoResponse', [
  f('Id', STRING, 'id'),
  f('Nodes', STRING_SLICE, 'nodes'),
  f('Volumes', STRING_SLICE, 'volumes'),
  embed(CLUSTER_FLAGS),
  f('BlockVolumes', STRING_SLICE, 'blockvolumes'),
]);
export const CLUSTER_ENTRY = struct('ClusterEntry', [f('Info', CLUSTER_INFO)]);

const HOST_ADDRESSES = struct('HostAddresses', [f('Manage', STRING_SLICE, 'manage'), f('Storage', STRING_SLICE, 'storage')]);
const NODE_ADD_REQUEST = struct('NodeAddRequest', [
  f('Zone', INT, 'zone'),
  f('Hostnames', HOST_ADDRESSES, 'hostnames'),
  f('ClusterId', STRING, 'cluster'),
  f('Tags', TAGS, 'tags'),
]);
const NODE_INFO = struct('NodeInfo', [embed(NODE_ADD_REQUEST), f('Id', STRING, 'id')]);
export const NODE_ENTRY = struct('NodeEntry', [embed(ENTRY), f('Info', NODE_INFO), f('Devices', STRING_SLICE)]);

const DEVICE = struct('Device', [f('Name', STRING, 'name'), f('Tags', TAGS, 'tags')]);
const STORAGE_SIZE = struct('StorageSize', [f('Total', UINT, 'total'), f('Free', UINT, 'free'), f('Used', UINT, 'used')]);
const DEVICE_INFO = struct('DeviceInfo', [
  embed(DEVICE),
  f('Storage', STORAGE_SIZE, 'storage'),
  f('Id', STRING, 'id'),
  f('Paths', STRINGS, 'paths'),
  f('PvUUID', STRING, 'pv_uuid'),
]);
export const DEVICE_ENTRY = struct('DeviceEntry', [
  embed(ENTRY),
  f('Info', DEVICE_INFO),
  f('Bricks', STRING_SLICE),
  f('NodeId', STRING),
  f('ExtentSize', UINT),
]);

const BRICK_INFO = struct('BrickInfo', [
  f('Id', STRING, 'id'),
  f('Path', STRING, 'path'),
  f('DeviceId', STRING, 'device'),
  f('NodeId', STRING, 'node'),
  f('VolumeId', STRING, 'volume'),
  f('Size', UINT, 'size'),
]);
export const BRICK_ENTRY = struct('BrickEntry', [
  f('Info', BRICK_INFO),
  f('TpSize', UINT),
  f('PoolMetadataSize', UINT),
  f('Pending', PENDING_ITEM),
  f('LvmThinPool', STRING),
  f('LvmLv', STRING),
  f('SubType', INT),
]);

const REPLICA_DURABILITY = struct('ReplicaDurability', [f('Replica', INT, 'replica')]);
const DISPERSE_DURABILITY = struct('DisperseDurability', [f('Data', INT, 'data'), f('Redundancy', INT, 'redundancy')]);
const DURABILITY_INFO = struct('VolumeDurabilityInfo', [
  f('Type', STRING, 'type'),
  f('Replicate', REPLICA_DURABILITY, 'replicate'),
  f('Disperse', DISPERSE_DURABILITY, 'disperse'),
]);
const SNAPSHOT = struct('', [f('Enable', BOOL, 'enable'), f('Factor', FLOAT, 'factor')]);
const VOLUME_CREATE_REQUEST = struct('VolumeCreateRequest', [
  f('Size', INT, 'size'),
  f('Clusters', STRINGS, 'clusters'),
  f('Name', STRING, 'name'),
  f('Durability', DURABILITY_INFO, 'durability'),
  f('Gid', INT, 'gid'),
  f('GlusterVolumeOptions', STRINGS, 'glustervolumeoptions'),
  f('Block', BOOL, 'block'),
  f('Snapshot', SNAPSHOT, 'snapshot'),
]);
const GLUSTERFS_MOUNT = struct('', [f('Hosts', STRINGS, 'hosts'), f('MountPoint', STRING, 'device'), f('Options', TAGS, 'options')]);
const MOUNT = struct('', [f('GlusterFS', GLUSTERFS_MOUNT, 'glusterfs')]);
const BLOCK_INFO = struct('', [
  f('FreeSize', INT, 'freesize'),
  f('ReservedSize', INT, 'reservedsize'),
  f('BlockVolumes', STRING_SLICE, 'blockvolume'),
  f('Restriction', STRING, 'restriction'),
]);
const VOLUME_INFO = struct('VolumeInfo', [
  embed(VOLUME_CREATE_REQUEST),
  f('Id', STRING, 'id'),
  f('Cluster', STRING, 'cluster'),
  f('Mount', MOUNT, 'mount'),
  f('BlockInfo', BLOCK_INFO, 'blockinfo'),
]);

// The concrete durabilities Heketi registers with gob.Register(&T{}): gob names them by their
// reflect string, pointer included.
const VOLUME_REPLICA_DURABILITY = struct('VolumeReplicaDurability', [embed(REPLICA_DURABILITY)]);
const VOLUME_DISPERSE_DURABILITY = struct('VolumeDisperseDurability', [embed(DISPERSE_DURABILITY)]);
const NONE_DURABILITY = struct('NoneDurability', [embed(VOLUME_REPLICA_DURABILITY)]);

interface DurabilitySource {
  type?: string;
  replicate?: { replica?: number };
  disperse?: { data?: number; redundancy?: number };
}

/** VolumeEntry.Durability, which Heketi sets from Info.Durability when it creates the volume. */
const DURABILITY: GoType = {
  kind: 'interface',
  choose: (source) => {
    const d = ((source as { Info?: { durability?: DurabilitySource } })?.Info?.durability ?? {}) as DurabilitySource;
    if (d.type === 'disperse') return { name: '*glusterfs.VolumeDisperseDurability', type: VOLUME_DISPERSE_DURABILITY, value: d.disperse ?? {} };
    if (d.type === 'none') return { name: '*glusterfs.NoneDurability', type: NONE_DURABILITY, value: { replica: 1 } };
    return { name: '*glusterfs.VolumeReplicaDurability', type: VOLUME_REPLICA_DURABILITY, value: d.replicate ?? {} };
  },
};

export const VOLUME_ENTRY = struct('VolumeEntry', [
  f('Info', VOLUME_INFO),
  f('Bricks', STRING_SLICE),
  { go: 'Durability', type: DURABILITY, embedded: true },
  f('GlusterVolumeOptions', STRINGS),
  f('Pending', PENDING_ITEM),
]);

const BLOCK_VOLUME_CREATE_REQUEST = struct('BlockVolumeCreateRequest', [
  f('Size', INT, 'size'),
  f('Clusters', STRINGS, 'clusters'),
  f('Name', STRING, 'name'),
  f('Hacount', INT, 'hacount'),
  f('Auth', BOOL, 'auth'),
]);
const BLOCK_VOLUME_TARGET = struct('', [
  f('Hosts', STRINGS, 'hosts'),
  f('Iqn', STRING, 'iqn'),
  f('Lun', INT, 'lun'),
  f('Username', STRING, 'username'),
  f('Password', STRING, 'password'),
]);
const BLOCK_VOLUME_INFO = struct('BlockVolumeInfo', [
  embed(BLOCK_VOLUME_CREATE_REQUEST),
  f('Id', STRING, 'id'),
  f('BlockVolume', BLOCK_VOLUME_TARGET, 'blockvolume'),
  f('Cluster', STRING, 'cluster'),
  f('BlockHostingVolume', STRING, 'blockhostingvolume'),
  f('UsableSize', INT, 'usablesize'),
]);
export const BLOCK_VOLUME_ENTRY = struct('BlockVolumeEntry', [f('Info', BLOCK_VOLUME_INFO), f('Pending', PENDING_ITEM)]);

export const DB_ATTRIBUTE_ENTRY = struct('DbAttributeEntry', [f('Key', STRING), f('Value', STRING)]);
