import { Knex } from 'knex';
import { HostTotals } from '@rosetta/core';
import { isUuid } from './query-compiler';
import { translatePgError } from './pg-errors';

/**
 * Per-host sums of VMs (vCPUs, memory, disk) or devices (size), one GROUP BY: capacity views over
 * thousands of hosts read one small row per host instead of every VM and device.
 */
export function hostTotals(db: Knex | Knex.Transaction, table: 'vms' | 'devices') {
  return async (hostIds?: string[]): Promise<HostTotals[]> => {
    try {
      const ids = hostIds?.filter(isUuid);
      if (ids && ids.length === 0) return [];
      const sums =
        table === 'vms'
          ? 'count(*) AS count, coalesce(sum(cpu_count), 0) AS cpu, coalesce(sum(memory_mb), 0) AS memory, coalesce(sum(disk_bytes), 0) AS bytes'
          : 'count(*) AS count, 0 AS cpu, 0 AS memory, coalesce(sum(size_bytes), 0) AS bytes';
      const qb = db(table).whereNotNull('host_id').groupBy('host_id').select('host_id', db.raw(sums));
      if (ids) qb.whereRaw('host_id = ANY(?::uuid[])', [ids]);
      const rows: { host_id: string; count: string; cpu: string; memory: string; bytes: string }[] = await qb;
      return rows.map((r) => ({ hostId: r.host_id, count: Number(r.count), cpuCount: Number(r.cpu), memoryMb: Number(r.memory), bytes: Number(r.bytes) }));
    } catch (err) {
      throw translatePgError(err, table === 'vms' ? 'vm' : 'device');
    }
  };
}
