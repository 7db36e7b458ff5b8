import { ExternalStore, ExternalStorePatch, NewExternalStore } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const externalStoresTable: TableDef<ExternalStore, NewExternalStore, ExternalStorePatch> = {
  table: 'external_stores',
  kind: 'external_store',
  fields: {
    ...baseFields,
    clusterId: { column: 'cluster_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    kind: { column: 'kind', type: 'string' },
    managementAddress: { column: 'management_address', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    clusterId: r.cluster_id as string,
    name: r.name as string,
    kind: r.kind as string,
    managementAddress: r.management_address as string,
    managementPort: r.management_port as number,
    storagePort: r.storage_port as number,
    username: r.username as string,
    password: r.password as string,
  }),
  insertRow: (n) => ({
    cluster_id: n.clusterId,
    name: n.name,
    kind: n.kind,
    management_address: n.managementAddress,
    management_port: n.managementPort,
    storage_port: n.storagePort,
    username: n.username,
    password: n.password,
  }),
  patchRow: (p) => ({ username: p.username, password: p.password, management_address: p.managementAddress }),
};
