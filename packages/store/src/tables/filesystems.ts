import { Filesystem, FilesystemPatch, NewFilesystem } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const filesystemsTable: TableDef<Filesystem, NewFilesystem, FilesystemPatch> = {
  table: 'filesystems',
  kind: 'filesystem',
  fields: {
    ...baseFields,
    name: { column: 'name', type: 'string' },
    state: { column: 'state', type: 'string' },
    mgtId: { column: 'mgt_id', type: 'uuid' },
  },
  toEntity: (r) => entity(r, {
    name: r.name as string,
    state: r.state as Filesystem['state'],
    mgtId: (r.mgt_id as string | null) ?? null,
    confParams: (r.conf_params as Record<string, string> | undefined) ?? {},
  }),
  insertRow: (n) => ({ name: n.name, state: n.state, mgt_id: n.mgtId, conf_params: n.confParams && json(n.confParams) }),
  patchRow: (p) => ({ state: p.state, mgt_id: p.mgtId, conf_params: p.confParams && json(p.confParams) }),
};
