import { Brick, NewBrick } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const bricksTable: TableDef<Brick, NewBrick, Partial<Pick<Brick, 'deviceId' | 'hostId' | 'path'>>> = {
  table: 'bricks',
  kind: 'brick',
  fields: {
    ...baseFields,
    volumeId: { column: 'volume_id', type: 'uuid' },
    deviceId: { column: 'device_id', type: 'uuid' },
    hostId: { column: 'host_id', type: 'uuid' },
    sizeBytes: { column: 'size_bytes', type: 'number' },
    position: { column: 'position', type: 'number' },
  },
  toEntity: (r) => entity(r, {
    volumeId: r.volume_id as string,
    deviceId: r.device_id as string,
    hostId: r.host_id as string,
    path: r.path as string,
    sizeBytes: r.size_bytes as number,
    poolBrickId: (r.pool_brick_id as string | null) ?? null,
    position: Number(r.position ?? 0),
  }),
  insertRow: (n) => ({
    volume_id: n.volumeId,
    device_id: n.deviceId,
    host_id: n.hostId,
    path: n.path,
    size_bytes: n.sizeBytes,
    pool_brick_id: n.poolBrickId,
    position: n.position,
  }),
  patchRow: (p) => ({ device_id: p.deviceId, host_id: p.hostId, path: p.path }),
};
