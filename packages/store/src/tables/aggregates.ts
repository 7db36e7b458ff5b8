import { HostAggregate, HostAggregatePatch, NewHostAggregate } from '@rosetta/core';
import { TableDef, entity, baseFields, json } from '../table-repository';

export const aggregatesTable: TableDef<HostAggregate, NewHostAggregate, HostAggregatePatch> = {
  table: 'host_aggregates',
  kind: 'aggregate',
  fields: {
    ...baseFields,
    name: { column: 'name', type: 'string' },
    availabilityZone: { column: 'availability_zone', type: 'string' },
  },
  toEntity: (r) => entity(r, {
    name: r.name as string,
    availabilityZone: (r.availability_zone as string | null) ?? null,
    metadata: r.metadata as Record<string, string>,
    hostIds: [],
  }),
  insertRow: (n) => ({ name: n.name, availability_zone: n.availabilityZone, metadata: n.metadata && json(n.metadata) }),
  patchRow: (p) => ({ name: p.name, availability_zone: p.availabilityZone, metadata: p.metadata && json(p.metadata) }),
  async attach(db, aggregates) {
    // One array parameter instead of one placeholder per aggregate: planning stays cheap for long pages.
    const rows: { aggregate_id: string; host_id: string }[] = await db('host_aggregate_hosts')
      .whereRaw('aggregate_id = ANY(?::uuid[])', [aggregates.map((a) => a.id)])
      .orderBy('created_at')
      .orderBy('host_id')
      .select('aggregate_id', 'host_id');
    const byId = new Map(aggregates.map((a) => [a.id, a]));
    for (const row of rows) byId.get(row.aggregate_id)!.hostIds.push(row.host_id);
  },
};
