import { Durability, NewVolume, Volume, VolumePatch } from '@rosetta/core';
import { TableDef, baseEntity, baseFields, json } from '../table-repository';

export const volumesTable: TableDef<Volume, NewVolume, VolumePatch> = {
  table: 'volumes',
  kind: 'volume',
  fields: {
    ...baseFields,
    clusterId: { column: 'cluster_id', type: 'uuid' },
    hostingVolumeId: { column: 'hosting_volume_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    kind: { column: 'kind', type: 'string' },
    sizeBytes: { column: 'size_bytes', type: 'number' },
    blockHosting: { column: 'block_hosting', type: 'boolean' },
    blockFreeBytes: { column: 'block_free_bytes', type: 'number' },
  },
  toEntity: (r) => ({
    ...baseEntity(r),
    clusterId: r.cluster_id as string,
    hostingVolumeId: (r.hosting_volume_id as string | null) ?? null,
    name: r.name as string,
    kind: r.kind as Volume['kind'],
    sizeBytes: r.size_bytes as number,
    durability: r.durability as Durability,
    blockHosting: r.block_hosting as boolean,
    blockFreeBytes: r.block_free_bytes as number,
    snapshotFactor: r.snapshot_factor as number,
    tags: r.tags as Record<string, string>,
  }),
  insertRow: (n) => ({
    cluster_id: n.clusterId,
    hosting_volume_id: n.hostingVolumeId,
    name: n.name,
    kind: n.kind,
    size_bytes: n.sizeBytes,
    durability: json(n.durability),
    block_hosting: n.blockHosting,
    block_free_bytes: n.blockFreeBytes,
    snapshot_factor: n.snapshotFactor,
    tags: n.tags && json(n.tags),
  }),
  patchRow: (p) => ({
    name: p.name,
    size_bytes: p.sizeBytes,
    block_free_bytes: p.blockFreeBytes,
    block_hosting: p.blockHosting,
    tags: p.tags && json(p.tags),
  }),
};
