import { Cluster, ClusterPatch, NewCluster } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const clustersTable: TableDef<Cluster, NewCluster, ClusterPatch> = {
  table: 'clusters',
  kind: 'cluster',
  fields: {
    ...baseFields,
    siteId: { column: 'site_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    fileEnabled: { column: 'file_enabled', type: 'boolean' },
    blockEnabled: { column: 'block_enabled', type: 'boolean' },
    timeZone: { column: 'time_zone', type: 'string' },
    backupsSuspended: { column: 'backups_suspended', type: 'boolean' },
  },
  toEntity: (r) => entity(r, {
    siteId: r.site_id as string,
    name: r.name as string,
    fileEnabled: r.file_enabled as boolean,
    blockEnabled: r.block_enabled as boolean,
    tags: r.tags as Record<string, string>,
    timeZone: r.time_zone as string,
    backupsSuspended: r.backups_suspended as boolean,
    iwoEnabled: r.iwo_enabled as boolean,
  }),
  insertRow: (n) => ({
    site_id: n.siteId,
    name: n.name,
    file_enabled: n.fileEnabled,
    block_enabled: n.blockEnabled,
    tags: n.tags && json(n.tags),
    time_zone: n.timeZone,
  }),
  patchRow: (p) => ({ name: p.name, file_enabled: p.fileEnabled, block_enabled: p.blockEnabled, tags: p.tags && json(p.tags), time_zone: p.timeZone, backups_suspended: p.backupsSuspended, iwo_enabled: p.iwoEnabled }),
};
