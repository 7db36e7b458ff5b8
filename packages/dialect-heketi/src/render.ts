import { createHash } from 'crypto';
import { Brick, Cluster, Device, Host, HostState, JobKind, Tags, Volume, GIB_KIB, KIB } from '@rosetta/core';
import { Float32, GoMap } from './go-json';
import { hexId, sortedHex } from './ids';

/**
 * Core entities in Heketi's wire shapes (pkg/glusterfs/api/types.go): struct members in
 * declaration order, omitempty members left undefined, maps as GoMap, sizes in KiB or GiB.
 */
const GIB = GIB_KIB * KIB;

export const NODE_STATE: Record<HostState, string> = { up: 'online', maintenance: 'offline', down: 'failed' };
export const HOST_STATE: Record<string, HostState> = { online: 'up', offline: 'maintenance', failed: 'down' };

const tagMap = (tags: Tags | undefined): GoMap | undefined => (tags && Object.keys(tags).length ? new GoMap(tags) : undefined);
const byHexId = <T extends { id: string }>(items: T[]): T[] => [...items].sort((a, b) => (hexId(a.id) < hexId(b.id) ? -1 : 1));

export function renderCluster(cluster: Cluster, nodes: string[], volumes: string[], blockVolumes: string[]) {
  return {
    id: hexId(cluster.id),
    nodes: sortedHex(nodes),
    volumes: sortedHex(volumes),
    block: cluster.blockEnabled,
    file: cluster.fileEnabled,
    blockvolumes: sortedHex(blockVolumes),
  };
}

export function renderBrick(brick: Brick) {
  return {
    id: hexId(brick.id),
    path: brick.path,
    device: hexId(brick.deviceId),
    node: hexId(brick.hostId),
    volume: hexId(brick.volumeId),
    size: Math.floor(brick.sizeBytes / KIB),
  };
}

export function renderDevice(device: Device, bricks: Brick[]) {
  const total = Math.floor(device.sizeBytes / KIB);
  const used = Math.floor(device.usedBytes / KIB);
  return {
    name: device.name,
    tags: tagMap(device.tags),
    storage: { total, free: total - used, used },
    id: hexId(device.id),
    state: device.state,
    bricks: byHexId(bricks).map(renderBrick),
  };
}

export function renderNode(host: Host, devices: { device: Device; bricks: Brick[] }[]) {
  return {
    zone: host.zone,
    hostnames: { manage: [host.managementAddress ?? host.name], storage: [host.storageAddress ?? host.managementAddress ?? host.name] },
    cluster: host.clusterId ? hexId(host.clusterId) : '',
    tags: tagMap(host.tags),
    id: hexId(host.id),
    state: NODE_STATE[host.state],
    devices: [...devices].sort((a, b) => (hexId(a.device.id) < hexId(b.device.id) ? -1 : 1)).map((d) => renderDevice(d.device, d.bricks)),
  };
}

/** Storage hostnames of every node of the cluster in node-id order: what clients mount from. */
export function mountHosts(hosts: Host[]): string[] {
  return byHexId(hosts).map((h) => h.storageAddress ?? h.managementAddress ?? h.name);
}

const positive = (n: number | undefined): number | undefined => (n ? n : undefined);

export function renderVolume(volume: Volume, bricks: Brick[], hosts: string[], blockVolumes: string[]) {
  const d = volume.durability;
  const asked = d.requested ?? { replica: d.replica, disperseData: d.disperseData, disperseRedundancy: d.disperseRedundancy };
  const sizeGib = Math.floor(volume.sizeBytes / GIB);
  const reserved = sizeGib - Math.floor((sizeGib * 98) / 100);
  return {
    size: sizeGib,
    name: volume.name,
    durability: {
      type: d.type,
      replicate: { replica: positive(asked.replica) },
      disperse: { data: positive(asked.disperseData), redundancy: positive(asked.disperseRedundancy) },
    },
    gid: positive(volume.gid),
    glustervolumeoptions: volume.options?.length ? volume.options : undefined,
    block: volume.blockHosting || undefined,
    snapshot: { enable: Boolean(volume.snapshotEnabled), factor: new Float32(volume.snapshotFactor) },
    id: hexId(volume.id),
    cluster: hexId(volume.clusterId),
    mount: {
      glusterfs: {
        hosts,
        device: `${hosts[0] ?? ''}:${volume.name}`,
        options: new GoMap({ 'backup-volfile-servers': hosts.slice(1).join(',') }),
      },
    },
    blockinfo: volume.blockHosting
      ? {
          freesize: positive(Math.floor(volume.blockFreeBytes / GIB)),
          reservedsize: positive(reserved),
          blockvolume: blockVolumes.length ? sortedHex(blockVolumes) : undefined,
          restriction: volume.blockRestriction || undefined,
        }
      : {},
    bricks: byHexId(bricks).map(renderBrick),
  };
}

/** A block volume's iSCSI target as gluster-block names it; CHAP credentials only when auth was asked for. */
export function renderBlockVolume(volume: Volume, hostingHosts: string[]) {
  const ha = volume.haCount ?? 0;
  const hosts = ha > 0 && ha <= hostingHosts.length ? hostingHosts.slice(0, ha) : hostingHosts;
  const sizeGib = Math.floor(volume.sizeBytes / GIB);
  return {
    size: sizeGib,
    name: volume.name,
    hacount: hosts.length,
    id: hexId(volume.id),
    blockvolume: {
      hosts,
      iqn: `iqn.2016-12.org.gluster-block:${volume.id}`,
      lun: 0,
      username: volume.authEnabled ? volume.id : '',
      password: volume.authEnabled ? createHash('sha256').update(`chap:${volume.id}`).digest('hex').slice(0, 32) : '',
    },
    cluster: hexId(volume.clusterId),
    blockhostingvolume: volume.hostingVolumeId ? hexId(volume.hostingVolumeId) : '',
    usablesize: sizeGib,
  };
}

/** Where a finished queue entry sends the client: the resource it made, or nowhere (204). */
export function queueTarget(kind: JobKind, affected: { kind: string; id: string }[]): string | undefined {
  const first = (k: string) => affected.find((a) => a.kind === k)?.id;
  switch (kind) {
    case 'volume.create':
    case 'volume.expand':
    case 'volume.clone':
      return first('volume') && `/volumes/${hexId(first('volume')!)}`;
    case 'volume.set_block_restriction':
      return first('volume') && `/volumes/${hexId(first('volume')!)}`;
    case 'host.add':
      return first('host') && `/nodes/${hexId(first('host')!)}`;
    case 'block_volume.create':
    case 'block_volume.expand':
      return first('block_volume') && `/blockvolumes/${hexId(first('block_volume')!)}`;
    default:
      return undefined;
  }
}
