import { NewTarget, Target, TargetPatch } from '@rosetta/core';
import { TableDef, baseEntity, baseFields } from '../table-repository';

export const targetsTable: TableDef<Target, NewTarget, TargetPatch> = {
  table: 'targets',
  kind: 'target',
  fields: {
    ...baseFields,
    filesystemId: { column: 'filesystem_id', type: 'uuid' },
    kind: { column: 'kind', type: 'string' },
    index: { column: 'index', type: 'number' },
    name: { column: 'name', type: 'string' },
    deviceId: { column: 'device_id', type: 'uuid' },
    hostId: { column: 'host_id', type: 'uuid' },
    state: { column: 'state', type: 'string' },
  },
  toEntity: (r) => ({
    ...baseEntity(r),
    filesystemId: (r.filesystem_id as string | null) ?? null,
    kind: r.kind as Target['kind'],
    index: r.index as number,
    name: r.name as string,
    deviceId: r.device_id as string,
    hostId: r.host_id as string,
    failoverHostId: (r.failover_host_id as string | null) ?? null,
    state: r.state as Target['state'],
  }),
  insertRow: (n) => ({
    filesystem_id: n.filesystemId,
    kind: n.kind,
    index: n.index,
    name: n.name,
    device_id: n.deviceId,
    host_id: n.hostId,
    failover_host_id: n.failoverHostId,
    state: n.state,
  }),
  patchRow: (p) => ({ state: p.state, host_id: p.hostId, filesystem_id: p.filesystemId, name: p.name }),
};
