import { Knex } from 'knex';
import { ControlStore, CoreError, JobExecutionMode, SnapshotDocument, SnapshotInfo } from '@rosetta/core';
import { retryingTransaction } from './pg-errors';
import { REUSE_PLANS } from './database';

interface SnapshotRow {
  name: string;
  created_at: Date;
  schema: string;
  row_counts: Record<string, number>;
  /** From snapshot_tables, when read through withControl: null when the snapshot did not record them. */
  fault_rule_count?: number | null;
  clock_rows?: { frozen_at_ms: number | string | null; offset_ms: number | string }[] | null;
}

/**
 * Control state saved with the domain, under these table names in snapshot_tables: the fault
 * rules (hit counts and remaining counts as they stood) and the virtual clock. Snapshots taken
 * before they were recorded have no such rows, and restoring them leaves both as they are.
 */
const FAULT_RULES = 'fault_rules';
const CLOCK_STATE = 'clock_state';
const CONTROL_TABLES = [FAULT_RULES, CLOCK_STATE] as const;

const controlOf = (row: SnapshotRow): SnapshotInfo['control'] => {
  if (row.fault_rule_count === undefined || row.clock_rows === undefined) return undefined;
  if (row.fault_rule_count === null && row.clock_rows === null) return undefined;
  const clock = row.clock_rows?.[0];
  return {
    faultRules: Number(row.fault_rule_count ?? 0),
    clock: clock ? { frozenAtMs: clock.frozen_at_ms === null ? null : Number(clock.frozen_at_ms), offsetMs: Number(clock.offset_ms) } : null,
  };
};

const info = (row: SnapshotRow): SnapshotInfo => {
  const control = controlOf(row);
  return { name: row.name, createdAt: row.created_at, schema: row.schema, rowCounts: row.row_counts, ...(control ? { control } : {}) };
};

const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkName(name: string): void {
  if (!SNAPSHOT_NAME.test(name)) {
    throw new CoreError('VALIDATION', 'a snapshot name is 1-128 letters, digits, dots, dashes or underscores', {
      fields: [{ field: 'name', problem: 'must match [A-Za-z0-9][A-Za-z0-9._-]*' }],
    });
  }
}

/**
 * Snapshots hold one JSON array of rows per table. Restore is TRUNCATE plus one
 * INSERT ... SELECT jsonb_populate_recordset per table inside a transaction that first takes
 * ACCESS EXCLUSIVE locks on every table: a concurrent reader waits and then sees the restored
 * state, never a mix. Row counters and change stamps follow through their triggers.
 */
export function createControlStore(knex: Knex, tables: readonly string[]): ControlStore {
  const tableList = tables.join(', ');

  /** Snapshot columns plus what its control-state rows say, in one statement. */
  const withControl = (db: Knex | Knex.Transaction) =>
    db('snapshots as s').select(
      's.*',
      db.raw(`(SELECT jsonb_array_length(rows) FROM snapshot_tables WHERE snapshot_name = s.name AND table_name = ?) AS fault_rule_count`, [FAULT_RULES]),
      db.raw(`(SELECT rows FROM snapshot_tables WHERE snapshot_name = s.name AND table_name = ?) AS clock_rows`, [CLOCK_STATE]),
    );

  /** Puts back the fault rules and the clock a snapshot recorded (inside the restore transaction). */
  async function restoreControl(trx: Knex.Transaction, name: string): Promise<void> {
    const recorded: { table_name: string }[] = await trx('snapshot_tables').where({ snapshot_name: name }).whereIn('table_name', CONTROL_TABLES as unknown as string[]).select('table_name');
    const has = (t: string) => recorded.some((r) => r.table_name === t);
    for (const table of CONTROL_TABLES) {
      if (!has(table)) continue;
      await trx.raw(`LOCK TABLE ?? IN ACCESS EXCLUSIVE MODE`, [table]);
      await trx(table).delete();
      await trx.raw(`INSERT INTO ?? SELECT * FROM jsonb_populate_recordset(NULL::??, (SELECT rows FROM snapshot_tables WHERE snapshot_name = ? AND table_name = ?))`, [table, table, name, table]);
    }
    // A snapshot taken in real time (no clock row) comes back in real time, for every process.
    if (has(CLOCK_STATE)) await trx(CLOCK_STATE).insert({ id: 1, frozen_at_ms: null, offset_ms: 0, updated_at: new Date() }).onConflict('id').ignore();
  }

  const currentSchema = async (db: Knex | Knex.Transaction): Promise<string> => {
    const row = await db('knex_migrations').max({ name: 'name' }).first();
    return String(row?.name ?? '');
  };

  const countRows = async (trx: Knex.Transaction, name: string): Promise<Record<string, number>> => {
    const rows: { table_name: string; n: string }[] = await trx('snapshot_tables')
      .where({ snapshot_name: name })
      .select('table_name', trx.raw('jsonb_array_length(rows) AS n'));
    return Object.fromEntries(tables.map((t) => [t, Number(rows.find((r) => r.table_name === t)?.n ?? 0)]));
  };

  async function ensureFree(trx: Knex.Transaction, name: string, replace: boolean | undefined): Promise<void> {
    const exists = await trx('snapshots').where({ name }).forUpdate().first();
    if (!exists) return;
    if (!replace) throw new CoreError('ALREADY_EXISTS', `snapshot ${name} already exists`, { kind: 'snapshot', name });
    await trx('snapshots').where({ name }).delete();
  }

  async function resetSequences(trx: Knex.Transaction): Promise<void> {
    const serials: { rows: { table_name: string; column_name: string; seq: string }[] } = await trx.raw(
      `SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name) AS seq
         FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = ANY(?) AND column_default LIKE 'nextval(%'`,
      [[...tables, FAULT_RULES]],
    );
    for (const { table_name, column_name, seq } of serials.rows) {
      await trx.raw(`SELECT setval(?, COALESCE((SELECT max(??) FROM ??), 0) + 1, false)`, [seq, column_name, table_name]);
    }
  }

  return {
    async saveSnapshot(name, options = {}) {
      checkName(name);
      // One repeatable-read transaction: every table is copied from the same moment.
      return knex.transaction(
        async (trx) => {
          await ensureFree(trx, name, options.replace);
          const schema = await currentSchema(trx);
          await trx('snapshots').insert({ name, schema, row_counts: '{}' });
          for (const table of [...tables, ...CONTROL_TABLES]) {
            await trx.raw(`INSERT INTO snapshot_tables (snapshot_name, table_name, rows) SELECT ?, ?, COALESCE(jsonb_agg(t), '[]'::jsonb) FROM ?? t`, [name, table, table]);
          }
          const rowCounts = await countRows(trx, name);
          await trx('snapshots').where({ name }).update({ row_counts: JSON.stringify(rowCounts) });
          return info(await withControl(trx).where('s.name', name).first());
        },
        { isolationLevel: 'repeatable read' },
      );
    },

    async restoreSnapshot(name) {
      // Its table locks are taken in one order; a transaction already holding a later table (a
      // consolidation round reads sites first) can make PostgreSQL pick the restore as a deadlock victim.
      const restored = await retryingTransaction(() => knex.transaction(async (trx) => {
        const row: SnapshotRow | undefined = await trx('snapshots').where({ name }).forShare().first();
        if (!row) throw new CoreError('NOT_FOUND', `no snapshot named ${name}`, { kind: 'snapshot', id: name });
        const schema = await currentSchema(trx);
        if (row.schema !== schema) {
          throw new CoreError('INVALID_STATE', `snapshot ${name} was taken at schema ${row.schema}; the database is at ${schema}`, { kind: 'snapshot', id: name });
        }
        await trx.raw(`LOCK TABLE ${tableList} IN ACCESS EXCLUSIVE MODE`);
        await trx.raw(`TRUNCATE ${tableList} RESTART IDENTITY`);
        await trx.raw(REUSE_PLANS);
        // Parents before children, so every foreign key finds its row.
        for (const table of [...tables].reverse()) {
          await trx.raw(
            `INSERT INTO ?? SELECT * FROM jsonb_populate_recordset(NULL::??, COALESCE((SELECT rows FROM snapshot_tables WHERE snapshot_name = ? AND table_name = ?), '[]'::jsonb))`,
            [table, table, name, table],
          );
        }
        await restoreControl(trx, name);
        await resetSequences(trx);
        // Permits belong to jobs of the replaced world.
        await trx('job_step_permits').delete();
        return info(await withControl(trx).where('s.name', name).first());
      }));
      return restored;
    },

    async listSnapshots() {
      return (await withControl(knex).orderBy('s.name', 'asc')).map(info);
    },

    async getSnapshot(name) {
      const row = await withControl(knex).where('s.name', name).first();
      return row ? info(row) : undefined;
    },

    async deleteSnapshot(name) {
      return (await knex('snapshots').where({ name }).delete()) > 0;
    },

    async exportSnapshot(name) {
      const row: SnapshotRow | undefined = await knex('snapshots').where({ name }).first();
      if (!row) return undefined;
      const parts: { table_name: string; rows: string }[] = await knex('snapshot_tables').where({ snapshot_name: name }).select('table_name', knex.raw('rows::text AS rows'));
      const head = JSON.stringify({ format: 'rosetta-snapshot', name: row.name, createdAt: row.created_at.toISOString(), schema: row.schema });
      const body = parts.map((p) => `${JSON.stringify(p.table_name)}:${p.rows}`).join(',');
      return `${head.slice(0, -1)},"tables":{${body}}}`;
    },

    async importSnapshot(doc: SnapshotDocument, options = {}) {
      const name = options.name ?? doc.name;
      checkName(name);
      return knex.transaction(async (trx) => {
        const schema = await currentSchema(trx);
        if (doc.schema !== schema) {
          throw new CoreError('VALIDATION', `the document was exported at schema ${doc.schema}; the database is at ${schema}`, {
            fields: [{ field: 'schema', problem: `must be ${schema}` }],
          });
        }
        await ensureFree(trx, name, options.replace);
        const createdAt = Number.isNaN(Date.parse(doc.createdAt)) ? new Date() : new Date(doc.createdAt);
        await trx('snapshots').insert({ name, schema, created_at: createdAt, row_counts: '{}' });
        for (const table of tables) {
          await trx('snapshot_tables').insert({ snapshot_name: name, table_name: table, rows: JSON.stringify(doc.tables[table] ?? []) });
        }
        // Documents exported before control state was recorded have none: their restore leaves it alone.
        for (const table of CONTROL_TABLES) {
          if (Object.hasOwn(doc.tables, table)) await trx('snapshot_tables').insert({ snapshot_name: name, table_name: table, rows: JSON.stringify(doc.tables[table]) });
        }
        const rowCounts = await countRows(trx, name);
        await trx('snapshots').where({ name }).update({ row_counts: JSON.stringify(rowCounts) });
        return info(await withControl(trx).where('s.name', name).first());
      });
    },

    async readJobMode() {
      const row = await knex('job_execution').where({ id: 1 }).first();
      return (row?.mode ?? 'normal') as JobExecutionMode;
    },

    async writeJobMode(mode) {
      await knex('job_execution').insert({ id: 1, mode, updated_at: new Date() }).onConflict('id').merge();
    },

    async grantStepPermits(jobId, count) {
      await knex('job_step_permits')
        .insert({ job_id: jobId, permits: count })
        .onConflict('job_id')
        .merge({ permits: knex.raw('job_step_permits.permits + EXCLUDED.permits') });
    },

    async takeStepPermit(jobId) {
      const taken = await knex('job_step_permits').where({ job_id: jobId }).where('permits', '>', 0).decrement('permits', 1);
      return Number(taken) > 0;
    },
  };
}
