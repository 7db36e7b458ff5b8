import { Knex } from 'knex';
import { DatastoreSample, HostSample, PowerPoint, SampleKind, SampleRepository, VmSample } from '@rosetta/core';
import { Row } from '../table-repository';
import { translatePgError } from '../pg-errors';
import { VM_LOAD_COLUMNS, toVmLoad } from './consolidation-settings';

/** performance_samples.kind: a smallint, since the table holds a row per VM per instant. */
const KIND: Record<SampleKind, number> = { host: 1, vm: 2, datastore: 3 };

/** Rows per INSERT: one statement per column array keeps 50,000 VMs to a handful of round trips. */
const BATCH = 10_000;

type Scalar = string | number | boolean | null;

/**
 * A PostgreSQL array literal ('{1.5,2,NULL}'): the whole column travels as one bound parameter and
 * unnest() turns the arrays back into rows, so a batch is one statement whatever its size.
 */
function arrayLiteral(values: Scalar[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : typeof v === 'boolean' ? (v ? 't' : 'f') : String(v))).join(',')}}`;
}

interface Column<S> {
  name: string;
  type: 'uuid' | 'real' | 'integer' | 'boolean';
  value: (s: S) => Scalar;
}

const HOST_COLUMNS: Column<HostSample>[] = [
  { name: 'entity_id', type: 'uuid', value: (s) => s.hostId },
  { name: 'cpu_pct', type: 'real', value: (s) => s.cpuPct },
  { name: 'mem_pct', type: 'real', value: (s) => s.memoryPct },
  { name: 'bandwidth_pct', type: 'real', value: (s) => s.bandwidthPct },
  { name: 'power_watts', type: 'integer', value: (s) => Math.round(s.powerWatts) },
  { name: 'powered_on', type: 'boolean', value: (s) => s.poweredOn },
];

const VM_COLUMNS: Column<VmSample>[] = [
  { name: 'entity_id', type: 'uuid', value: (s) => s.vmId },
  { name: 'cpu_pct', type: 'real', value: (s) => s.cpuPct },
  { name: 'mem_pct', type: 'real', value: (s) => s.memoryPct },
  { name: 'bandwidth_pct', type: 'real', value: (s) => s.bandwidthPct },
  { name: 'active_memory_mb', type: 'integer', value: (s) => Math.round(s.activeMemoryMb) },
  { name: 'compressed_memory_mb', type: 'integer', value: (s) => Math.round(s.compressedMemoryMb) },
  { name: 'swapped_memory_mb', type: 'integer', value: (s) => Math.round(s.swappedMemoryMb) },
  { name: 'ballooned_memory_mb', type: 'integer', value: (s) => Math.round(s.balloonedMemoryMb) },
  { name: 'read_iops', type: 'integer', value: (s) => s.readIops },
  { name: 'write_iops', type: 'integer', value: (s) => s.writeIops },
];

const DATASTORE_COLUMNS: Column<DatastoreSample>[] = [
  { name: 'entity_id', type: 'uuid', value: (s) => s.datastoreId },
  { name: 'io_rate', type: 'integer', value: (s) => Math.round(s.iops) },
];

async function insertKind<S>(db: Knex | Knex.Transaction, kind: SampleKind, at: Date, samples: S[], columns: Column<S>[]): Promise<void> {
  for (let i = 0; i < samples.length; i += BATCH) {
    const batch = samples.slice(i, i + BATCH);
    const names = columns.map((c) => c.name).join(', ');
    const arrays = columns.map((c) => `?::${c.type}[]`).join(', ');
    await db.raw(
      `INSERT INTO performance_samples (kind, at, ${names}) SELECT ?, ?, * FROM unnest(${arrays}) ON CONFLICT (kind, entity_id, at) DO NOTHING`,
      [KIND[kind], at, ...columns.map((c) => arrayLiteral(batch.map(c.value)))],
    );
  }
}

/** float4 keeps two decimals to within its precision; rounding restores the simulator's value. */
const pct = (v: unknown): number => Math.round(Number(v) * 100) / 100;
const count = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

async function readKind(db: Knex | Knex.Transaction, kind: SampleKind, at: Date, ids: string[] | undefined, columns: string[]): Promise<Row[]> {
  if (ids && !ids.length) return [];
  const query = db('performance_samples')
    .where({ kind: KIND[kind], at })
    .select('entity_id', ...columns);
  if (ids) query.whereRaw('entity_id = ANY(?::uuid[])', [arrayLiteral([...new Set(ids)])]);
  return query;
}

export function performanceSamplesRepository(db: Knex | Knex.Transaction): SampleRepository {
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw translatePgError(err, 'performance_sample');
    }
  };
  return {
    claim: (at) =>
      guard(async () => {
        const rows: Row[] = await db('sample_runs').insert({ at }).onConflict('at').ignore().returning('at');
        return rows.length === 1;
      }),

    insert: (set) =>
      guard(async () => {
        await insertKind(db, 'host', set.at, set.hosts, HOST_COLUMNS);
        await insertKind(db, 'vm', set.at, set.vms, VM_COLUMNS);
        await insertKind(db, 'datastore', set.at, set.datastores, DATASTORE_COLUMNS);
        const rows = set.hosts.length + set.vms.length + set.datastores.length;
        await db('sample_runs').where({ at: set.at }).update({ rows });
        return rows;
      }),

    prune: (before, after) =>
      guard(async () => {
        // kind = ANY(...) lets the (kind, at) index serve a range on its second column.
        const deleted = await db('performance_samples')
          .whereRaw('kind = ANY(?::smallint[])', [arrayLiteral(Object.values(KIND))])
          .andWhere((w) => w.where('at', '<', before).orWhere('at', '>', after))
          .delete();
        await db('sample_runs').where('at', '<', before).orWhere('at', '>', after).delete();
        return deleted;
      }),

    latestRun: (notAfter) =>
      guard(async () => {
        const row = (await db('sample_runs').where('at', '<=', notAfter).max({ at: 'at' }).first()) as { at?: Date | null } | undefined;
        return row?.at ?? undefined;
      }),

    hosts: (at, ids) =>
      guard(async () => {
        const rows = await readKind(db, 'host', at, ids, ['cpu_pct', 'mem_pct', 'bandwidth_pct', 'power_watts', 'powered_on']);
        return new Map(
          rows.map((r): [string, HostSample] => [
            r.entity_id as string,
            {
              hostId: r.entity_id as string,
              at,
              cpuPct: pct(r.cpu_pct),
              memoryPct: pct(r.mem_pct),
              bandwidthPct: pct(r.bandwidth_pct),
              powerWatts: count(r.power_watts),
              poweredOn: r.powered_on === true,
            },
          ]),
        );
      }),

    vms: (at, ids) =>
      guard(async () => {
        const rows = await readKind(db, 'vm', at, ids, [
          'cpu_pct',
          'mem_pct',
          'bandwidth_pct',
          'active_memory_mb',
          'compressed_memory_mb',
          'swapped_memory_mb',
          'ballooned_memory_mb',
          'read_iops',
          'write_iops',
        ]);
        return new Map(
          rows.map((r): [string, VmSample] => [
            r.entity_id as string,
            {
              vmId: r.entity_id as string,
              at,
              cpuPct: pct(r.cpu_pct),
              memoryPct: pct(r.mem_pct),
              bandwidthPct: pct(r.bandwidth_pct),
              activeMemoryMb: count(r.active_memory_mb),
              compressedMemoryMb: count(r.compressed_memory_mb),
              swappedMemoryMb: count(r.swapped_memory_mb),
              balloonedMemoryMb: count(r.ballooned_memory_mb),
              readIops: count(r.read_iops),
              writeIops: count(r.write_iops),
            },
          ]),
        );
      }),

    datastores: (at, ids) =>
      guard(async () => {
        const rows = await readKind(db, 'datastore', at, ids, ['io_rate']);
        return new Map(rows.map((r): [string, DatastoreSample] => [r.entity_id as string, { datastoreId: r.entity_id as string, at, iops: count(r.io_rate) }]));
      }),

    powerSeries: (siteId, since, until) =>
      guard(async () => {
        // Set-based: the (kind, at) index finds the window's host samples, the join keeps the site's.
        const rows: { at: Date; watts: string | number; hosts_on: string | number; hosts_off: string | number }[] = await db('performance_samples as s')
          .join('hosts as h', 'h.id', 's.entity_id')
          .where('s.kind', KIND.host)
          .andWhere('h.site_id', siteId)
          .andWhere('s.at', '>=', since)
          .andWhere('s.at', '<=', until)
          .groupBy('s.at')
          .orderBy('s.at', 'asc')
          .select(
            's.at',
            db.raw('COALESCE(sum(s.power_watts), 0) AS watts'),
            db.raw('count(*) FILTER (WHERE s.powered_on) AS hosts_on'),
            db.raw('count(*) FILTER (WHERE NOT s.powered_on) AS hosts_off'),
          );
        return rows.map((r): PowerPoint => ({ at: r.at, watts: Number(r.watts), hostsOn: Number(r.hosts_on), hostsOff: Number(r.hosts_off) }));
      }),

    vmLoads: () =>
      guard(async () => {
        const rows: Row[] = await db('vms').select(...VM_LOAD_COLUMNS);
        return rows.map(toVmLoad);
      }),
  };
}
