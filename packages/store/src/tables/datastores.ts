import { Datastore, DatastorePatch, NewDatastore } from '@rosetta/core';
import { TableDef, entity, baseFields } from '../table-repository';

export const datastoresTable: TableDef<Datastore, NewDatastore, DatastorePatch> = {
  table: 'datastores',
  kind: 'datastore',
  fields: {
    ...baseFields,
    clusterId: { column: 'cluster_id', type: 'uuid' },
    policyId: { column: 'policy_id', type: 'uuid' },
    name: { column: 'name', type: 'string' },
    capacityBytes: { column: 'capacity_bytes', type: 'number' },
    usedBytes: { column: 'used_bytes', type: 'number' },
  },
  toEntity: (r) => entity(r, {
    clusterId: r.cluster_id as string,
    policyId: (r.policy_id as string | null) ?? null,
    name: r.name as string,
    capacityBytes: r.capacity_bytes as number,
    usedBytes: r.used_bytes as number,
    sharedHostIds: (r.shared_host_ids as string[] | undefined) ?? [],
    full: (r.full as boolean | undefined) ?? false,
  }),
  insertRow: (n) => ({ cluster_id: n.clusterId, policy_id: n.policyId, name: n.name, capacity_bytes: n.capacityBytes, used_bytes: n.usedBytes }),
  patchRow: (p) => ({ name: p.name, capacity_bytes: p.capacityBytes, policy_id: p.policyId, shared_host_ids: p.sharedHostIds && JSON.stringify(p.sharedHostIds), full: p.full }),
};
