import { Device, DevicePatch, NewDevice } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const devicesTable: TableDef<Device, NewDevice, DevicePatch> = {
  table: 'devices',
  kind: 'device',
  fields: {
    ...baseFields,
    hostId: { column: 'host_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    kind: { column: 'kind', type: 'string' },
    sizeBytes: { column: 'size_bytes', type: 'number' },
    usedBytes: { column: 'used_bytes', type: 'number' },
    state: { column: 'state', type: 'string' },
    serial: { column: 'serial', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    hostId: r.host_id as string,
    name: r.name as string,
    kind: r.kind as Device['kind'],
    sizeBytes: r.size_bytes as number,
    usedBytes: r.used_bytes as number,
    state: r.state as Device['state'],
    serial: (r.serial as string | null) ?? null,
    tags: r.tags as Record<string, string>,
  }),
  insertRow: (n) => ({
    host_id: n.hostId,
    name: n.name,
    kind: n.kind,
    size_bytes: n.sizeBytes,
    used_bytes: n.usedBytes,
    state: n.state,
    serial: n.serial,
    tags: n.tags && json(n.tags),
  }),
  patchRow: (p) => ({ name: p.name, state: p.state, size_bytes: p.sizeBytes, serial: p.serial, tags: p.tags && json(p.tags) }),
};
